// The alerts list, live: when the stream (held open by the navigation's bell, badges.js) says an
// alert changed, read this same page again and put its list in place of the one shown; the
// filters and the scroll position stay. A list in which a person has opened a form (acknowledge)
// waits until the form is closed, so that no one loses the note they are writing.
(function () {
  "use strict";
  var root = document.getElementById("alerts-live");
  if (!root || !window.fetch || !window.DOMParser) return;
  var locale = document.documentElement.lang === "vi" ? "vi-VN" : "en-GB";
  var busy = false, again = false, waiting = false;

  function busyForm() { return root.querySelector("details[open]") !== null; }

  function show(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("alerts-live");
    if (!fresh) return;
    if (busyForm()) { waiting = true; return; }
    var updates = Number(root.dataset.updates) + 1;
    root.innerHTML = fresh.innerHTML;
    root.dataset.updates = String(updates);
    var updated = document.getElementById("updated");
    if (updated) updated.textContent = "· " + new Date().toLocaleTimeString(locale);
  }

  function refresh() {
    if (busyForm()) { waiting = true; return; }
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

  // a form closed with news waiting: read them now
  root.addEventListener("toggle", function () {
    if (waiting && !busyForm()) { waiting = false; refresh(); }
  }, true);
  document.addEventListener("ioc57:event", function (event) {
    var type = event.detail.type;
    if (type === "alerts.changed" || type === "stream.gap") refresh();
  });
})();
