"""The categories of citizen reports, their deadlines in working days and their Open311 attributes.

Data, not code: ``categories.toml`` beside this module, and a province's own file of the same form
(``IOC57_FEEDBACK_CATEGORIES_FILE``) that wins category by category. Read once per process.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ioc57.core.settings import read_settings

SHIPPED = Path(__file__).with_name("categories.toml")
STEPS = ("triage", "info", "answer", "publish")
OTHER = "khac"  # the category of a report that names an unknown one


class CategoriesFileError(ValueError):
    """A categories file that cannot be read as one."""


@dataclass(frozen=True)
class Attribute:
    """An Open311 attribute of a category (GeoReport v2 service definition)."""

    code: str
    datatype: str  # string, number, datetime, text, singlevaluelist, multivaluelist
    required: bool
    description: str
    values: tuple[tuple[str, str], ...] = ()  # (key, name)


@dataclass(frozen=True)
class Category:
    code: str
    name: str  # Vietnamese
    name_en: str
    description: str
    deadlines: dict[str, int]  # step -> working days (every step of ``STEPS``)
    keywords: tuple[str, ...] = ()
    about_procedure: bool = False
    attributes: tuple[Attribute, ...] = field(default=())

    def label(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CategoriesFileError(f"{path}: {exc}") from exc


def _days(where: str, table: Any, defaults: dict[str, int]) -> dict[str, int]:
    if not isinstance(table, dict) or set(table) - set(STEPS):
        raise CategoriesFileError(f"{where}: deadlines are {', '.join(STEPS)}")
    days = dict(defaults)
    for step, value in table.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 365:
            raise CategoriesFileError(f"{where}: deadline {step} is 1-365 working days")
        days[step] = value
    return days


def _category(where: str, code: str, raw: Any, defaults: dict[str, int]) -> Category:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise CategoriesFileError(f"{where}: category {code} has no name")
    attributes = tuple(
        Attribute(
            code=str(a["code"]),
            datatype=str(a.get("datatype", "string")),
            required=bool(a.get("required", False)),
            description=str(a.get("description", "")),
            values=tuple((str(v["key"]), str(v["name"])) for v in a.get("values", [])),
        )
        for a in raw.get("attributes", [])
    )
    return Category(
        code=code,
        name=raw["name"],
        name_en=str(raw.get("name_en", raw["name"])),
        description=str(raw.get("description", "")),
        deadlines=_days(f"{where}: {code}", raw.get("deadlines", {}), defaults),
        keywords=tuple(raw.get("keywords", [])),
        about_procedure=bool(raw.get("about_procedure", False)),
        attributes=attributes,
    )


def read_categories(*paths: Path) -> dict[str, Category]:
    """The categories of the files, the later winning category by category (and for defaults)."""
    defaults = {step: 0 for step in STEPS}
    found: dict[str, Category] = {}
    for path in paths:
        data = _read(path)
        defaults = _days(str(path), data.get("deadlines", {}), defaults)
        for code, raw in (data.get("category") or {}).items():
            found[code] = _category(str(path), code, raw, defaults)
    if any(days == 0 for days in defaults.values()):
        raise CategoriesFileError(f"{paths[0]}: [deadlines] must give every step")
    return found


@lru_cache(maxsize=1)
def categories() -> dict[str, Category]:
    """The categories in force: the shipped ones, then the province's file."""
    extra = read_settings().feedback_categories_file
    return read_categories(SHIPPED, *([extra] if extra else []))


def category(code: str) -> Category:
    """A category by code; an unknown code (a report from another system) is read as "other"."""
    known = categories()
    return known.get(code) or known[OTHER]
