"""No public route, export or stream event ever carries a reporter's personal data.

Reports are filed through every channel there is — a system sending records through the gate,
an operator taking a call (the staff API), and, once they exist, the public form and Open311 —
each with a contact (name, phone, email) and a text that names a person and gives a phone, an
email, an ID number, a house number and a vehicle plate, every one a distinctive marker. They
are forwarded, answered (the answer repeats the contact's name and phone) and published, photos
made public; one more stays unpublished. Then:

- every GET route of the app, enumerated from its routes (pages under /phan-anh, the public API,
  Open311 in JSON and XML, the public photos, and everything else), is fetched anonymously, with
  its path parameters filled from what was made, with and without the query parameters the
  public lists filter by: no marker may appear in any body;
- the exports a viewer or a leader may download carry no marker either (they read the text
  redacted, and no contact);
- a viewer's event stream, read over a real socket while a report is filed and moved, carries
  none.

A marker is sought however it is written: names with and without accents, phone and ID digits
however they are grouped, JSON decoded, XLSX unzipped.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import re
import threading
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

import orjson
import pytest
import uvicorn
from sqlalchemy import select, update
from starlette.routing import Mount

from ioc57.feedback.tables import photos, reports
from ioc57.web.openapi import walk_routes

from ..support.http import auth
from ..support.servers import free_port
from ..support.stream import Listener
from .test_life import AGENCY, make_agency, step

# per channel: the contact, and the other person the text names (markers all)
PEOPLE = {
    "gate": (
        {
            "name": "Âu Dương Quế Chi",
            "phone": "0917246813",
            "email": "quechi.au7731@thu.example.vn",
        },
        "Lò Văn Pảo",
    ),
    "staff": (
        {"name": "Mạc Thị Khiêm", "phone": "0356 812 479", "email": "khiem.mac4402@thu.example.vn"},
        "Hứa Thị Ngọc Diệp",
    ),
    "form": (
        {
            "name": "Thạch Sa Rinh",
            "phone": "+84 783 421 965",
            "email": "sarinh.t5519@thu.example.vn",
        },
        "Kha Văn Lũy",
    ),
    "open311": (
        {"name": "Ông Ích Khiêm", "phone": "0869.314.275", "email": "ichkhiem6620@thu.example.vn"},
        "Tăng Thị Bửu",
    ),
    "unpublished": (
        {
            "name": "Quách Tĩnh Nhi",
            "phone": "0398 725 164",
            "email": "tinhnhi.q3307@thu.example.vn",
        },
        "Giáp Văn Khởi",
    ),
}
# the text's own markers, per channel (a number n): phone, email, CCCD, house number, plate
TEXT_PHONE = "0972 518 3{n}6"
TEXT_EMAIL = "nguoinha{n}x9@thu.example.vn"
TEXT_ID = "08219700461{n}"
TEXT_HOUSE = "4{n}7/19B"
TEXT_PLATE = "63B1-739.2{n}"


def text_of(channel: str, n: int) -> str:
    contact, other = PEOPLE[channel]
    return (
        f"Tôi là {contact['name']}, CCCD số {TEXT_ID.format(n=n)}, ở số nhà "
        f"{TEXT_HOUSE.format(n=n)} đường Hùng Vương. Ông {other} (ĐT {TEXT_PHONE.format(n=n)}, "
        f"email {TEXT_EMAIL.format(n=n)}) đổ rác ra lề đường bằng xe {TEXT_PLATE.format(n=n)}. "
        f"Gọi lại cho tôi: {contact['phone']}."
    )


def answer_of(channel: str) -> str:
    contact, _ = PEOPLE[channel]
    return f"Đã liên hệ bà {contact['name']} qua số {contact['phone']}; đã xử phạt, thu gom rác."


def bare(text: str) -> str:
    """Lower case, without accents (đ as d): a name written without them is still the name."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def digits_of(phone: str) -> str:
    """The digits that identify a phone, whatever its prefix (0, 84, +84)."""
    found = re.sub(r"\D", "", phone)
    return found[2:] if found.startswith("84") else found[1:]


