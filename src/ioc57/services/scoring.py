"""The Decision 766 index from counts: each indicator's numerator and denominator, its score by the
rule of ``index766.json`` (weights, "full at" targets, "max if none"), the groups and the total.

Pure functions of a ``Counts``: the rollups are read elsewhere (``services.counts``), so the
rules can be checked by hand on small figures, and a "what if" (a dossier finishing on time or
late) is the same computation on counts changed by one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path
from typing import Any

SPEC_FILE = Path(__file__).with_name("index766.json")


@dataclass(frozen=True)
class Counts:
    """What the index is computed from, for one unit and one period."""

    # procedures in force at the end of the period (those the unit runs)
    procedures: int = 0
    published_on_time: int = 0
    full_content: int = 0
    offered_online: int = 0  # end-to-end or partial
    end_to_end: int = 0
    fee: int = 0
    fee_payment_online: int = 0
    population_db: int = 0
    # changes of procedures made in the period
    changes: int = 0
    changes_on_time: int = 0
    # procedures offered online (fee-bearing) that had an online dossier (an online payment)
    online_procedures: int = 0
    online_procedures_used: int = 0
    fee_procedures: int = 0
    fee_procedures_paid: int = 0
    # dossiers received in the period
    received: int = 0
    received_online: int = 0
    synced_national: int = 0
    digitized: int = 0
    data_reused: int = 0
    population_data_used: int = 0
    fee_dossiers: int = 0
    fee_dossiers_paid_online: int = 0
    # dossiers finished in the period
    finished: int = 0
    on_time: int = 0
    working_days: float = 0.0  # summed over the finished ones
    result_electronic: int = 0
    certified_copy_electronic: int = 0
    synced_personal_store: int = 0
    complaint: int = 0
    # citizen reports about procedures received in the period
    reports: int = 0
    reports_due: int = 0  # answered, or past their deadline unanswered
    reports_on_time: int = 0
    reports_unsatisfied: int = 0
    reports_repeated: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def finishing(self, on_time: bool) -> Counts:
        """These counts with one more dossier finished, on time or late."""
        return replace(self, finished=self.finished + 1, on_time=self.on_time + int(on_time))


def _measures(c: Counts) -> dict[str, tuple[float, float]]:
    """(numerator, denominator) of each indicator (``../shared/specs/766-index.md``)."""
    late = c.finished - c.on_time
    reports_late = c.reports_due - c.reports_on_time
    return {
        "1.1": (c.published_on_time, c.procedures),
        "1.2": (c.changes_on_time, c.changes),
        "1.3": (c.full_content, c.procedures),
        "1.4": (c.synced_national, c.received),
        "2.1": (c.on_time, c.finished),
        "3.1": (c.offered_online, c.procedures),
        "3.2": (c.online_procedures_used, c.online_procedures),
        "3.3": (c.received_online, c.received),
        "4.1": (c.fee_payment_online, c.fee),
        "4.2": (c.fee_procedures_paid, c.fee_procedures),
        "4.3": (c.fee_dossiers_paid_online, c.fee_dossiers),
        "5.1": (c.reports_on_time, c.reports_due),
        "5.2": (
            max(0, c.reports - c.reports_unsatisfied - c.reports_repeated - reports_late),
            c.reports,
        ),
        "5.3": (max(0, c.finished - late - c.complaint), c.finished),
        "6.1": (c.result_electronic, c.finished),
        "6.2": (c.digitized, c.received),
        "6.3": (c.certified_copy_electronic, c.finished),
        "6.4": (c.data_reused, c.received),
        "6.5": (c.synced_personal_store, c.finished),
        "6.6": (c.population_db, c.procedures),
        "6.7": (c.population_data_used, c.received),
    }


@cache
def spec() -> dict[str, Any]:
    """The index's groups, indicators, weights and parameters (``index766.json``)."""
    data: dict[str, Any] = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    return data


def score(indicator: dict[str, Any], numerator: float, denominator: float) -> dict[str, Any]:
    """One indicator: rate and score, or not assessable (denominator 0 and not "max if none")."""
    top = float(indicator["max"])
    out = {
        "id": indicator["id"],
        "name": indicator["name"],
        "name_en": indicator["name_en"],
        "group": indicator["group"],
        "numerator": numerator,
        "denominator": denominator,
        "max": top,
    }
    if denominator == 0:
        full = bool(indicator.get("max_if_none"))
        return out | {"rate": None, "score": top if full else None, "assessable": full}
    rate = min(1.0, max(0.0, numerator / denominator))
    full_at = indicator.get("full_at")
    points = top * (min(1.0, rate / full_at) if full_at else rate)
    return out | {"rate": rate, "score": points, "assessable": True}


def _scores(counts: Counts) -> list[dict[str, Any]]:
    measures = _measures(counts)
    return [score(ind, *measures[ind["id"]]) for ind in spec()["indicators"]]


def _two(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def index(counts: Counts) -> dict[str, Any]:
    """The index of these counts: ``total``, ``groups`` and ``indicators`` as the API gives them,
    scores to two decimals; ``assessable_max`` is the points that could be assessed (100 less
    those that could not)."""
    items = _scores(counts)
    groups = []
    for group in spec()["groups"]:
        mine = [i for i in items if i["group"] == group["code"]]
        assessed = [i for i in mine if i["assessable"]]
        groups.append(
            {
                "code": group["code"],
                "name": group["name"],
                "name_en": group["name_en"],
                "max": float(group["max"]),
                "score": _two(sum(i["score"] for i in assessed)) if assessed else None,
                "assessable": bool(assessed),
                "assessable_max": float(sum(i["max"] for i in assessed)),
            }
        )
    assessed = [g for g in groups if g["assessable"]]
    return {
        "total": _two(sum(g["score"] for g in assessed)) if assessed else None,
        "assessable_max": float(sum(g["assessable_max"] for g in assessed)),
        "average_working_days": (
            round(counts.working_days / counts.finished, 2) if counts.finished else None
        ),
        "groups": groups,
        "indicators": [i | {"rate": _two(i["rate"], 4), "score": _two(i["score"])} for i in items],
    }


def points_at_stake(counts: Counts) -> float:
    """What the total loses if one more dossier finishes late rather than on time (2.1 and 5.3)."""
    early = _scores(counts.finishing(True))
    late = _scores(counts.finishing(False))
    lost = sum((a["score"] or 0.0) - (b["score"] or 0.0) for a, b in zip(early, late, strict=True))
    return round(lost, 3)
