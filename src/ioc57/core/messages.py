"""Messages a person may read, each with a stable machine ``code``.

The API answers a message in English (``msg``, or a problem's ``detail``) with its ``code`` and
the ``params`` that fill it; a page shows the same message in its own language. A module declares
its messages once, where it raises them::

    NOT_A_PERIOD = message("period.invalid", N_("{value} is not a period code"))
    raise field_error("period", NOT_A_PERIOD, value=text)

``N_`` marks the English sentence for the catalogue (``make messages``); ``{name}`` fields are
filled from ``params`` after translation, so the Vietnamese sentence may order them freely.
Pydantic's own errors keep pydantic's ``type`` as their code (``missing``, ``literal_error``...)
and are translated from ``PYDANTIC`` below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ioc57.core.i18n import N_, gettext


@dataclass(frozen=True)
class Message:
    """A sentence with a stable code; ``text`` is English with ``{name}`` fields."""

    code: str
    text: str

    def english(self, **params: Any) -> str:
        return _fill(self.text, params)

    def said(self, lang: str, **params: Any) -> str:
        return _fill(gettext(lang, self.text), params)


MESSAGES: dict[str, Message] = {}


def message(code: str, text: str) -> Message:
    """Declare a message (once per code; the same text again is allowed, for reloads)."""
    known = MESSAGES.get(code)
    if known is not None and known.text != text:
        raise ValueError(f"message code {code!r} is declared twice with different texts")
    MESSAGES[code] = Message(code, text)
    return MESSAGES[code]


def entry(msg: Message, loc: list[str] | None = None, **params: Any) -> dict[str, Any]:
    """One error as the API lists it: ``loc``, English ``msg``, ``code`` and ``params``."""
    out: dict[str, Any] = {"loc": list(loc or []), "msg": msg.english(**params), "code": msg.code}
    if params:
        out["params"] = {key: _plain(value) for key, value in params.items()}
    return out


def translate(lang: str, error: dict[str, Any]) -> str:
    """An error entry (or a problem's body) as a person reading ``lang`` should read it: the
    declared message of its code in ``lang``, else its English ``msg``/``detail``."""
    code = error.get("code") or error.get("type")
    params = error.get("params") or error.get("ctx") or {}
    known = MESSAGES.get(code or "") or PYDANTIC.get(code or "")
    if known is not None:
        return known.said(lang, **params)
    return str(error.get("msg") or error.get("detail") or "")


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(text: str, params: dict[str, Any]) -> str:
    try:
        return text.format_map(_Blank({k: _plain(v) for k, v in params.items()}))
    except (ValueError, IndexError):  # a stray brace in a translation: the sentence as written
        return text


def _pydantic(code: str, text: str) -> Message:
    return Message(code, text)


# pydantic's error types that users meet (``ctx`` fills the fields)
PYDANTIC: dict[str, Message] = {
    m.code: m
    for m in (
        _pydantic("missing", N_("This field is required")),
        _pydantic("literal_error", N_("Should be one of: {expected}")),
        _pydantic("enum", N_("Should be one of: {expected}")),
        _pydantic("string_too_short", N_("Should have at least {min_length} characters")),
        _pydantic("string_too_long", N_("Should have at most {max_length} characters")),
        _pydantic("string_pattern_mismatch", N_("Is not in the expected form")),
        _pydantic("string_type", N_("Should be text")),
        _pydantic("int_parsing", N_("Should be a whole number")),
        _pydantic("int_type", N_("Should be a whole number")),
        _pydantic("int_from_float", N_("Should be a whole number")),
        _pydantic("float_parsing", N_("Should be a number")),
        _pydantic("float_type", N_("Should be a number")),
        _pydantic("decimal_parsing", N_("Should be a number")),
        _pydantic("bool_parsing", N_("Should be yes or no")),
        _pydantic("greater_than", N_("Should be greater than {gt}")),
        _pydantic("greater_than_equal", N_("Should be at least {ge}")),
        _pydantic("less_than", N_("Should be less than {lt}")),
        _pydantic("less_than_equal", N_("Should be at most {le}")),
        _pydantic("date_parsing", N_("Should be a date (yyyy-mm-dd)")),
        _pydantic("date_from_datetime_parsing", N_("Should be a date (yyyy-mm-dd)")),
        _pydantic("date_type", N_("Should be a date (yyyy-mm-dd)")),
        _pydantic("datetime_parsing", N_("Should be a time with its offset")),
        _pydantic("datetime_from_date_parsing", N_("Should be a time with its offset")),
        _pydantic("datetime_type", N_("Should be a time with its offset")),
        _pydantic("timezone_aware", N_("Should carry its time zone offset")),
        _pydantic("extra_forbidden", N_("This field is not expected")),
        _pydantic("dict_type", N_("Should be an object")),
        _pydantic("list_type", N_("Should be a list")),
        _pydantic("too_short", N_("Should have at least {min_length} items")),
        _pydantic("too_long", N_("Should have at most {max_length} items")),
        _pydantic("json_invalid", N_("Is not valid JSON")),
        _pydantic("model_attributes_type", N_("Should be an object")),
    )
}
