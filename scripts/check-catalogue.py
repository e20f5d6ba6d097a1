#!/usr/bin/env python3
"""Check the indicator catalogue and the article seed observations against each other and the articles.

Usage: .venv/bin/python scripts/check-catalogue.py [--seeds DIR]

Files: src/ioc57/indicators/catalogue.json, src/ioc57/indicators/seed/articles.json; the articles are read
from ../shared/seeds relative to the repository, else from the copies in the package
(src/ioc57/indicators/seed/articles), or --seeds, or IOC57_SEEDS_DIR.

What it checks
- Catalogue: version 1; the four groups; every indicator has the required keys with allowed values; codes
  are unique snake_case ASCII; kind, aggregation, unit of measure and factor agree (a ratio has factor
  100 for "%" or 10000 for "per 10,000 people"; any other kind has factor null; a rank is aggregated
  "none", in "rank", direction "negative"; a count is summed); `stock` is a boolean; targets are
  {year, value, basis} with a year 2025-2050 and a value within 0-100 for a percentage.
- Observations: the indicator exists; the period is a period code; (indicator, unit, period) is unique;
  the source is "<file>: <sentence>" and the sentence occurs verbatim in that article; a value or a
  numerator and denominator is given; for a percentage ratio the numerator is not above the denominator
  and the denominator is above 0; a ratio given as a value only is marked "percent_only": true (and
  only ratios carry that mark); counts are whole and not negative; ranks are whole and at least 1.
- Period granularity: an observation's period is of the indicator's period type or COARSER, never finer
  (month < quarter < half year < year; weeks and days are refused). A figure that an article gives for
  a whole year is still a true statement about that year for a monthly indicator — a flow's yearly
  total, a stock's year-end level — but it cannot be split into months, so it is stored at its own
  granularity and is only aggregated upward. A finer period than the type would invite sums the
  indicator does not define (e.g. monthly values of a yearly survey figure).
- Units as they were: a unit is a province code of the 63-province list (before 2025-07-01). Codes are
  read at the END of the observation's period (records.md), so where a code changed meaning on
  2025-07-01 (82 Tiền Giang -> Đồng Tháp; 45, 70, 94 ceased), the period must end before 2025-07-01.
  This is why a Tiền Giang figure "so far" in a May 2025 article is stored as 202505, not 2025.
  (Needs the `vietnamadminunits` package of the project's environment; skipped with a notice without it.)

Exit status 0 when everything passes, 1 otherwise (each problem is printed).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "src" / "ioc57" / "indicators" / "catalogue.json"
SEED = ROOT / "src" / "ioc57" / "indicators" / "seed" / "articles.json"
PACKAGED_SEEDS = ROOT / "src" / "ioc57" / "indicators" / "seed" / "articles"
# the shared originals when they sit beside the repository, else the copies kept in the package
DEFAULT_SEEDS = next(p for p in (ROOT.parent / "shared" / "seeds", PACKAGED_SEEDS) if p.is_dir())
REORGANISED = date(2025, 7, 1)

GROUPS = {"st", "innovation", "digital_government", "digital_economy"}
UNITS_OF_MEASURE = {"%", "count", "per 10,000 people", "billion VND", "rank"}
KINDS = {"count", "ratio", "value", "rank"}
AGGREGATIONS = {"sum", "ratio", "none"}
PERIOD_TYPES = {"year", "quarter", "month"}
DIRECTIONS = {"positive", "negative"}
INDICATOR_KEYS = {
    "code": str,
    "group": str,
    "name": str,
    "name_en": str,
    "description": str,
    "description_en": str,
    "unit_of_measure": str,
    "kind": str,
    "aggregation": str,
    "factor": (int, float, type(None)),
    "period_type": str,
    "direction": str,
    "stock": bool,
    "legal_basis": str,
    "targets": list,
}
OBSERVATION_KEYS = {
    "indicator",
    "unit",
    "period",
    "value",
    "numerator",
    "denominator",
    "percent_only",
    "source",
    "note",
    "id",
}
CODE_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
# granularity: a larger number is coarser
GRAIN = {"month": 1, "quarter": 2, "half": 3, "year": 4}
PERIOD_PATTERNS = [
    ("year", re.compile(r"^(\d{4})$")),
    ("half", re.compile(r"^(\d{4})S([12])$")),
    ("quarter", re.compile(r"^(\d{4})Q([1-4])$")),
    ("month", re.compile(r"^(\d{4})(0[1-9]|1[0-2])$")),
    ("week", re.compile(r"^(\d{4})W(\d{2})$")),
    ("day", re.compile(r"^(\d{4})(\d{2})(\d{2})$")),
]

problems: list[str] = []


def problem(where: str, message: str) -> None:
    problems.append(f"{where}: {message}")


def parse_period(code: str) -> tuple[str, date, date] | None:
    """(type, first day, last day) of a period code, or None."""
    for kind, pattern in PERIOD_PATTERNS:
        m = pattern.match(code)
        if not m:
            continue
        year = int(m.group(1))
        if kind == "year":
            return kind, date(year, 1, 1), date(year, 12, 31)
        if kind == "half":
            h = int(m.group(2))
            return kind, date(year, 6 * h - 5, 1), _month_end(year, 6 * h)
        if kind == "quarter":
            q = int(m.group(2))
            return kind, date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
        if kind == "month":
            month = int(m.group(2))
            return kind, date(year, month, 1), _month_end(year, month)
        return kind, date(year, 1, 1), date(year, 12, 31)  # week/day: refused by the grain check
    return None


def _month_end(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def check_catalogue(cat: dict) -> dict[str, dict]:
    if set(cat) != {"version", "groups", "indicators"}:
        problem(
            "catalogue", f"top-level keys are {sorted(cat)}, expected version, groups, indicators"
        )
    if cat.get("version") != 1:
        problem("catalogue", "version must be 1")
    groups = cat.get("groups", {})
    if set(groups) != GROUPS:
        problem("catalogue.groups", f"keys {sorted(groups)}, expected {sorted(GROUPS)}")
    for key, g in groups.items():
        for field in ("name", "name_en"):
            if not isinstance(g.get(field), str) or not g.get(field).strip():
                problem(f"groups.{key}", f"{field} missing")
    if groups.get("st", {}).get("name") != "Khoa học, công nghệ":
        problem("groups.st", "name must be 'Khoa học, công nghệ'")

    by_code: dict[str, dict] = {}
    for i, ind in enumerate(cat.get("indicators", [])):
        where = f"indicator[{i}] {ind.get('code', '?')}"
        missing = set(INDICATOR_KEYS) - set(ind)
        extra = set(ind) - set(INDICATOR_KEYS)
        if missing:
            problem(where, f"missing keys {sorted(missing)}")
            continue
        if extra:
            problem(where, f"unknown keys {sorted(extra)}")
        for key, typ in INDICATOR_KEYS.items():
            if not isinstance(ind[key], typ) or (typ is not bool and isinstance(ind[key], bool)):
                problem(where, f"{key} has type {type(ind[key]).__name__}")
        for key in ("name", "name_en", "description", "description_en", "legal_basis"):
            if isinstance(ind[key], str) and not ind[key].strip():
                problem(where, f"{key} is empty")
        code = ind["code"]
        if not CODE_RE.match(code):
            problem(where, "code is not snake_case ASCII")
        if code in by_code:
            problem(where, "duplicate code")
        by_code[code] = ind
        for key, allowed in (
            ("group", GROUPS),
            ("unit_of_measure", UNITS_OF_MEASURE),
            ("kind", KINDS),
            ("aggregation", AGGREGATIONS),
            ("period_type", PERIOD_TYPES),
            ("direction", DIRECTIONS),
        ):
            if ind[key] not in allowed:
                problem(where, f"{key} {ind[key]!r} not in {sorted(allowed)}")
        kind, agg, uom, factor = (
            ind["kind"],
            ind["aggregation"],
            ind["unit_of_measure"],
            ind["factor"],
        )
        if kind == "ratio":
            if agg != "ratio":
                problem(where, "a ratio indicator is aggregated 'ratio'")
            expected = {"%": 100, "per 10,000 people": 10000}.get(uom)
            if expected is None:
                problem(where, f"a ratio indicator in {uom!r}")
            elif factor != expected:
                problem(where, f"factor {factor} for {uom!r}, expected {expected}")
        else:
            if factor is not None:
                problem(where, "factor must be null unless kind is ratio")
            if agg == "ratio":
                problem(where, "aggregation 'ratio' needs kind 'ratio'")
        if kind == "rank" and (agg != "none" or uom != "rank" or ind["direction"] != "negative"):
            problem(where, "a rank is aggregated 'none', in 'rank', direction 'negative'")
        if uom == "rank" and kind != "rank":
            problem(where, "unit 'rank' needs kind 'rank'")
        if kind == "count" and (agg != "sum" or uom != "count"):
            problem(where, "a count is aggregated 'sum', in 'count'")
        if kind == "value" and uom in ("count", "rank"):
            problem(where, f"kind 'value' in {uom!r}")
        years = set()
        for j, t in enumerate(ind["targets"]):
            tw = f"{where} target[{j}]"
            if not isinstance(t, dict) or set(t) != {"year", "value", "basis"}:
                problem(tw, "must be {year, value, basis}")
                continue
            if not isinstance(t["year"], int) or not 2025 <= t["year"] <= 2050:
                problem(tw, "year must be an integer 2025-2050")
            if t["year"] in years:
                problem(tw, "two targets for one year")
            years.add(t["year"])
            if not is_number(t["value"]):
                problem(tw, "value must be a number")
            elif uom == "%" and not 0 <= t["value"] <= 100:
                problem(tw, "a percentage target outside 0-100")
            if not isinstance(t["basis"], str) or not t["basis"].strip():
                problem(tw, "basis missing")
    return by_code


def load_articles(seeds: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))}


def legacy_codes() -> tuple[dict[str, str], dict[str, str]] | None:
    """({legacy code: name}, {current code: name}) from vietnamadminunits, or None without it."""
    try:
        from vietnamadminunits.database import query
    except ImportError:
        return None
    legacy = {
        r["provinceCode"]: r["province"]
        for r in query("select distinct province, provinceCode from admin_units_legacy")
    }
    current = {
        r["provinceCode"]: r["province"]
        for r in query("select distinct province, provinceCode from admin_units")
    }
    return legacy, current


def check_observations(seed: dict, by_code: dict[str, dict], articles: dict[str, str]) -> None:
    if set(seed) != {"observations"}:
        problem("seed", "top-level key must be 'observations' only")
    units = legacy_codes()
    if units is None:
        print("notice: vietnamadminunits not importable; unit codes not checked", file=sys.stderr)
    today = date.today()
    seen: set[tuple] = set()
    for i, o in enumerate(seed.get("observations", [])):
        where = f"observation[{i}] {o.get('indicator')}/{o.get('unit')}/{o.get('period')}"
        extra = set(o) - OBSERVATION_KEYS
        if extra:
            problem(where, f"unknown keys {sorted(extra)}")
        for key in ("indicator", "unit", "period", "source"):
            if not isinstance(o.get(key), str) or not o.get(key):
                problem(where, f"{key} missing")
        ind = by_code.get(o.get("indicator"))
        if ind is None:
            problem(where, "unknown indicator")
            continue
        key = (o["indicator"], o["unit"], o["period"])
        if key in seen:
            problem(where, "duplicate (indicator, unit, period)")
        seen.add(key)

        # period
        parsed = parse_period(o["period"])
        if parsed is None:
            problem(where, "not a period code")
            continue
        ptype, start, end = parsed
        if ptype not in GRAIN:
            problem(where, f"a {ptype} period is never accepted")
        elif GRAIN[ptype] < GRAIN[ind["period_type"]]:
            problem(
                where,
                f"a {ptype} period is finer than the indicator's period type {ind['period_type']}",
            )
        if start > today:
            problem(where, "the period has not begun")

        # unit as it was
        if units is not None:
            legacy, current = units
            code = o["unit"]
            if code not in legacy:
                problem(where, f"unit {code!r} is not a province code of the 63-province list")
            elif current.get(code) != legacy[code] and end >= REORGANISED:
                now = current.get(code, "no unit")
                problem(
                    where,
                    f"unit {code} ({legacy[code]}) is read at the period's end {end}, when the "
                    f"code means {now}: use a period ending before {REORGANISED}",
                )

        # values
        value, num, den = o.get("value"), o.get("numerator"), o.get("denominator")
        for name, x in (("value", value), ("numerator", num), ("denominator", den)):
            if x is not None and not is_number(x):
                problem(where, f"{name} must be a number or null")
        if (num is None) != (den is None):
            problem(where, "give numerator and denominator together")
        if value is None and (num is None or den is None):
            problem(where, "give a value, or a numerator and a denominator")
        kind, factor = ind["kind"], ind["factor"]
        if kind == "ratio":
            if num is not None and den is not None and is_number(num) and is_number(den):
                if den <= 0:
                    problem(where, "denominator must be above 0")
                elif ind["unit_of_measure"] == "%" and num > den:
                    problem(where, "numerator above denominator for a percentage")
                elif num < 0:
                    problem(where, "negative numerator")
                elif is_number(value) and not math.isclose(value, num / den * factor, rel_tol=1e-3):
                    problem(where, f"value {value} is not numerator / denominator × {factor}")
            percent_only = num is None and den is None
            if o.get("percent_only", False) != percent_only:
                problem(
                    where,
                    f"percent_only must be {percent_only} (ratio given "
                    f"{'as a value only' if percent_only else 'with its counts'})",
                )
            if is_number(value) and ind["unit_of_measure"] == "%" and not 0 <= value <= 100:
                problem(where, "a percentage outside 0-100")
        else:
            if num is not None or den is not None:
                problem(where, "numerator/denominator only for ratio indicators")
            if "percent_only" in o:
                problem(where, "percent_only only for ratio indicators")
        if kind == "count" and is_number(value) and (value < 0 or value != int(value)):
            problem(where, "a count is a whole number ≥ 0")
        if kind == "rank" and is_number(value) and (value < 1 or value != int(value)):
            problem(where, "a rank is a whole number ≥ 1")

        # source: "<file>: <verbatim sentence>"
        src = o.get("source") or ""
        fname, sep, sentence = src.partition(": ")
        if not sep or not sentence.strip():
            problem(where, "source must be '<file name>: <sentence>'")
        elif fname not in articles:
            problem(where, f"source file {fname!r} is not among the articles")
        elif sentence not in articles[fname]:
            problem(where, f"source sentence does not occur verbatim in {fname}")
        if len(src) > 1000:
            problem(where, "source longer than 1000 characters (the gate's limit)")
        if "note" in o and not isinstance(o["note"], str):
            problem(where, "note must be a string")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seeds", type=Path, default=Path(os.environ.get("IOC57_SEEDS_DIR", DEFAULT_SEEDS))
    )
    args = parser.parse_args()
    if not args.seeds.is_dir():
        print(f"no articles directory at {args.seeds}", file=sys.stderr)
        return 1
    cat = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    articles = load_articles(args.seeds)
    by_code = check_catalogue(cat)
    check_observations(seed, by_code, articles)

    per_group: dict[str, int] = {}
    for ind in by_code.values():
        per_group[ind["group"]] = per_group.get(ind["group"], 0) + 1
    per_article = {name: 0 for name in articles}
    for o in seed.get("observations", []):
        name = (o.get("source") or "").partition(": ")[0]
        per_article[name] = per_article.get(name, 0) + 1
    print(
        f"indicators: {len(by_code)} " + ", ".join(f"{g} {n}" for g, n in sorted(per_group.items()))
    )
    print(
        f"observations: {len(seed.get('observations', []))} "
        + ", ".join(f"{a} {n}" for a, n in sorted(per_article.items()))
    )
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print(f"- {p}")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
