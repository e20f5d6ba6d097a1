"""The demo's figures: the articles' figures cite their file and sentence; simulated ones say so."""

from pathlib import Path

from sqlalchemy import select

from ioc57.indicators.demo import load_article_figures, load_simulated_series
from ioc57.indicators.tables import indicator_values

# the articles, as kept in the package (copies of the project's shared seeds)
SEEDS = Path(__file__).resolve().parents[2] / "src" / "ioc57" / "indicators" / "seed" / "articles"


def test_every_article_figure_is_loaded_approved_and_cites_a_real_sentence(app, engine, client):
    answer = load_article_figures(app.state.gate)
    assert answer["rejected"] == [] and answer["accepted"] >= 35
    with engine.connect() as conn:
        rows = conn.execute(select(indicator_values)).all()
    assert rows and all(r.status == "approved" and not r.simulated for r in rows)
    for r in rows:
        name, sentence = r.citation.split(": ", 1)
        assert sentence in (SEEDS / name).read_text(encoding="utf-8"), r.citation
    again = load_article_figures(app.state.gate)
    assert again["accepted"] == 0 and again["unchanged"] == answer["accepted"]
    # Tiền Giang's 2024 figures show under today's Đồng Tháp, with their origin
    item = next(
        i
        for i in client.get("/api/v1/scorecard", params={"unit": "82", "year": 2024}).json()[
            "items"
        ]
        if i["indicator"] == "online_services_end_to_end"
    )
    assert item["value"] == 1165 and "Tiền Giang" in item["note"] and item["simulated"] is False


def test_simulated_series_are_marked_and_never_mixed_with_real_figures(app, client):
    load_article_figures(app.state.gate)
    assert load_simulated_series(app.state.gate)["accepted"] > 0
    items = client.get("/api/v1/scorecard", params={"unit": "82", "year": 2024}).json()["items"]
    simulated = {i["indicator"] for i in items if i["simulated"]}
    assert "online_meetings" in simulated
    real = {i["indicator"] for i in items if i["value"] is not None and not i["simulated"]}
    assert "online_services_end_to_end" in real and not simulated & real