def markers() -> dict[str, tuple[str, set[str]]]:
    """Each marker: (how it is sought: name, digits or text; its forms)."""
    found: dict[str, tuple[str, set[str]]] = {}
    for n, (channel, (contact, other)) in enumerate(PEOPLE.items()):
        found[f"{channel} contact name"] = ("name", {contact["name"]})
        found[f"{channel} contact phone"] = ("digits", {digits_of(contact["phone"])})
        found[f"{channel} contact email"] = ("text", {contact["email"].split("@")[0]})
        found[f"{channel} text name"] = ("name", {other})
        found[f"{channel} text phone"] = ("digits", {digits_of(TEXT_PHONE.format(n=n))})
        found[f"{channel} text email"] = ("text", {TEXT_EMAIL.format(n=n).split("@")[0]})
        found[f"{channel} text ID"] = ("digits", {TEXT_ID.format(n=n)})
        found[f"{channel} text house"] = ("text", {TEXT_HOUSE.format(n=n)})
        found[f"{channel} text plate"] = ("text", {TEXT_PLATE.format(n=n)[5:]})
    return found


MARKERS = markers()


def readable(body: bytes, content_type: str) -> str:
    """A body as a person or a program reads it: JSON decoded, XLSX and DOCX unzipped."""
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(name) for name in archive.namelist())
    text = body.decode("utf-8", "replace")
    if "json" in content_type:
        # an escaped "\u1ec7" is a letter to whoever reads it
        with contextlib.suppress(orjson.JSONDecodeError):
            text = orjson.dumps(orjson.loads(body)).decode()
    return unicodedata.normalize("NFC", text)


def found_in(text: str) -> list[str]:
    """The markers ``text`` carries."""
    joined = re.sub(r"(?<=\d)[\s.\-()]+(?=\d)", "", text)  # 0917 246 813 as 0917246813
    flat, lower = bare(text), text.lower()
    hits = []
    for label, (kind, forms) in MARKERS.items():
        for form in forms:
            if (
                (kind == "name" and bare(form) in flat)
                or (kind == "digits" and form in joined)
                or (kind == "text" and form.lower() in lower)
            ):
                hits.append(label)
    return hits


def test_the_markers_are_found_where_they_are():
    """The search finds each marker as a page, JSON or a spreadsheet would write it."""
    text = text_of("gate", 0) + " " + answer_of("gate")
    assert set(found_in(text)) == {
        label
        for label in MARKERS
        if label.startswith("gate") and "contact email" not in label  # not in the text
    }
    assert found_in('{"n":"\\u00c2u D\\u01b0\\u01a1ng Qu\\u1ebf Chi"}') == []  # raw, undecoded
    escaped = readable(b'{"n":"\\u00c2u D\\u01b0\\u01a1ng Qu\\u1ebf Chi"}', "application/json")
    assert found_in(escaped) == ["gate contact name"]
    assert found_in("au duong que chi; +84 (91) 724-6813") == [
        "gate contact name",
        "gate contact phone",
    ]


# -- filing through every channel ----------------------------------------------------------


def routes_of(app) -> set[tuple[str, str]]:
    return {
        (method, route.path)
        for route in walk_routes(app.routes)
        if not isinstance(route, Mount)
        for method in route.methods
    }


def by_text(feedback, marker: str) -> str:
    with feedback.api.app.state.engine.connect() as conn:
        return conn.execute(
            select(reports.c.record_id).where(reports.c.text.contains(marker))
        ).scalar_one()


def jpeg_with_metadata(name: str) -> bytes:
    """A small photo whose EXIF names its maker and place (the form must strip both)."""
    from PIL import Image

    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    exif[0x013B] = name  # Artist
    exif[0x010F] = name  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def file_by_form(feedback, n: int) -> str | None:
    """A report through the public form, with a photo; None while the form does not exist."""
    client = feedback.client
    if ("POST", "/phan-anh") not in routes_of(client.app):
        return None
    contact, _ = PEOPLE["form"]
    page = client.get("/phan-anh")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    fields = {
        "category": "moi-truong",
        "text": text_of("form", n),
        "address": f"Số nhà {TEXT_HOUSE.format(n=n)} đường Hùng Vương, phường Mỹ Tho",
        **contact,
        **({"csrf_token": csrf.group(1)} if csrf else {}),
    }
    photo = ("anh.jpg", jpeg_with_metadata(contact["name"]), "image/jpeg")
    r = client.post("/phan-anh", data=fields, files={"photos": photo}, follow_redirects=True)
    assert r.status_code == 200, r.text
    return by_text(feedback, TEXT_ID.format(n=n))


