"""A leader's decisions: only a leader confirms or refuses the completion an agency claimed (with
its evidence), extends a deadline with a reason (the first deadline kept and shown, the
extended one deciding the status), and answers the difficulties a report raised. A confirmed
completion is final."""

from __future__ import annotations

from datetime import date

from ..support import evidence as files
from ..support.tasks import task

PDF = [("quyet-dinh.pdf", files.pdf())]


def test_only_a_leader_decides_on_a_claimed_completion(planner, today_is):
    _, (planned,) = planner.plan("P-DECIDE", task("P-DECIDE", "1", deadline="2026-06-30"))
    url = f"tasks/{planned['id']}"
    today_is(date(2026, 6, 15))
    assert planner.post(f"{url}/confirm", {}).status_code == 409  # nothing claimed yet
    planner.report(planned["id"], files=PDF, text="Hoàn thành", completes=True, expect=201)
    again = planner.report(planned["id"], files=PDF, text="Lần nữa", completes=True, expect=409)
    assert again.json()["errors"][0]["loc"] == ["completes"]
    assert planner.post(f"{url}/confirm", {}, who="officer").status_code == 403
    assert planner.post(f"{url}/refuse", {"reason": "x"}, who="officer").status_code == 403
    blank = planner.post(f"{url}/refuse", {"reason": "  "}, expect=422)
    assert blank.json()["errors"][0]["loc"] == ["body", "reason"]
    refused = planner.post(f"{url}/refuse", {"reason": "Thiếu quyết định ban hành"}, expect=200)
    assert (refused.json()["completed_on"], refused.json()["status"]) == (None, "within_deadline")
    today_is(date(2026, 6, 20))
    planner.report(planned["id"], files=PDF, text="Bổ sung", completes=True, expect=201)
    confirmed = planner.post(f"{url}/confirm", {}, who="admin", expect=200).json()
    assert confirmed["status"] == "completed_on_time" and confirmed["completed_on"] == "2026-06-20"
    assert confirmed["confirmed_by"] == "admin"
    for path, body in (("confirm", {}), ("refuse", {"reason": "x"})):
        assert planner.post(f"{url}/{path}", body).status_code == 409  # final
    extend = {"deadline": "2026-12-31", "reason": "x"}
    assert planner.post(f"{url}/extend", extend).status_code == 409
    assert planner.report(planned["id"], text="Thêm", percent=100).status_code == 409
    steps = planner.get(url).json()["timeline"]
    assert [s["kind"] for s in steps] == [
        "planned",
        "completion_claimed",
        "completion_refused",
        "completion_claimed",
        "confirmed",
    ]
    assert steps[2]["detail"]["reason"] == "Thiếu quyết định ban hành"


def test_an_extended_deadline_decides_the_status_and_the_first_is_kept(planner, today_is):
    _, (kept, late, monthly) = planner.plan(
        "P-EXTEND",
        task("P-EXTEND", "1", deadline="2026-06-30"),
        task("P-EXTEND", "2", deadline="2026-06-30"),
        task("P-EXTEND", "3", deadline=None, recurrence="quarterly"),
    )
    today_is(date(2026, 7, 3))
    url = f"tasks/{kept['id']}"
    assert planner.get(url).json()["status"] == "overdue"
    move = {"deadline": "2026-07-10", "reason": "Chờ hướng dẫn của Bộ"}  # a Friday
    assert planner.post(f"{url}/extend", move, who="officer").status_code == 403
    for body, field in (
        ({"deadline": "2026-06-30", "reason": "x"}, "deadline"),
        ({**move, "reason": ""}, "reason"),
    ):
        refused = planner.post(f"{url}/extend", body, expect=422)
        assert field in refused.json()["errors"][0]["loc"]
    extended = planner.post(f"{url}/extend", move, expect=200).json()
    assert (extended["deadline"], extended["extended_deadline"], extended["status"]) == (
        "2026-06-30",
        "2026-07-10",
        "within_deadline",
    )
    assert planner.post(f"{url}/extend", move).status_code == 422  # not after the one in force
    planner.post(f"tasks/{late['id']}/extend", move, expect=200)
    for shown, done_on, status in (
        (kept, date(2026, 7, 10), "completed_on_time"),
        (late, date(2026, 7, 13), "completed_late"),  # the Monday after: late
    ):
        today_is(done_on)
        planner.report(shown["id"], files=PDF, text="Xong", completes=True, expect=201)
        assert planner.post(f"tasks/{shown['id']}/confirm", {}).json()["status"] == status
    step = planner.get(url).json()["timeline"][1]
    assert (step["kind"], step["detail"]["from"], step["detail"]["to"]) == (
        "extended",
        "2026-06-30",
        "2026-07-10",
    )
    assert planner.post(f"tasks/{monthly['id']}/extend", move).status_code == 409  # no deadline


def test_a_leader_answers_the_difficulties_a_report_raised(planner):
    _, (planned,) = planner.plan("P-ANSWER", task("P-ANSWER", "1"))
    raised = planner.report(
        planned["id"],
        text="Đang triển khai",
        percent=40,
        difficulties="Thiếu kinh phí",
        proposals="Đề nghị bổ sung dự toán",
        expect=201,
    ).json()
    plain = planner.report(planned["id"], text="Tiếp tục", percent=50, expect=201).json()
    url = f"tasks/{planned['id']}/reports"
    answer = {"answer": "Sở Tài chính tham mưu bổ sung trong quý III"}
    assert planner.post(f"{url}/{raised['id']}/answer", answer, who="officer").status_code == 403
    assert planner.post(f"{url}/{plain['id']}/answer", answer).status_code == 409  # none raised
    assert planner.post(f"{url}/{2**31 - 1}/answer", answer).status_code == 404
    answered = planner.post(f"{url}/{raised['id']}/answer", answer, expect=200).json()
    assert (answered["answer"], answered["answered_by"]) == (answer["answer"], "t.lanhdao")
    listed = planner.get(url, "officer").json()["items"]
    assert [r["answer"] for r in listed] == [None, answer["answer"]]
