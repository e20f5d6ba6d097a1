"""Demo data for the scorecard, loaded only by ``ioc57 demo``.

- The figures of the five articles (``seed/articles.json``), as approved values of the provinces as
  they were when reported (the legacy units), each citing its article file and sentence. They come
  through the gate from a trusted source named ``bai-bao`` (articles).
- Simulated yearly series (``dữ liệu mô phỏng``) so that charts and statuses have something to show;
  they come from the simulated source ``mo-phong-chi-so`` and are labelled wherever they show.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from sqlalchemy.engine import Engine

from ioc57.core.clock import today
from ioc57.ingest.gate import Gate
from ioc57.ingest.sources import as_source, create_source, get_row, source_principal
from ioc57.modules import Demo

SEED = Path(__file__).resolve().parent / "seed" / "articles.json"
ARTICLES_SOURCE = "bai-bao"
# the citation of a simulated value: data, in the language of the province's own records (pages
# say "simulated data" in their language beside it, from the source's ``simulated`` flag)
SIMULATED_CITATION = "Dữ liệu mô phỏng, không phải số liệu thật"
SIMULATED_SOURCE = "mo-phong-chi-so"
ALL_PROVINCES = [
    "82",
    "42",
    "44",
    "75",
    "92",
]  # the current provinces the articles' provinces are in now


def _source(
    engine: Engine,
    name: str,
    title: str,
    *,
    trusted: bool,
    simulated: bool,
    units: list[str] = ALL_PROVINCES,
):
    with engine.begin() as conn:
        if get_row(conn, name) is None:
            create_source(
                conn,
                actor="ioc57-demo",
                name=name,
                types=["observation"],
                units=units,
                today=today(),
                title=title,
                trusted=trusted,
                simulated=simulated,
            )
        row = get_row(conn, name)
        # the figures are written as the source itself: approved on arrival because it is trusted
        return as_source(conn, row, today()), source_principal(conn, row)


def _push(gate: Gate, source, principal, rows: list[dict]) -> dict:
    """``rows`` through the gate as ``source``'s own system user, as a push would send them."""
    result = gate.ingest(
        source,
        "observation",
        list(enumerate(rows)),
        principal=principal,
        via="push",
        actor="ioc57-demo",
    )
    return result.answer()


def load_article_figures(gate: Gate) -> dict:
    source, principal = _source(
        gate.engine,
        ARTICLES_SOURCE,
        "Số liệu từ các bài báo (seeds)",
        trusted=True,
        simulated=False,
    )
    rows = []
    for item in json.loads(SEED.read_text(encoding="utf-8"))["observations"]:
        record = {k: item[k] for k in ("indicator", "unit", "period", "source") if k in item}
        for key in ("value", "numerator", "denominator"):
            if item.get(key) is not None:
                record[key] = item[key]
        record["updated_at"] = "2025-07-01T00:00:00+07:00"
        rows.append(record)
    return _push(gate, source, principal, rows)


SIMULATED_SERIES = {
    # indicator: (value in 2020, yearly growth) for the current province 82 (Đồng Tháp)
    "online_dossier_rate": (28.0, 0.16),
    "online_services_end_to_end_rate": (30.0, 0.14),
    "hotline_1022_reports": (1800, 0.10),
    "digital_signatures_issued": (4000, 0.22),
    "electronic_documents_exchanged": (900_000, 0.12),
    "online_meetings": (300, 0.18),
    "rd_personnel_per_10k": (3.1, 0.05),
    "enterprises_innovation_share": (18.0, 0.04),
}


