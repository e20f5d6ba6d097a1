"""The Decision 766 fixture worked out by hand in ``tests/services/test_index.py``: the
procedures of province 82, five dossiers received at commune 28261 in September 2025 (D1..D5) and
three reports about procedures (F1..F3), as a provincial system sends them."""

from __future__ import annotations

from ..ingest.records import dossier, feedback, procedure

SPEC = {"name": "lgsp-82", "types": ["procedure", "dossier", "feedback"], "units": ["82"]}
NONE = dict.fromkeys(
    [
        "synced_national",
        "paid_online",
        "digitized",
        "data_reused",
        "population_data_used",
        "result_electronic",
        "certified_copy_electronic",
        "synced_personal_store",
        "complaint",
    ],
    False,
)


def proc(code, level, online, fee, payment, population, published, full, changes, effective):
    return procedure(
        id=code,
        level=level,
        online=online,
        fee=fee,
        payment_online=payment,
        population_db=population,
        published_date=published,
        full_content=full,
        changes=changes,
        effective_date=effective,
    )


PROCEDURES = [
    proc("1.001", "commune", "full", True, True, True, "2025-06-20", True,
         [{"changed_date": "2025-09-01", "published_date": "2025-09-03"}], "2025-07-01"),
    proc("1.002", "commune", "none", True, False, False, "2025-06-30", False,
         [{"changed_date": "2025-09-04"}], "2025-07-01"),
    proc("1.003", "province", "partial", False, False, False, "2025-06-01", True, [], "2025-07-01"),
    proc("1.004", "commune", "full", False, False, True, "2025-09-01", True, [], "2025-10-01"),
]  # fmt: skip


def done(n, procedure_code, finished_at, **flags):
    return dossier(
        n,
        procedure=procedure_code,
        status="finished",
        finished_at=finished_at,
        updated_at=finished_at,
        **(NONE | flags),
    )


DOSSIERS = [
    # D1: online, paid online, finished 09/09 before the due 10/09: on time
    done(1, "1.001", "2025-09-09T10:00:00+07:00", synced_national=True, paid_online=True,
         digitized=True, result_electronic=True, synced_personal_store=True),
    # D2: direct, finished 15/09 after the due 10/09: late; a complaint
    done(2, "1.001", "2025-09-15T10:00:00+07:00", channel="direct", synced_national=True,
         complaint=True),
    # D3: online, still processing
    dossier(3, procedure="1.002", status="processing",
            **(NONE | {"synced_national": True, "data_reused": True,
                       "population_data_used": True})),
    # D4: direct, finished early but asked twice for papers: late
    done(4, "1.003", "2025-09-05T10:00:00+07:00", channel="direct", supplement_requests=2,
         certified_copy_electronic=True),
    # D5: online, paid online, suspended 2 working days: due 12/09, finished 12/09: on time
    done(5, "1.001", "2025-09-12T10:00:00+07:00", suspended_days=2, synced_national=True,
         paid_online=True),
]  # fmt: skip


def report(n, answered_at=None, **changes):
    record = feedback(n, unit="28261", about_procedure=True, status="received", **changes)
    record.pop("answered_at")
    if answered_at:
        record |= {"status": "answered", "answered_at": answered_at, "updated_at": answered_at}
    return record


REPORTS = [
    # F1: answered after 2 working days (limit 10): on time, satisfied
    report(1, "2025-09-05T09:00:00+07:00", satisfaction="satisfied"),
    # F2: answered after more than 10 working days: late; unsatisfied and repeated
    report(2, "2025-09-30T09:00:00+07:00", satisfaction="unsatisfied", repeated=True),
    # F3: never answered, long past its deadline: late
    report(3),
]
