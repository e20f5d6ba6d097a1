// The Decision 766 panel, live: when the gate announces dossiers or procedures, read the unit's
// index again (/api/v1/services/index) and update the gauge, the group bars and the table.
// (live766.js listens and folds the events.)
(function () {
  "use strict";
  var root = document.getElementById("live766");
  if (!root || !window.ioc57Live || !window.EventSource || !window.fetch) return;
  var unit = root.dataset.unit, period = root.dataset.period;
  var notAssessable = root.dataset.na;
  var format = new Intl.NumberFormat(root.dataset.lang === "vi" ? "vi-VN" : "en-GB", {
    maximumFractionDigits: 2,
  });
  var percent = new Intl.NumberFormat(root.dataset.lang === "vi" ? "vi-VN" : "en-GB", {
    maximumFractionDigits: 1,
  });
  function num(value) { return value === null || value === undefined ? "—" : format.format(value); }
  function text(selector, value, scope) {
    var node = (scope || root).querySelector(selector);
    if (node) node.textContent = value;
  }

  function show(index) {
    var total = index.total;
    text("#gauge-total", total === null ? notAssessable : num(total));
    root.querySelector("#gauge-arc").setAttribute("stroke-dasharray", (total || 0) + " 100");
    text("#assessable-max", num(index.assessable_max));
    text("#stake", new Intl.NumberFormat(format.resolvedOptions().locale, {
      maximumFractionDigits: 3,
    }).format(index.points_at_stake));
    text("#working-days", num(index.average_working_days));
    text("#dossier-counts", num(index.counts.received) + " / " + num(index.counts.finished));
    index.groups.forEach(function (g) {
      var row = root.querySelector('[data-group="' + g.code + '"]');
      if (!row) return;
      var score = g.assessable ? num(g.score) : notAssessable;
      row.querySelector(".bar > span").style.width = (g.assessable ? 100 * g.score / g.max : 0) + "%";
      row.querySelector(".bar").setAttribute("aria-label", score + " / " + num(g.max));
      text(".score", score, row);
    });
    index.indicators.forEach(function (i) {
      var row = root.querySelector('[data-indicator="' + i.id + '"]');
      if (!row) return;
      text(".num", num(i.numerator), row);
      text(".den", num(i.denominator), row);
      text(".rate", i.rate === null ? "—" : percent.format(100 * i.rate) + " %", row);
      text(".score", i.assessable ? num(i.score) : notAssessable, row);
    });
    root.dataset.updates = String(Number(root.dataset.updates) + 1);
    text("#updated", new Date().toLocaleTimeString(format.resolvedOptions().locale));
  }

  function read() {
    var query = "?unit=" + encodeURIComponent(unit) + "&period=" + encodeURIComponent(period);
    return fetch("/api/v1/services/index" + query, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; });
  }

  window.ioc57Live(root, ["dossier", "procedure"], read, show);
})();
