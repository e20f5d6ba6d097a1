"""What the wall's benchmark runs inside the page: when the wall is fully painted (the DOM
contract of issue 17: ``body[data-live]``, ``window.ioc57Live``, ``[data-tile]`` with its
``.tile-value``), and a watcher that notes on the page's clock (``Date.now()``) each change of one
tile's figure and each ``ingest.batch`` event of a plain ``EventSource`` of its own: the floor the
stream sets. The watcher keeps only what was noted since it was last drained."""

from __future__ import annotations

# true (with the time since navigation start) once the page is live, every tile shown is filled
# and every map shown drawn; a panel still loading says so with aria-busy
READY = """() => {
  const live = window.ioc57Live;
  if (!live || live.state !== "live" || document.body.dataset.live !== "live") return false;
  const shown = (el) => (el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null);
  const tiles = [...document.querySelectorAll("[data-tile]")].filter(shown);
  if (!tiles.length) return false;
  const filled = (t) => ((t.querySelector(".tile-value") || {}).textContent || "").trim() !== "";
  if (!tiles.every(filled)) return false;
  if ([...document.querySelectorAll('[aria-busy="true"]')].some(shown)) return false;
  // a map panel is drawn once Leaflet has made it its container
  const maps = [...document.querySelectorAll("[data-layers]")].filter(shown);
  if (!maps.every((m) => m.classList.contains("leaflet-container"))) return false;
  return {ready_ms: performance.now(), tiles: tiles.length, maps: maps.length};
}"""

# what is missing when a page never gets ready
STATE = """() => ({
  live: window.ioc57Live ? window.ioc57Live.state : null,
  body: document.body ? document.body.dataset.live : null,
  tiles: [...document.querySelectorAll("[data-tile]")]
    .filter((t) => t.checkVisibility())
    .map((t) => [t.dataset.tile, ((t.querySelector(".tile-value") || {}).textContent || "").trim()]),
  busy: document.querySelectorAll('[aria-busy="true"]').length,
  maps: [...document.querySelectorAll("[data-layers]")]
    .filter((m) => m.checkVisibility())
    .map((m) => m.className),
})"""

# the page's own timings, read once it is ready (the first contentful paint's entry comes after
# the frame that painted it: waited for up to a second)
TIMINGS = """() => new Promise((resolve) => {
  const since = performance.now();
  const read = () => {
    const nav = performance.getEntriesByType("navigation")[0] || {};
    const fcp = performance.getEntriesByName("first-contentful-paint")[0];
    if (!fcp && performance.now() - since < 1000) return requestAnimationFrame(read);
    resolve({
      response_end_ms: nav.responseEnd || null,
      dom_content_loaded_ms: nav.domContentLoadedEventEnd || null,
      load_ms: nav.loadEventEnd || null,
      first_contentful_paint_ms: fcp ? fcp.startTime : null,
      marks: performance.getEntriesByType("mark")
        .filter((m) => m.name.startsWith("ioc57"))
        .map((m) => [m.name, m.startTime]),
    });
  };
  read();
})"""

BARE_PAINTED = """() => {
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  return fcp ? fcp.startTime : false;
}"""

# watch ``tile``'s figure and a plain EventSource; resolves with the figure once the stream is open
WATCH = """(tile) => {
  const read = () => {
    const t = document.querySelector(`[data-tile="${tile}"]`);
    const v = t && t.querySelector(".tile-value");
    return v ? v.textContent.trim() : null;
  };
  const B = (window.__wallBench = {changes: [], events: [], nChanges: 0, nEvents: 0, gaps: 0});
  let last = read();
  B.read = read;
  new MutationObserver(() => {
    const now = read();
    if (now !== last) {
      last = now;
      B.nChanges++;
      B.changes.push([Date.now(), now]);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
  const es = new EventSource("/api/v1/stream?types=ingest.batch");
  es.addEventListener("ingest.batch", (e) => {
    B.nEvents++;
    B.events.push([Date.now(), JSON.parse(e.data).batch]);
  });
  es.addEventListener("stream.gap", (e) => { B.gaps += JSON.parse(e.data).dropped; });
  return new Promise((resolve) => es.addEventListener("open", () => resolve(last)));
}"""

# what was noted since the last drain, and the page's counters
DRAIN = """() => {
  const B = window.__wallBench;
  const L = window.ioc57Live;
  const live = L ? {events: L.events, swaps: L.swaps, last_swap_at: L.lastSwapAt, state: L.state}
    : null;
  const out = {changes: B.changes, events: B.events, n_changes: B.nChanges,
    n_events: B.nEvents, gaps: B.gaps, value: B.read(), live,
    state: document.body.dataset.live || null, visibility: document.visibilityState};
  B.changes = [];
  B.events = [];
  return out;
}"""

# the seconds the wall's pages take to turn once (0 when pinned or a single page)
TURN_SECONDS = """() => {
  const pages = [...document.querySelectorAll(".wall-page[data-seconds]")];
  if (document.body.dataset.pinned || pages.length < 2) return 0;
  return pages.reduce((sum, p) => sum + Number(p.dataset.seconds || 0), 0);
}"""
