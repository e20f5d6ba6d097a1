"""The rig of the wall's benchmark (``wall.py``): the demo's database built once a day by
``ioc57 demo --no-serve`` and kept, a real ``ioc57 serve`` over a copy of it, sources, tokens and
device keys made with the command line, a pusher that times each push's answer on the machine's
clock (the clock a page's ``Date.now()`` reads), Chromium connected as a wall display (or logged
in as the demo's leader), the page's JS heap
through the DevTools protocol after a forced GC, and a bare static page for the raw first paint."""

from __future__ import annotations

import http.server
import os
import shutil
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import orjson
from common import ioc57, kept_data_name, log, start_server, stop_server
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from wallpage import READY, STATE, TIMINGS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
LEADER, DEMO_PASSWORD = "lanhdao", "demo-ioc57"
PROVINCE = "82"
SECRET = "bench-wall-secret"
_VN = ZoneInfo("Asia/Ho_Chi_Minh")


def demo_database(cache: Path, rebuild: bool = False) -> Path:
    """The demo's SQLite database of today (its figures are relative to the day it is built),
    built by ``ioc57 demo --no-serve`` into ``cache`` once and kept for the next run of the same
    code."""
    day = datetime.now(UTC).astimezone(_VN).date().isoformat()
    folder = cache / kept_data_name("wall_demo", "v1", day, _code_digest())
    db = folder / "demo.db"
    if rebuild and folder.exists():
        shutil.rmtree(folder)
    if not db.exists():
        building = cache / f"{folder.name}.building"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        started = time.perf_counter()
        ioc57(_env(None), "demo", "--no-serve", "--db", str(building / "demo.db"))
        log(f"demo database built in {time.perf_counter() - started:.1f} s")
        os.replace(building, folder)
    return db


