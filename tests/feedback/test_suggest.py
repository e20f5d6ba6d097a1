"""The suggested category and agency: learnt from the reports operators confirmed (forwarded with
an agency through the API), retrained by the app's worker as more are confirmed, explained by the
n-grams of the report's own text, with or without diacritics; its held-out accuracy measured by
``ioc57 feedback model-check``.

The texts are the simulator's (``feedback/simulation.py``), sent as received with the category
"khac" (the citizen did not choose one): the operator's forward gives the category and agency."""

from __future__ import annotations

import itertools
import json

import pytest
from click.testing import CliRunner

from ioc57.cli import main
from ioc57.feedback import tokens
from ioc57.feedback.simulation import CATEGORIES, HAMLETS
from ioc57.feedback.suggest import FLOOR

from ..support.feedback import report

# the agencies of the test province and the categories each answers (as routes would say)
AGENCIES = {
    "SUG-MT-82": ("moi-truong", "nong-nghiep"),
    "SUG-GT-82": ("giao-thong", "do-thi"),
    "SUG-DN-82": ("dien-nuoc", "an-ninh-trat-tu", "thu-tuc-hanh-chinh"),
}
LATER = ("y-te", "SUG-YT-82")  # confirmed only later: the retrained model learns it
AGENCY_OF = {c: a for a, cs in AGENCIES.items() for c in cs}
_n = itertools.count()


def text_of(category: str) -> str:
    """The category's templates in turn, each in another hamlet."""
    n = next(_n)
    template = CATEGORIES[category][n % len(CATEGORIES[category])]
    return template.format(place=f"{HAMLETS[n % len(HAMLETS)]}, xã Mỹ Phước")


def received(feedback, texts: list[str]) -> list[str]:
    """Send reports as received (no category chosen); their ids."""
    sent = [report(feedback.communes[i % 3], category="khac", text=t) for i, t in enumerate(texts)]
    feedback.push(sent)
    return [r["id"] for r in sent]


def confirm(feedback, record_id: str, category: str, agency: str) -> None:
    body = {"step": "forward", "category": category, "agency": agency}
    r = feedback.client.post(
        f"/api/v1/feedback/reports/{record_id}/steps", json=body, headers=feedback.admin
    )
    assert r.status_code == 200, r.text


def suggestion(feedback, record_id: str, expect: int = 200) -> dict:
    r = feedback.client.get(
        f"/api/v1/feedback/reports/{record_id}/suggestion", headers=feedback.admin
    )
    assert r.status_code == expect, r.text
    return r.json()


@pytest.fixture(scope="module")
def worker(feedback_app, feedback):
    """The app's retraining worker, running (as under ``ioc57 serve``), quick to retrain."""
    job = feedback_app.state.feedback_suggest
    job.debounce_s = 0.05
    job.start()
    assert job.drain()
    yield job
    job.stop()


@pytest.fixture(scope="module")
def trained(feedback, worker):
    """Three reports of each category but the later one, confirmed by an operator."""
    for code in (*AGENCIES, LATER[1]):
        body = {"code": code, "name": f"Sở {code}", "parent": "82", "type": "sở"}
        r = feedback.client.post("/api/v1/units", json=body, headers=feedback.admin)
        assert r.status_code == 201, r.text
    categories = [c for c in AGENCY_OF for _ in range(3)]
    ids = received(feedback, [text_of(c) for c in categories])
    for record_id, category in zip(ids, categories, strict=True):
        confirm(feedback, record_id, category, AGENCY_OF[category])
    assert worker.drain()
    return len(categories)


def test_no_model_before_any_report_is_confirmed(feedback, worker):
    """(First in the module: no report is confirmed yet.)"""
    (record_id,) = received(feedback, [text_of("giao-thong")])
    assert worker.drain()
    problem = suggestion(feedback, record_id, expect=404)
    assert problem["errors"][0]["loc"] == ["path", "report_id"]
    assert feedback.row(record_id).suggested_category is None


def test_a_new_report_is_given_a_category_and_agency_with_the_ngrams_that_weighed(
    feedback, worker, trained
):
    text = text_of("dien-nuoc")
    (record_id,) = received(feedback, [text])
    assert worker.drain()
    row = feedback.row(record_id)
    assert (row.suggested_category, row.suggested_agency) == ("dien-nuoc", "SUG-DN-82")
    shown = suggestion(feedback, record_id)
    assert shown["category"] == "dien-nuoc" and shown["category_name"] == "Điện, nước sinh hoạt"
    assert shown["agency"] == "SUG-DN-82" and shown["agency_name"] == "Sở SUG-DN-82"
    assert FLOOR <= shown["confidence"] <= 1 and FLOOR <= shown["agency_confidence"] <= 1
    assert shown["trained_on"] == trained and shown["simulated"] is False
    grams = set(tokens.ngrams(tokens.syllables(text)))
    assert shown["because"] and set(shown["because"]) <= grams
    assert set(shown["agency_because"]) <= grams
    # a text that says nothing the model knows: no suggestion, and no reasons
    (empty,) = received(feedback, ["Xin chào."])
    assert worker.drain()
    nothing = suggestion(feedback, empty)
    assert nothing["category"] is None and nothing["because"] == []


def test_a_text_typed_without_diacritics_is_read_as_the_same_words(feedback, worker, trained):
    text = tokens.fold(text_of("giao-thong"))
    assert text.isascii()
    (record_id,) = received(feedback, [text])
    assert worker.drain()
    shown = suggestion(feedback, record_id)
    assert (shown["category"], shown["agency"]) == ("giao-thong", "SUG-GT-82")
    assert shown["because"] and set(shown["because"]) <= set(tokens.ngrams(tokens.syllables(text)))


def test_the_model_is_retrained_as_operators_confirm_reports(feedback, worker, trained):
    category, agency = LATER
    waiting, *more = received(feedback, [text_of(category) for _ in range(4)])
    assert worker.drain()
    before = feedback.row(waiting).suggested_category
    assert before != category  # not learnt yet
    rounds = worker.rounds
    for record_id in more:
        confirm(feedback, record_id, category, agency)
    assert worker.drain()
    assert worker.rounds > rounds
    # the report still waiting for an operator is given the category learnt since
    row = feedback.row(waiting)
    assert (row.suggested_category, row.suggested_agency) == (category, agency)
    shown = suggestion(feedback, waiting)
    assert shown["category"] == category and shown["trained_on"] == trained + len(more)
    assert all(feedback.row(r).confirmed for r in more)


def test_the_command_measures_the_accuracy_on_held_out_reports(module_db_url, trained):
    args = ["--database-url", module_db_url, "feedback", "model-check"]
    ran = CliRunner().invoke(main, [*args, "--province", "82", "--holdout", "0.25", "--seed", "3"])
    assert ran.exit_code == 0, ran.output
    (measured,) = json.loads(ran.output)
    assert measured["province"] == "82" and measured["train"] + measured["test"] >= trained
    assert measured["test"] == round(measured["confirmed"] * 0.25)
    for target in ("category", "agency"):
        found = measured[target]
        assert found["test"] == measured["test"] and found["classes"] >= 2
        assert 0 <= found["accuracy"] <= 1 and 0 <= found["baseline"] <= 1
    bad = CliRunner().invoke(main, [*args, "--holdout", "2"])
    assert bad.exit_code == 2
