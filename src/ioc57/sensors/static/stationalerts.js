// The alerts firing on one station, above its chart: read from /api/v1/alerts?state=firing and
// kept to those whose ``station`` label is this station's code; each says its rule, since when,
// and who acknowledged it with what note (acknowledging is done on the map). Text only, no HTML.
(function () {
  "use strict";
  var say = ioc57.say, time = ioc57.time;  // the pages' shared helpers (/static/pages.js)
  var box = document.getElementById("station-alerts");
  if (!box || !window.fetch) return;
  var words = JSON.parse(box.dataset.words), code = box.dataset.station;
  var query = "?state=firing&limit=1000&unit=" + encodeURIComponent(box.dataset.unit);
  fetch("/api/v1/alerts" + query, { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : { items: [] }; })
    .then(function (body) {
      var mine = (body.items || []).filter(function (a) { return a.labels && a.labels.station === code; });
      var list = box.querySelector("ul");
      mine.forEach(function (a) {
        var item = document.createElement("li");
        item.className = "alert-item severity-" + a.severity;
        item.dataset.alert = String(a.id);
        var head = document.createElement("b");
        head.textContent = (a.rule_title || a.rule) + " · " + say(words.since, { at: time(a.started_at || a.state_since) });
        item.appendChild(head);
        var ack = document.createElement("div");
        ack.className = a.acknowledged_by ? "acked" : "muted";
        ack.textContent = a.acknowledged_by
          ? say(words.acknowledged, { who: a.acknowledged_by }) + (a.ack_note ? ": " + a.ack_note : "")
          : words.notAcknowledged;
        item.appendChild(ack);
        list.appendChild(item);
      });
      box.hidden = mine.length === 0;
      box.dataset.count = String(mine.length);
    })
    .catch(function () {});
})();