def _code_digest() -> str:
    """The digest of ioc57's code: any change of a module's demo or of what it builds on makes
    the demo's database again."""
    import hashlib

    import ioc57

    digest = hashlib.sha256()
    for path in sorted(Path(ioc57.__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def run_copy(db: Path, tmp: Path) -> Path:
    """A copy of the kept database (and the files kept beside it) for one run."""
    for path in db.parent.iterdir():
        if path.name.startswith(db.name) and not path.name.endswith(".lock"):
            shutil.copy(path, tmp / path.name)
    return tmp / db.name


def _env(db: Path | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC57_")}
    env["IOC57_SECRET_KEY"] = SECRET
    if db is not None:
        env["IOC57_DATABASE_URL"] = f"sqlite:///{db}"
    return env


class Server:
    """``ioc57 serve`` over ``db`` on a free loopback port, with an admin token and a trusted
    source of province 82 made through the command line."""

    def __init__(self, db: Path, tmp: Path) -> None:
        self.env = _env(db)
        self.admin = _last_line(ioc57(self.env, "token", "create", "--user", "admin"))
        self.base, self.process = start_server(self.env, tmp / "serve.log")

    def source(self, name: str, types: list[str], simulated: bool = False) -> str:
        """A new source's token."""
        flags = ["--simulated"] if simulated else []
        args = ["source", "create", name, "--types", ",".join(types), "--units", PROVINCE]
        return _last_line(ioc57(self.env, *args, "--trusted", *flags))

    def stop(self) -> None:
        stop_server(self.process)


def _last_line(text: str) -> str:
    return text.strip().splitlines()[-1].strip()


def epoch_ms() -> float:
    """Now on the clock a page's ``Date.now()`` reads."""
    return time.time() * 1000


class Pusher:
    """Pushes records as a source; each push's sending and answer times in epoch ms."""

    def __init__(self, base: str, token: str) -> None:
        self.client = httpx.Client(
            base_url=base,
            timeout=30,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        self.serial = 0
        self.tag = f"wb{os.getpid():x}{int(time.time()) % 100000:x}"
        r = self.client.get("/api/v1/units", params={"parent": PROVINCE, "level": "commune"})
        r.raise_for_status()
        self.communes = [u["code"] for u in r.json()["items"]] or [PROVINCE]

    def push(self, record_type: str, records: list[dict]) -> dict:
        """``{"batch", "sent", "answered", "records", "answer"}``; raises on an error answer."""
        body = orjson.dumps(records)
        sent = epoch_ms()
        r = self.client.post(f"/api/v1/ingest/{record_type}", content=body)
        answered = epoch_ms()
        r.raise_for_status()
        answer = r.json()
        return {
            "batch": answer.get("batch"),
            "sent": sent,
            "answered": answered,
            "records": len(records),
            "answer": answer,
        }

    def dossiers(self, n: int) -> list[dict]:
        """``n`` new dossiers received a second ago, due in ten days."""
        at = datetime.now(_VN) - timedelta(seconds=1)
        records = []
        for _ in range(n):
            self.serial += 1
            records.append(
                {
                    "id": f"{self.tag}-{self.serial}",
                    "procedure": "1.001234",
                    "unit": self.communes[self.serial % len(self.communes)],
                    "channel": "online",
                    "received_at": at.isoformat(),
                    "due_at": (at + timedelta(days=10)).isoformat(),
                    "status": "received",
                    "updated_at": at.isoformat(),
                }
            )
        return records

    def close(self) -> None:
        self.client.close()


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def wall_context(browser, server: Server, viewer: str):
    """A context of a wall's size, connected as a wall display (``device``: a device key of
    province 82 issued by ``ioc57 device create``, entered at ``/wall/connect``) or logged in as
    the demo's leader through the login form (``leader``)."""
    context = browser.new_context(
        base_url=server.base, locale="vi-VN", viewport={"width": 1920, "height": 1080}
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    if viewer == "device":
        name = f"bench-wall-{int(time.time() * 1000) % 10**9}"
        key = _last_line(ioc57(server.env, "device", "create", name, "--unit", PROVINCE))
        page.goto("/wall/connect")
        page.fill("input[name=key]", key)
        with page.expect_navigation():
            page.click("form [type=submit]")
        if not any(c["name"] == "ioc57_device" for c in context.cookies()):
            raise SystemExit("the wall display could not connect with its device key")
    else:
        page.goto("/login")
        page.fill("input[name=username]", LEADER)
        page.fill("input[name=password]", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("form [type=submit]")
        if "/login" in page.url:
            raise SystemExit(f"could not log in as {LEADER}")
    page.close()
    return context


def load_wall(context, path: str, cold: bool, timeout_ms: float = 30_000) -> tuple[Page, dict]:
    """A new tab of ``path`` waited until fully painted: the tab and its timings."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    if cold:
        context.new_cdp_session(page).send("Network.setCacheDisabled", {"cacheDisabled": True})
    page.goto(path, wait_until="commit")
    try:
        ready = page.wait_for_function(READY, polling="raf", timeout=timeout_ms).json_value()
    except PlaywrightTimeout:
        state = page.evaluate(STATE)
        raise SystemExit(f"{path} never fully painted: {state}, script errors {errors}") from None
    return page, ready | page.evaluate(TIMINGS) | {"script_errors": errors}


class Heap:
    """The JS heap of a page (after a forced GC) and its DOM's size, through the DevTools
    protocol: ``JSHeapUsedSize``, ``Nodes``, ``JSEventListeners``."""

    def __init__(self, page) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Performance.enable")

    def sample(self) -> dict:
        self.cdp.send("HeapProfiler.collectGarbage")
        metrics = {
            m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]
        }
        return {
            "heap_used_mb": round(metrics["JSHeapUsedSize"] / 2**20, 2),
            "heap_total_mb": round(metrics["JSHeapTotalSize"] / 2**20, 2),
            "nodes": int(metrics.get("Nodes", 0)),
            "listeners": int(metrics.get("JSEventListeners", 0)),
        }


BARE_PAGE = b"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>bare</title>
</head><body><h1>Trung t\xc3\xa2m \xc4\x91i\xe1\xbb\x81u h\xc3\xa0nh</h1><p>42</p></body></html>"""


class BarePage:
    """A bare static HTML page on a loopback port of its own: the floor of a first paint."""

    def __init__(self) -> None:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the server's name for it
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(BARE_PAGE)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(BARE_PAGE)

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/bare.html"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
