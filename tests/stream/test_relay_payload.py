"""NOTIFY payloads stay under PostgreSQL's 8,000 bytes without losing who may see the event."""

from ioc57.core.relay import MAX_PAYLOAD, decode, encode
from ioc57.core.stream import Message


def message(ids, units=(1, 30, 2861), **data) -> Message:
    return Message("abc-1", "ingest.batch", {"batch": 7, "ids": ids, **data}, tuple(units), "abc")


def test_a_small_message_travels_as_plain_json_and_comes_back_equal():
    original = message(["HS-1", "HS-2"], source="dvc-82 Đồng Tháp")
    payload = encode(original)
    assert payload.startswith("{")
    assert decode(payload) == original


def test_a_large_message_is_compressed_before_anything_is_cut():
    original = message([f"HS-2025-{i:06d}" for i in range(600)], units=range(3000, 6000))
    payload = encode(original)
    assert len(payload.encode()) <= MAX_PAYLOAD and payload.startswith("z:")
    assert decode(payload) == original


def test_ids_are_trimmed_when_even_compressed_they_do_not_fit():
    import secrets

    ids = [secrets.token_hex(40) for _ in range(200)]  # random: does not compress
    back = decode(encode(message(ids)))
    assert back.data["ids_truncated"] is True
    assert back.data["ids"] == ids[: len(back.data["ids"])] and 0 < len(back.data["ids"]) < 200
    assert back.units == (1, 30, 2861) and back.data["batch"] == 7


def test_a_message_that_cannot_fit_stays_local():
    import secrets

    huge = message([], units=(), blob=secrets.token_hex(20_000))
    assert encode(huge) is None


def _with_parts(parts) -> Message:
    units = tuple(sorted({u for us, _ in parts for u in us}))
    return Message(
        "abc-2",
        "ingest.batch",
        {"batch": 8, "ids": [i for _, d in parts for i in d["ids"]], "counts": {"accepted": 3}},
        units,
        "abc",
        parts=tuple(parts),
        private=("counts",),
    )


def test_the_views_for_scoped_streams_travel_with_the_message():
    original = _with_parts(
        [((1, 30), {"ids": ["HS-1"], "changed": 1}), ((2, 40), {"ids": ["HS-2"], "changed": 1})]
    )
    back = decode(encode(original))
    assert back == original


def test_when_the_views_cannot_fit_only_unscoped_streams_get_the_message_elsewhere():
    import random
    import secrets

    from ioc57.core.stream import scoped

    rng = random.Random(57)
    # thousands of communes, scattered ids: even without record ids the views do not fit
    parts = [
        (
            (rng.randrange(10**6), rng.randrange(10**6)),
            {"ids": [secrets.token_hex(8)], "changed": 1},
        )
        for _ in range(4000)
    ]
    back = decode(encode(_with_parts(parts)))
    assert back.parts == () and back.units == ()  # scope fails closed
    assert back.data["batch"] == 8 and back.data["counts"] == {"accepted": 3}
    assert scoped(back, 5) is None