def file_by_open311(feedback, n: int) -> str | None:
    """A report from an Open311 app; None while Open311 does not exist."""
    client = feedback.client
    if ("POST", "/open311/v2/requests.{response_format}") not in routes_of(client.app):
        return None
    from ioc57.feedback.open311.keys import create_key  # once the Open311 part is installed

    with feedback.api.app.state.engine.begin() as conn:
        key = create_key(conn, actor="test", name=f"leak-test-{n}")
    contact, _ = PEOPLE["open311"]
    last, first = contact["name"].rsplit(" ", 1)
    form = {
        "api_key": key,
        "jurisdiction_id": "82",
        "service_code": "moi-truong",
        "description": text_of("open311", n),
        "address_string": f"{TEXT_HOUSE.format(n=n)} Hùng Vương, phường Mỹ Tho, Đồng Tháp",
        "first_name": first,
        "last_name": last,
        "phone": contact["phone"],
        "email": contact["email"],
    }
    r = client.post("/open311/v2/requests.json", data=form)
    assert r.status_code in (200, 201), r.text
    return r.json()[0]["service_request_id"]


def file_all(feedback) -> dict[str, str]:
    """A report through each channel there is: its record id, by channel."""
    made: dict[str, str] = {}
    contact, _ = PEOPLE["gate"]
    address = f"Số nhà {TEXT_HOUSE.format(n=0)} đường Hùng Vương"
    made["gate"] = feedback.new(text=text_of("gate", 0), contact=contact, address=address).record_id
    contact, _ = PEOPLE["staff"]
    taken = {
        "category": "moi-truong",
        "text": text_of("staff", 1),
        "unit": feedback.communes[0],
        "address": f"{TEXT_HOUSE.format(n=1)} Hùng Vương",
        "contact": contact,
    }
    r = feedback.client.post("/api/v1/feedback/reports", json=taken, headers=feedback.admin)
    assert r.status_code == 201, r.text
    made["staff"] = r.json()["id"]
    for channel, n, filing in (("form", 2, file_by_form), ("open311", 3, file_by_open311)):
        record_id = filing(feedback, n)
        if record_id is not None:
            made[channel] = record_id
    return made


def publish(feedback, record_id: str, channel: str) -> None:
    """Forward, answer (the answer names the contact) and publish the report."""
    if feedback.row(record_id).unit_id is None:  # an address the test database cannot place
        commune = feedback.row(PLACED[0]).unit_id
        with feedback.api.app.state.engine.begin() as conn:
            where = reports.c.record_id == record_id
            conn.execute(update(reports).where(where).values(unit_id=commune))
    step(feedback, record_id, step="forward", agency=AGENCY)
    step(feedback, record_id, step="answer", answer=answer_of(channel))
    step(feedback, record_id, step="publish")


PLACED: list[str] = []  # a report placed in a commune of the province
PUBLISHED: dict[str, str] = {}


@pytest.fixture(scope="module")
def world(feedback):
    """The reports, published (but one), their photos public, and their tracking codes."""
    make_agency(feedback)
    PUBLISHED.clear()
    made = file_all(feedback)
    PLACED[:] = [made["gate"]]
    for channel, record_id in made.items():
        publish(feedback, record_id, channel)
        PUBLISHED[record_id] = channel
    contact, _ = PEOPLE["unpublished"]
    made["unpublished"] = feedback.new(text=text_of("unpublished", 4), contact=contact).record_id
    with feedback.api.app.state.engine.begin() as conn:
        conn.execute(
            update(photos).where(photos.c.record_id.in_(list(made.values()))).values(public=True)
        )
        photo_ids = list(conn.execute(select(photos.c.id)).scalars())
        codes = list(
            conn.execute(
                select(reports.c.tracking).where(reports.c.record_id.in_(list(made.values())))
            ).scalars()
        )
    # the markers are there to be found: staff with feedback.contact read them
    staff = feedback.client.get(
        f"/api/v1/feedback/reports/{made['gate']}", headers=feedback.admin
    ).text
    assert {"gate contact name", "gate contact phone", "gate text ID"} <= set(found_in(staff))
    return {"made": made, "photos": photo_ids, "codes": codes}


# -- walking the routes --------------------------------------------------------------------


def values_for(world, feedback) -> dict[str, list[str]]:
    """The values each path parameter takes: those of the reports made, in every format."""
    made = list(world["made"].values())
    codes = world["codes"]
    return {
        "report_id": made,
        "service_request_id": made,
        "response_format": ["json", "xml"],
        "photo_id": world["photos"] or ["none"],
        "token": codes,
        "service_code": ["moi-truong"],
        "code": [*codes, feedback.communes[0], "82"],
    }


def public_query(feedback, world) -> dict[str, str]:
    """The query parameters the public lists filter by, set to what was made."""
    return {
        "unit": feedback.communes[0],
        "category": "moi-truong",
        "service_code": "moi-truong",
        "service_request_id": ",".join(world["made"].values()),
        "status": "closed",
        "limit": "100",
    }