def load_simulated_series(gate: Gate, province: str = "82", seed: int = 57) -> dict:
    """Yearly values 2020–2024 for a few indicators of one province, clearly marked simulated."""
    from ioc57.indicators.catalogue import catalogue

    source, principal = _source(
        gate.engine, SIMULATED_SOURCE, "Dữ liệu mô phỏng (chỉ số)", trusted=True, simulated=True
    )
    rng = random.Random(seed)
    reported = {
        (o["indicator"], o["unit"], o["period"])
        for o in json.loads(SEED.read_text(encoding="utf-8"))["observations"]
    }
    rows = []
    for code, (start, growth) in SIMULATED_SERIES.items():
        if any(key[0] == code and key[1] == province for key in reported):
            continue  # never mix simulated values into a series that has real figures
        ind = catalogue().get(code)
        if ind is None or ind.period_type not in ("year", "month"):
            continue
        for year in range(2020, 2025):
            value = start * (1 + growth) ** (year - 2020) * rng.uniform(0.97, 1.03)
            if ind.unit_of_measure == "%":
                value = min(value, 99.0)
            if ind.kind == "count":
                value = round(value)
            rows.append(
                {
                    "indicator": code,
                    "unit": province,
                    "period": str(year),
                    "value": round(value, 2),
                    "source": SIMULATED_CITATION,
                    "updated_at": "2025-07-01T00:00:00+07:00",
                }
            )
    return _push(gate, source, principal, rows)


COMPARED = {
    # indicator: (share in 2020, yearly gain in points, what the denominator counts, its range)
    "online_payment_rate": (18.0, 9.0, (40_000, 400_000)),
    "electronic_result_rate": (35.0, 10.0, (40_000, 400_000)),
    "digitized_data_reuse_rate": (10.0, 8.0, (20_000, 200_000)),
    "electronic_health_record_rate": (5.0, 14.0, (800_000, 3_500_000)),
}
COMPARED_SOURCE = "mo-phong-so-sanh"


def load_simulated_comparison(gate: Gate, seed: int = 57) -> dict:
    """Four indicators for every province, 2020–2025, so that the 34 can be compared: simulated.

    Before 2025 the values belong to the 63 provinces of the time, after it to the 34: the merged
    provinces add up honestly (numerators and denominators, never averaged shares). None of these
    indicators has a real figure in the articles, so nothing simulated mixes with a real series.
    """
    from sqlalchemy import select

    from ioc57.units.tables import units

    with gate.engine.connect() as conn:
        query = select(units.c.code, units.c.valid_to).where(units.c.level == "province")
        provinces = conn.execute(query).all()
    legacy = sorted(r.code for r in provinces if r.valid_to is not None)
    current = sorted(r.code for r in provinces if r.valid_to is None)
    source, principal = _source(
        gate.engine,
        COMPARED_SOURCE,
        "Dữ liệu mô phỏng (so sánh 34 tỉnh)",
        trusted=True,
        simulated=True,
        units=current,
    )
    rng = random.Random(seed)
    out = []
    for code, (start, gain, (low, high)) in COMPARED.items():
        for year in range(2020, 2026):
            for unit in legacy if year < 2025 else current:
                share = min(99.0, max(1.0, start + gain * (year - 2020) + rng.uniform(-8, 8)))
                den = rng.randint(low, high)
                out.append(
                    {
                        "indicator": code,
                        "unit": unit,
                        "period": str(year),
                        "numerator": round(den * share / 100),
                        "denominator": den,
                        "source": SIMULATED_CITATION,
                        "updated_at": "2025-07-01T00:00:00+07:00",
                    }
                )
    return _push(gate, source, principal, out)


def load_demo(demo: Demo) -> None:
    figures = load_article_figures(demo.gate)
    series = load_simulated_series(demo.gate)
    compared = load_simulated_comparison(demo.gate)
    demo.echo(
        f"article figures: {figures['accepted'] + figures['updated']} new,"
        f" {figures['unchanged']} already loaded, {len(figures['rejected'])} rejected;"
        f" simulated indicator values (dữ liệu mô phỏng): {series['accepted']}"
        f" + {compared['accepted']} to compare the provinces"
        f" ({len(compared['rejected'])} rejected)"
    )
