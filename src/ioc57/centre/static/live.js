// The operations centre's live parts (the leader's home, the wall): every element with
// ``data-events`` (a tile, the list of concerns) is read again from its fragment when one of its
// events arrives on the stream, and swapped in place (the element stays; it gets
// ``data-swapped-at``). An event spec is a type ("alerts.changed") or "ingest.batch:<record type>"
// (an ingest.batch event whose data.record_type is that type).
//
// The page's live state is ``<body data-live="connecting|live|stale|ended">``, said in
// ``#live-status`` (its texts in its data-* attributes, translated by the page), with the time of
// the last update in ``<time id="last-updated">``. Stale: the stream fails, or the server does not
// answer a cheap request (every 15 s; the stream's own heartbeats are comments a script cannot
// see) or nothing was heard for 40 s. Back live: everything is read again once (the updates
// missed meanwhile); likewise after ``stream.gap``. ``stream.end`` (the reader's session or
// device was revoked): "ended", and ``window.ioc57Live.onEnded(data)`` when the page set it.
(function () {
  "use strict";
  if (!window.EventSource || !window.fetch) return;
  var TYPE = /^[a-z][a-z0-9_.-]{0,59}$/, MAX_TYPES = 20;
  var DEBOUNCE_MS = 300, POLL_MS = 15000, QUIET_MS = 40000, RETRY_MS = 5000;
  var live = window.ioc57Live = window.ioc57Live || {};
  live.events = 0; live.swaps = 0; live.lastSwapAt = 0; live.state = "connecting";
  var status = document.getElementById("live-status");
  var stamp = document.getElementById("last-updated");
  var stream = null, heardAt = Date.now(), everOpen = false;
  var pending = new Set(), timer = null, busy = new Map();

  function specs(el) { return (el.dataset.events || "").split(/\s+/).filter(Boolean); }
  function parts() { return Array.prototype.slice.call(document.querySelectorAll("[data-events]")); }
  function types() {
    var seen = {};
    parts().forEach(function (el) {
      specs(el).forEach(function (s) { var t = s.split(":")[0]; if (TYPE.test(t)) seen[t] = 1; });
    });
    return Object.keys(seen).sort();
  }
  function fragmentOf(el) {
    if (el.dataset.fragment) return el.dataset.fragment;
    if (el.dataset.tile) return "/centre/tiles/" + encodeURIComponent(el.dataset.tile);
    if (el.matches("ol.concerns")) return "/centre/concerns";
    return null;
  }

  function setState(state) {
    live.state = state;
    document.body.dataset.live = state;
    if (status) status.textContent = status.dataset[state] || state;
  }
  function touched(at) {
    if (!stamp) return;
    stamp.setAttribute("datetime", new Date(at).toISOString());
    stamp.textContent = window.ioc57 ? window.ioc57.time(new Date(at).toISOString()) : new Date(at).toISOString();
  }

  function swap(el, html) {
    var box = document.createElement("template");
    box.innerHTML = html.trim();
    var fresh = box.content.firstElementChild;
    if (!fresh) return;
    Array.prototype.slice.call(el.attributes).forEach(function (a) {
      if (!fresh.hasAttribute(a.name)) el.removeAttribute(a.name);
    });
    Array.prototype.slice.call(fresh.attributes).forEach(function (a) { el.setAttribute(a.name, a.value); });
    el.replaceChildren.apply(el, Array.prototype.slice.call(fresh.childNodes));
    var at = Date.now();
    el.dataset.swappedAt = String(at);
    live.swaps += 1; live.lastSwapAt = at;
    touched(at);
  }

  // one fetch per fragment: a tile shown on several of the wall's pages is read once and swapped
  // into each of its places
  function refetch(url) {
    if (busy.get(url)) { busy.set(url, "again"); return; }
    busy.set(url, "busy");
    fetch(url, { credentials: "same-origin", headers: { accept: "text/html" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        parts().filter(function (el) { return fragmentOf(el) === url; })
          .forEach(function (el) { swap(el, html); });
      })
      .catch(function () {})
      .then(function () {
        var again = busy.get(url) === "again";
        busy.delete(url);
        if (again) refetch(url);
      });
  }
  function flush() {
    timer = null;
    var urls = new Set();
    pending.forEach(function (el) { var url = fragmentOf(el); if (url) urls.add(url); });
    pending.clear();
    urls.forEach(refetch);
  }
  function queue(els) {
    els.forEach(function (el) { pending.add(el); });
    if (pending.size && !timer) timer = setTimeout(flush, DEBOUNCE_MS);
  }
  function refreshAll() { queue(parts()); }
  live.refreshAll = refreshAll;

  function matches(el, type, data) {
    var kind = data && data.record_type;
    return specs(el).some(function (s) { return s === type || (kind && s === type + ":" + kind); });
  }
  function onEvent(type, event) {
    heardAt = Date.now();
    live.events += 1;
    var data = null;
    try { data = JSON.parse(event.data); } catch (e) { /* no data */ }
    queue(parts().filter(function (el) { return matches(el, type, data); }));
  }

  function connect() {
    var wanted = types();
    // none: a type no one sends, so that the stream still tells live, stale and ended; too many
    // for one stream: every event
    var named = wanted.length ? wanted : ["centre.none"];
    var query = named.length <= MAX_TYPES ? "?types=" + encodeURIComponent(named.join(",")) : "";
    stream = new EventSource("/api/v1/stream" + query);
    stream.addEventListener("open", function () {
      heardAt = Date.now();
      var missed = everOpen || live.state === "stale";
      everOpen = true;
      setState("live");
      if (missed) refreshAll();
    });
    stream.addEventListener("error", function () {
      if (live.state === "ended") return;
      setState("stale");
      if (stream.readyState === EventSource.CLOSED) {  // refused (401, 503): the browser gives up
        stream = null;
        setTimeout(function () { if (live.state !== "ended" && !stream) connect(); }, RETRY_MS);
      }
    });
    wanted.forEach(function (type) {
      stream.addEventListener(type, function (event) { onEvent(type, event); });
    });
    stream.addEventListener("stream.gap", function () { heardAt = Date.now(); refreshAll(); });
    stream.addEventListener("stream.end", function (event) {
      var data = null;
      try { data = JSON.parse(event.data); } catch (e) { /* no reason */ }
      stream.close(); stream = null;
      setState("ended");
      if (typeof live.onEnded === "function") live.onEnded(data);
    });
  }

  function poll() {
    if (live.state === "ended") return;
    fetch("/healthz", { cache: "no-store" })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        heardAt = Date.now();
        if (live.state === "stale" && stream && stream.readyState === EventSource.OPEN) {
          setState("live"); refreshAll();
        }
      })
      .catch(function () { if (live.state !== "ended") setState("stale"); })
      .then(function () {
        if (live.state === "live" && Date.now() - heardAt > QUIET_MS) setState("stale");
      });
  }

  setState("connecting");
  connect();
  setInterval(poll, POLL_MS);
})();
