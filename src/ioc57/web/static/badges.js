// The counts beside the navigation's entries (the bell of the alerts), live: when one of the
// events the entries name arrives on the stream, read every count again (at most one read at a
// time; events that arrive meanwhile fold into one more read). Each event is also handed to the
// page as a DOM event ``ioc57:event`` ({type, data}), so that a live page needs no second stream.
// ``<html data-badges-live>`` says the stream is open (the browser tests wait for it).
(function () {
  "use strict";
  var nav = document.querySelector("nav[data-badge-events]");
  if (!nav || !window.EventSource || !window.fetch) return;
  var types = nav.dataset.badgeEvents.split(",").filter(Boolean);
  if (!types.length) return;
  var busy = false, again = false;

  function show(counts) {
    nav.querySelectorAll("[data-badge]").forEach(function (badge) {
      var n = counts[badge.dataset.badge] || 0;
      badge.querySelector(".badge-count").textContent = String(n);
      badge.hidden = n === 0;
    });
  }

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch("/api/v1/badges", { credentials: "same-origin", headers: { accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) { if (body) show(body.badges); })
      .catch(function () {})
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  var stream = new EventSource("/api/v1/stream?types=" + encodeURIComponent(types.join(",")));
  stream.addEventListener("open", function () { document.documentElement.dataset.badgesLive = "1"; });
  types.forEach(function (type) {
    stream.addEventListener(type, function (event) {
      refresh();
      var data = null;
      try { data = JSON.parse(event.data); } catch (e) { /* a comment or an empty event */ }
      document.dispatchEvent(new CustomEvent("ioc57:event", { detail: { type: type, data: data } }));
    });
  });
  stream.addEventListener("stream.gap", function () {
    refresh();
    document.dispatchEvent(new CustomEvent("ioc57:event", { detail: { type: "stream.gap", data: null } }));
  });
  stream.addEventListener("stream.end", function () { stream.close(); });
})();
