"""Label matchers, as Alertmanager's: ``name = value``, ``!=``, ``=~`` (a regular expression that
matches the whole value), ``!~``. Silences, inhibitions and channels choose alerts with them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Op = Literal["=", "!=", "=~", "!~"]
OPS: tuple[Op, ...] = ("=", "!=", "=~", "!~")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


@lru_cache(maxsize=1024)
def _pattern(value: str) -> re.Pattern[str]:
    return re.compile(value)


@dataclass(frozen=True)
class Matcher:
    name: str
    op: Op
    value: str

    def __post_init__(self) -> None:
        if not NAME.match(self.name):
            raise ValueError(f"{self.name!r} is not a label name")
        if self.op not in OPS:
            raise ValueError(f"{self.op!r} is not one of {', '.join(OPS)}")
        if self.op in ("=~", "!~"):
            try:
                _pattern(self.value)
            except re.error as exc:
                raise ValueError(f"{self.value!r} is not a regular expression: {exc}") from exc

    def matches(self, labels: Mapping[str, str]) -> bool:
        got = labels.get(self.name, "")  # a missing label matches as the empty string
        if self.op == "=":
            return got == self.value
        if self.op == "!=":
            return got != self.value
        found = _pattern(self.value).fullmatch(got) is not None
        return found if self.op == "=~" else not found

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "op": self.op, "value": self.value}


def parse(items: Iterable[Mapping[str, str]]) -> list[Matcher]:
    """Matchers from their stored or sent form (a ``ValueError`` naming the bad one)."""
    return [Matcher(str(m["name"]), m.get("op", "="), str(m.get("value", ""))) for m in items]  # type: ignore[arg-type]


def all_match(matchers: Iterable[Matcher], labels: Mapping[str, str]) -> bool:
    return all(m.matches(labels) for m in matchers)