def get_paths(app, values: dict[str, list[str]]) -> list[str]:
    """Every GET route with its path parameters filled (a parameter of another module: "1")."""
    paths = []
    for route in walk_routes(app.routes):
        if isinstance(route, Mount) or "GET" not in route.methods or route.path == "/api/v1/stream":
            continue
        names = re.findall(r"{(\w+)}", route.path)
        for combination in itertools.product(*(values.get(n, ["1"]) for n in names)):
            paths.append(route.path.format(**dict(zip(names, combination, strict=True))))
    return paths


def leaks_of(client, path: str, query: dict, headers: dict) -> list[str]:
    r = client.get(path, params=query, headers=headers)
    return [
        f"{label} in GET {path} {query or ''} ({r.status_code})"
        for label in found_in(readable(r.content, r.headers.get("content-type", "")))
    ]


def test_no_public_route_carries_personal_data(feedback, world):
    client = feedback.client
    values = values_for(world, feedback)
    paths = get_paths(client.app, values)
    assert "/phan-anh/cong-khai" in paths and "/api/v1/feedback/public" in paths
    query = public_query(feedback, world)
    # what the walk sees is there: the published reports, each on its own public page
    listed = client.get("/api/v1/feedback/public", params={"limit": 100}).json()["items"]
    assert set(PUBLISHED) <= {i["id"] for i in listed}
    for record_id in PUBLISHED:
        assert client.get(f"/phan-anh/cong-khai/{record_id}").status_code == 200
    leaks = []
    with client_without_cookies(client) as anonymous:
        for path in paths:
            for q in ({}, query):
                leaks += leaks_of(anonymous, path, q, {})
    assert not leaks, "\n".join(sorted(set(leaks)))


EXPORT = re.compile(r"\.(xlsx|csv|docx)$|export|{fmt}|{kind}")


def test_no_export_for_a_viewer_or_a_leader_carries_personal_data(feedback, world, api):
    client = feedback.client
    exports = [
        route.path
        for route in walk_routes(client.app.routes)
        if not isinstance(route, Mount) and "GET" in route.methods and EXPORT.search(route.path)
    ]
    assert "/api/v1/feedback/reports.xlsx" in exports
    paths = get_paths(client.app, values_for(world, feedback) | {"fmt": ["csv", "xlsx"]})
    paths = [p for p in paths if EXPORT.search(p)]
    leaks = []
    for role in ("viewer", "leader"):
        headers = auth(api.user(f"leak-{role}", role))
        for path in paths:
            leaks += [f"{leak} as {role}" for leak in leaks_of(client, path, {}, headers)]
    # the export is there to be read: the reports are in it, redacted
    r = client.get("/api/v1/feedback/reports.xlsx", headers=headers)
    assert r.status_code == 200 and world["made"]["gate"] in readable(r.content, "")
    assert not leaks, "\n".join(sorted(set(leaks)))


# -- the event stream ------------------------------------------------------------------------


@contextmanager
def client_without_cookies(client) -> Iterator:
    """The test client as a visitor who never logged in."""
    saved = dict(client.cookies)
    client.cookies.clear()
    try:
        yield client
    finally:
        client.cookies.update(saved)


@contextmanager
def served(app) -> Iterator[str]:
    """The app (already started by its test client) on a real socket, in a thread: the stream
    is read as a browser reads it."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = server.force_exit = True  # an open stream does not hold it
        thread.join(10)


def test_a_viewers_stream_carries_no_personal_data(feedback, world, api):
    viewer = api.user("leak-stream-viewer", "viewer")
    with served(feedback.api.app) as base:
        listener = Listener(f"{base}/api/v1/stream", headers=auth(viewer))
        try:
            contact, _ = PEOPLE["gate"]
            record_id = feedback.new(text=text_of("gate", 0), contact=contact).record_id
            publish(feedback, record_id, "gate")
            step(feedback, record_id, step="rate", satisfaction="unsatisfied")
            events = [listener.next(10)] + listener.quiet(1.0)
        finally:
            listener.close()
    batches = [e for e in events if e.event == "ingest.batch" and "feedback" in e.data]
    assert len(batches) >= 4, [e.event for e in events]  # filed, forwarded, answered, …
    assert any(record_id in e.data for e in batches)
    leaks = [f"{label} in {e.event}: {e.data}" for e in events for label in found_in(e.data)]
    assert not leaks, "\n".join(leaks)
