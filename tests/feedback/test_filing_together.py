"""Reports filed at the same moment go through the gate in one batch, each filer getting its own
outcome: its tracking code and commune, or the refusal of its own report only."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from ioc57.core.problems import Problem
from ioc57.feedback.intake import file_report
from ioc57.feedback.tables import reports
from ioc57.feedback.together import together


def test_reports_waiting_for_the_gate_go_in_one_batch_and_a_bad_one_is_refused_alone(
    feedback_app, feedback
):
    gate = feedback_app.state.gate
    queue = together(gate)
    commune = feedback.communes[0]
    outcomes: dict[int, object] = {}

    def filer(i: int) -> None:
        fields = {"category": "moi-truong", "text": f"Rác thải ùn ứ ở ấp {i}.", "unit": commune}
        if i == 3:
            fields["lat"] = 123.0  # out of range: the gate rejects this one
        try:
            outcomes[i] = file_report(gate, fields, "phone", "vanhanh")
        except Problem as exc:
            outcomes[i] = exc

    with queue.turn:  # someone is writing: the filers wait, queued
        threads = [threading.Thread(target=filer, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while len(queue.waiting) < 6 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(queue.waiting) == 6
    for t in threads:
        t.join(60)

    refused = outcomes.pop(3)
    assert isinstance(refused, Problem) and refused.status == 422
    filed = list(outcomes.values())
    assert all(f.unit == commune and f.tracking for f in filed)  # type: ignore[attr-defined]
    with feedback_app.state.engine.connect() as conn:
        rows = conn.execute(
            select(reports.c.batch_id, reports.c.tracking).where(
                reports.c.record_id.in_([f.record_id for f in filed])  # type: ignore[attr-defined]
            )
        ).all()
    assert len(rows) == 5 and len({r.batch_id for r in rows}) == 1
    assert {r.tracking for r in rows} == {f.tracking for f in filed}  # type: ignore[attr-defined]


def test_a_report_filed_alone_goes_at_once(feedback_app, feedback):
    gate = feedback_app.state.gate
    fields = {"category": "y-te", "text": "Trạm y tế thiếu thuốc.", "unit": feedback.communes[1]}
    filed = file_report(gate, fields, "web", "public:web")
    assert filed.unit == feedback.communes[1] and not together(gate).waiting
    with pytest.raises(Problem) as refused:
        file_report(gate, fields | {"lon": 500.0}, "web", "public:web")
    assert refused.value.status == 422
