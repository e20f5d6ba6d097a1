// The live map of the sensor stations: each station a dot coloured by its level against its
// effective threshold (normal, near it, over it, no data), a ring around those with an alert
// firing, and beside the map the alerts (each acknowledged here with a note) and the stations.
// Read from /api/v1/stations and /api/v1/alerts?state=firing, and read again when the event stream
// announces readings at the gate or a change of an alert (at most one read at a time; the events
// that arrive meanwhile make one more). No tile server: the map works on a closed network.
// Every name and note goes into the page as text, never as HTML.
(function () {
  "use strict";
  var say = ioc57.say, node = ioc57.node, time = ioc57.time;  // the pages' shared helpers (/static/pages.js)
  var root = document.getElementById("sensors");
  var el = document.getElementById("map");
  if (!root || !el || !window.L || !window.fetch) return;
  var words = JSON.parse(root.dataset.words);
  var mayAck = !!root.dataset.mayAck, readAlerts = !!root.dataset.alerts;
  var lang = root.dataset.lang === "en" ? "en-GB" : "vi-VN";
  var num = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  var COLOURS = { ok: "#2e9e5b", watch: "#d9a400", over: "#b42318", nodata: "#8a94a3" };

  function value(v, uom) { return v == null ? "—" : num.format(v) + (uom ? " " + uom : ""); }
  function listOf(body) {  // a list the API answers: {items: [...]} (or a bare array)
    return Array.isArray(body) ? body : (body && body.items) || [];
  }

  // -- the map ---------------------------------------------------------------------------------
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.5 });
  map.setView([10.3, 106.4], 8);  // the Mekong Delta, until the stations are known
  var layer = L.featureGroup().addTo(map);
  var fitted = false;

  function popup(s, alert) {
    var box = node("div", { className: "station-popup" }, [
      node("b", { text: s.name }), " ", node("span", { className: "muted", text: s.code }),
      node("div", { text: words[s.level] || s.level }),
      node("div", { text: words.value + ": " + value(s.value, s.uom) + (s.threshold != null ? " / " + words.threshold + " " + value(s.threshold, s.uom) : "") }),
      alert ? node("div", { className: "late", text: words.alert }) : null,
      node("a", { href: "/sensors/" + encodeURIComponent(s.code), text: words.open })
    ]);
    return box;
  }

  function drawMap(stations, alerts) {
    layer.clearLayers();
    var labelled = stations.length <= 30 && el.clientWidth >= 600;
    stations.forEach(function (s) {
      if (s.lat == null || s.lon == null) return;
      var alert = alerts[s.code];
      if (alert) {
        L.circleMarker([s.lat, s.lon], { radius: 15, weight: 3, color: "#7a0010", fill: false,
          className: "alert-ring-marker", interactive: false }).addTo(layer);
      }
      var colour = COLOURS[s.level] || COLOURS.nodata;
      var marker = L.circleMarker([s.lat, s.lon], { radius: 9, weight: 2, color: "#fff", fillColor: colour,
        fillOpacity: 0.95, className: "station-marker level-" + s.level })
        .bindPopup(popup(s, alert))
        .addTo(layer);
      if (labelled) marker.bindTooltip(node("span", { text: s.name }), { permanent: true, direction: "right", offset: [10, 0], className: "station-label" });
      else marker.bindTooltip(node("span", { text: s.name }));
    });
    if (!fitted && layer.getLayers().length) {
      // with no tile layer the map has no maximum zoom: one station would be fitted nowhere
      // (room on the right for the names written beside the dots)
      map.fitBounds(layer.getBounds(), { paddingTopLeft: [30, 30], paddingBottomRight: [labelled ? 160 : 30, 30], maxZoom: 12, animate: false });
      fitted = true;
    }
    el.dataset.markers = String(stations.length);
    el.dataset.alerts = String(Object.keys(alerts).length);
  }

  // -- the lists -------------------------------------------------------------------------------
  function drawStations(stations) {
    var body = document.querySelector("#station-list tbody");
    body.textContent = "";
    if (!stations.length) body.appendChild(node("tr", {}, [node("td", { colspan: "3", className: "muted", text: words.noStations })]));
    var order = { over: 0, watch: 1, nodata: 2, ok: 3 };
    stations.slice().sort(function (a, b) {
      return (order[a.level] - order[b.level]) || ((b.value || 0) - (a.value || 0));
    }).forEach(function (s) {
      var source = s.source === "station" ? words.station : s.source === "crops" ? words.crops : "";
      body.appendChild(node("tr", { "data-station": s.code, className: "level-" + s.level }, [
        node("td", {}, [
          node("span", { className: "status-dot level-" + s.level, title: words[s.level] || s.level }),
          node("a", { href: "/sensors/" + encodeURIComponent(s.code), text: s.name }),
          node("div", { className: "muted small", text: [s.commune, time(s.at)].filter(Boolean).join(" · ") })
        ]),
        node("td", { className: "n", text: value(s.value, s.uom) }),
        node("td", { className: "n" }, [value(s.threshold, s.uom), source ? node("div", { className: "muted small", text: source }) : null])
      ]));
    });
    document.getElementById("station-count").textContent = String(stations.length);
    document.getElementById("simulated-label").hidden = !stations.some(function (s) { return s.simulated; });
  }

  // what a person is typing survives the redraws the stream causes: per alert, whether its form
  // is open, its note, and whether the note had the focus
  var drafts = {};

  function ackForm(a) {
    var draft = drafts[a.id] || (drafts[a.id] = { open: false, note: "" });
    var input = node("input", { type: "text", name: "note", maxlength: "2000", required: "required",
      placeholder: words.notePlaceholder, "aria-label": words.note });
    input.value = draft.note;
    input.addEventListener("input", function () { draft.note = input.value; });
    input.addEventListener("focus", function () { draft.focused = true; });
    input.addEventListener("blur", function () { draft.focused = false; });
    var form = node("form", { className: "ack" }, [input, node("button", { type: "submit", text: words.send })]);
    var box = node("details", { className: "ack" }, [node("summary", { text: words.ack }), form]);
    box.open = draft.open;
    box.addEventListener("toggle", function () {
      draft.open = box.open;
      if (box.open && !draft.focused) input.focus();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      form.querySelector("button").disabled = true;
      fetch("/api/v1/alerts/" + encodeURIComponent(a.id) + "/ack", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": root.dataset.csrf },
        body: JSON.stringify({ note: input.value })
      }).then(function (r) {
        if (r.ok) { delete drafts[a.id]; refresh(); return; }
        return r.json().catch(function () { return {}; }).then(function (p) {
          var why = (p.errors && p.errors[0] && p.errors[0].msg) || p.detail || r.status;
          form.appendChild(node("p", { className: "error", role: "alert", text: say(words.failed, { why: why }) }));
          form.querySelector("button").disabled = false;
        });
      }).catch(function () { form.querySelector("button").disabled = false; });
    });
    return { box: box, focus: function () { if (draft.focused) input.focus(); } };
  }

  function drawAlerts(alerts, byCode) {
    var list = document.getElementById("alert-list");
    if (!list) return;
    list.textContent = "";
    if (!alerts.length) list.appendChild(node("li", { className: "muted", text: words.noAlerts }));
    var refocus = [], rank = { critical: 0, warning: 1, info: 2 };
    // the ones that wait for someone first: not muted, the most severe, the oldest
    alerts.slice().sort(function (a, b) {
      return ((a.silenced || a.inhibited) - (b.silenced || b.inhibited)) ||
        ((rank[a.severity] || 0) - (rank[b.severity] || 0)) ||
        String(a.started_at).localeCompare(String(b.started_at));
    }).forEach(function (a) {
      var labels = a.labels || {}, s = byCode[labels.station];
      var name = s ? s.name : (labels.station || a.rule);
      var muted = a.silenced ? words.silenced : a.inhibited ? words.inhibited : "";
      var item = node("li", { "data-alert": String(a.id), className: "alert-item severity-" + a.severity + (muted ? " muted-alert" : "") }, [
        node("div", {}, [
          node("span", { className: "badge severity-" + a.severity, text: words[a.severity] || a.severity }), " ",
          labels.station ? node("a", { href: "/sensors/" + encodeURIComponent(labels.station), text: name }) : node("b", { text: name }),
          muted ? node("span", { className: "tag", text: muted }) : null
        ]),
        node("div", {}, [
          node("b", { text: value(a.value, s && s.uom) }),
          a.threshold != null ? " / " + words.threshold + " " + value(a.threshold, s && s.uom) : "",
          node("span", { className: "muted small", text: " · " + (a.rule_title || a.rule) + " · " + say(words.since, { at: time(a.started_at || a.state_since) }) })
        ])
      ]);
      if (a.acknowledged_by) {
        item.appendChild(node("div", { className: "acked", text: say(words.acknowledged, { who: a.acknowledged_by }) + (a.ack_note ? ": " + a.ack_note : "") }));
      } else if (mayAck) {
        var form = ackForm(a);
        item.appendChild(form.box);
        refocus.push(form.focus);
      }
      list.appendChild(item);
    });
    refocus.forEach(function (f) { f(); });
    document.getElementById("alert-count").textContent = String(alerts.length);
  }

  // -- reading the API -------------------------------------------------------------------------
  function station(s) {
    // the fields of /api/v1/stations this page draws: the watched metric's latest value, the
    // effective threshold and where it comes from (the station's own, or its commune's crops)
    var now = (s.latest || {})[s.metric] || {}, t = s.threshold || {};
    return {
      code: s.code, name: s.name || s.code, lat: s.lat, lon: s.lon, commune: s.unit_name || s.unit,
      value: now.value, at: now.observed_at, threshold: t.value, source: t.origin,
      level: s.level || "nodata", uom: s.metric === "salinity" ? "‰" : "", simulated: !!s.simulated
    };
  }
  function get(path) {
    return fetch(path, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  }
  function read() {
    return Promise.all([
      get("/api/v1/stations?limit=1000"),
      // the stations are drawn even when the alerts cannot be read
      readAlerts ? get("/api/v1/alerts?state=firing&limit=1000").catch(function () { return []; }) : []
    ]);
  }
  function show(answers) {
    var stations = listOf(answers[0]).map(station);
    // the alerts of stations (the rules on other modules' figures have their own pages)
    var alerts = listOf(answers[1]).filter(function (a) { return a.labels && a.labels.station; });
    var byCode = {}, alerted = {};
    stations.forEach(function (s) { byCode[s.code] = s; });
    alerts.forEach(function (a) { alerted[a.labels.station] = a; });
    drawMap(stations, alerted);
    drawStations(stations);
    drawAlerts(alerts, byCode);
    root.dataset.updates = String(Number(root.dataset.updates) + 1);
    document.getElementById("map-status").textContent = say(words.updated, { at: time(new Date().toISOString()) });
  }

  var busy = false, again = false;
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    read().then(show).catch(function () {
      document.getElementById("map-status").textContent = words.unreadable;
    }).then(function () {
      busy = false;
      if (again) { again = false; refresh(); }
    });
  }
  refresh();
  if (window.EventSource) {
    var stream = new EventSource("/api/v1/stream?types=ingest.batch,alerts.changed");
    stream.addEventListener("open", function () { root.dataset.live = "1"; });
    stream.addEventListener("error", function () { root.dataset.live = ""; });
    stream.addEventListener("ingest.batch", function (event) {
      var type = JSON.parse(event.data).record_type;
      if (type === "reading" || type === "station") refresh();
    });
    stream.addEventListener("alerts.changed", refresh);
    stream.addEventListener("stream.gap", refresh);
    stream.addEventListener("stream.end", function () { stream.close(); });
  }
})();
