"""Each stream carries the committed batches of its principal's units, and only those."""

from ..support.stream import DVC_01, DVC_82, Actors, dossier


def test_a_batch_reaches_the_admin_and_the_officers_of_its_commune_and_province(
    serve, db_url, engine
):
    server = serve(db_url)
    actors = Actors(engine, server.base)
    dvc = actors.source(DVC_82)
    admin = actors.listen(actors.admin)
    commune = actors.listen(actors.user("canbo.mytho", "officer", "28261"))
    province = actors.listen(actors.user("canbo.dongthap", "officer", "82"))

    answer = actors.push(dvc, [dossier(1)])

    seen = {}
    for name, stream in (("admin", admin), ("commune", commune), ("province", province)):
        event = stream.next()
        assert event.event == "ingest.batch" and event.id
        data = seen[name] = event.json()
        assert data["batch"] == answer["batch"]
        assert (data["record_type"], data["source"], data["ids"]) == ("dossier", "dvc-82", ["HS-1"])
        assert data["changed"] == 1
    # the batch-wide counts (they may count other units' records) go to unscoped streams only
    assert seen["admin"]["counts"]["accepted"] == 1
    assert "counts" not in seen["commune"] and "counts" not in seen["province"]


def test_a_batch_across_provinces_shows_each_officer_only_their_own_records(serve, db_url, engine):
    server = serve(db_url)
    actors = Actors(engine, server.base)
    lgsp = actors.source({"name": "lgsp", "types": ["dossier"], "units": ["82", "01"]})
    admin = actors.listen(actors.admin)
    hanoi = actors.listen(actors.user("canbo.hanoi", "officer", "01"))
    dongthap = actors.listen(actors.user("canbo.dongthap", "officer", "82"))

    # Phường Mỹ Tho (Đồng Tháp) twice, Phường Hoàn Kiếm (Hà Nội) once, in one chunk
    actors.push(lgsp, [dossier(1), dossier(2, unit="00070"), dossier(3)])

    everything = admin.next().json()
    assert sorted(everything["ids"]) == ["HS-1", "HS-2", "HS-3"] and everything["changed"] == 3
    assert everything["counts"]["accepted"] == 3
    mine = hanoi.next().json()
    assert (mine["ids"], mine["changed"]) == (["HS-2"], 1) and "counts" not in mine
    mine = dongthap.next().json()
    assert (sorted(mine["ids"]), mine["changed"]) == (["HS-1", "HS-3"], 2)


def test_an_officer_of_another_province_does_not_see_the_batch(serve, db_url, engine):
    server = serve(db_url)
    actors = Actors(engine, server.base)
    dvc_82, dvc_01 = actors.source(DVC_82), actors.source(DVC_01)
    hanoi = actors.listen(actors.user("canbo.hanoi", "officer", "01"))
    admin = actors.listen(actors.admin)

    first = actors.push(dvc_82, [dossier(1)])
    assert admin.next().json()["batch"] == first["batch"]
    second = actors.push(dvc_01, [dossier(2, unit="00070")])  # Phường Hoàn Kiếm, Hà Nội

    # one process delivers in order: the first event Hà Nội sees is its own, the later one
    assert hanoi.next().json()["batch"] == second["batch"]
    assert admin.next().json()["batch"] == second["batch"]
    assert hanoi.quiet(0.3) == []


def test_types_narrow_the_stream(serve, db_url, engine):
    server = serve(db_url)
    actors = Actors(engine, server.base)
    dvc = actors.source(DVC_82)
    batches = actors.listen(actors.admin, "?types=ingest.batch")
    others = actors.listen(actors.admin, "?types=alerts.raised,tasks.overdue")

    answer = actors.push(dvc, [dossier(1)])

    assert batches.next().json()["batch"] == answer["batch"]
    assert others.quiet(0.5) == []
