// The work list, live: when the gate announces dossiers, read this same page again and put its
// tabs, table and pager in place of the ones shown (the scroll position and the filters stay).
// The stream gives a person with a unit only the events of its subtree; at most one read runs at
// a time, and events that arrive meanwhile are folded into one more read.
(function () {
  "use strict";
  var root = document.getElementById("worklist766");
  if (!root || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var locale = document.documentElement.lang === "vi" ? "vi-VN" : "en-GB";

  function show(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("worklist766");
    if (!fresh) return;
    root.innerHTML = fresh.innerHTML;
    root.dataset.updates = String(Number(root.dataset.updates) + 1);
    var updated = document.getElementById("updated");
    if (updated) updated.textContent = new Date().toLocaleTimeString(locale);
  }

  var busy = false, again = false;
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html) show(html); })
      .catch(function () {})
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  var stream = new EventSource("/api/v1/stream?types=ingest.batch");
  stream.addEventListener("open", function () { root.dataset.live = "1"; });
  stream.addEventListener("ingest.batch", function (event) {
    if (JSON.parse(event.data).record_type === "dossier") refresh();
  });
  stream.addEventListener("stream.gap", refresh);
  stream.addEventListener("stream.end", function () { stream.close(); });
})();
