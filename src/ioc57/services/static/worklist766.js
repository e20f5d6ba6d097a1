// The work list, live: when the gate announces dossiers, read this same page again and put its
// tabs, table and pager in place of the ones shown (the scroll position and the filters stay).
// (live766.js listens and folds the events.)
(function () {
  "use strict";
  var root = document.getElementById("worklist766");
  if (!root || !window.ioc57Live || !window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }
  var locale = document.documentElement.lang === "vi" ? "vi-VN" : "en-GB";

  function show(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("worklist766");
    if (!fresh) return;
    root.innerHTML = fresh.innerHTML;
    root.dataset.updates = String(Number(root.dataset.updates) + 1);
    var updated = document.getElementById("updated");
    if (updated) updated.textContent = new Date().toLocaleTimeString(locale);
  }

  function read() {
    return fetch(window.location.href, {
      credentials: "same-origin",
      headers: { accept: "text/html" },
    }).then(function (r) { return r.ok ? r.text() : null; });
  }

  window.ioc57Live(root, ["dossier"], read, show);
})();
