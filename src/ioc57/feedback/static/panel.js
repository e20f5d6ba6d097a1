// The IOC panel of citizen reports: the month-by-month chart (Chart.js), the map of the reports
// open now (Leaflet, clustered by place with leaflet.markercluster when it is served; plain dots
// without it), and the live refresh. The page writes every figure itself; on a batch of reports at
// the gate (ingest.batch of feedback) or a deadline passing (feedback.deadline) this script reads
// the page again and puts its fresh parts ([data-fresh], by id) in place of the old ones, then
// redraws the chart and reads the map again. At most one read runs at a time; events that arrive
// meanwhile make one more. No tile server: the map works on a closed network. Names and labels go
// into the page as text, never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("fb-panel");
  if (!root || !window.fetch) return;
  var words = JSON.parse(root.dataset.words);
  var lang = root.dataset.lang === "en" ? "en-GB" : "vi-VN";
  var num = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

  function say(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key] == null ? "" : values[key]; });
  }
  function node(tag, attrs, children) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") n.textContent = attrs[k];
      else if (k === "className") n.className = attrs[k];
      else n.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) n.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return n;
  }

  // -- the chart ---------------------------------------------------------------------------------
  var canvas = document.getElementById("fb-month-chart"), chart = null;
  function chartData() {
    var el = document.getElementById("fb-chart-data");
    return el ? JSON.parse(el.textContent) : null;
  }
  function drawChart() {
    var d = chartData();
    if (!window.Chart || !canvas || !d) return;
    if (chart) {
      chart.data.labels = d.labels;
      chart.data.datasets[0].data = d.received;
      chart.data.datasets[1].data = d.answered;
      chart.data.datasets[2].data = d.on_time;
      chart.update();
      return;
    }
    var names = JSON.parse(canvas.dataset.words);
    Chart.defaults.font.family = '"DejaVu Sans", system-ui, sans-serif';
    Chart.defaults.animation = false;
    chart = canvas.chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: d.labels,
        datasets: [
          { label: names.received, data: d.received, backgroundColor: "#9bbce0", yAxisID: "y", order: 2 },
          { label: names.answered, data: d.answered, backgroundColor: "#0b5cad", yAxisID: "y", order: 1 },
          { label: names.onTime, data: d.on_time, type: "line", borderColor: "#2e9e5b", backgroundColor: "#2e9e5b",
            yAxisID: "rate", spanGaps: true, order: 0, clip: false }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0, callback: function (v) { return num.format(v); } } },
          rate: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false },
            ticks: { callback: function (v) { return num.format(v) + "%"; } } }
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (c) {
            var v = c.parsed.y;
            return c.dataset.label + ": " + (v == null ? "—" : num.format(v) + (c.dataset.yAxisID === "rate" ? "%" : ""));
          } } }
        }
      }
    });
  }

  // -- the map -----------------------------------------------------------------------------------
  var mapEl = document.getElementById("fb-map"), map = null, layer = null, fitted = false, places = [];
  if (mapEl && window.L) {
    // no tile layer gives the map its zoom range: the clusters need one
    map = L.map(mapEl, { attributionControl: false, zoomSnap: 0.5, minZoom: 5, maxZoom: 18 });
    map.setView([10.4, 106.0], 8);  // the Mekong Delta, until the reports are known
    // clustered by place when leaflet.markercluster is served; one dot a report without it
    // the communes, faint, under the reports: without tiles they give the map its shape
    var placesEl = document.getElementById("fb-places");
    places = placesEl ? JSON.parse(placesEl.textContent) : [];
    var communes = L.featureGroup().addTo(map);
    places.forEach(function (c) {
      var style = c.shown ? { radius: 9, weight: 2, color: "#0d2a4a", fillColor: "#0d2a4a", fillOpacity: 0.15 }
        : { radius: 3, weight: 0, fillColor: "#8a94a3", fillOpacity: 0.55 };
      L.circleMarker([c.lat, c.lon], style)
        .bindTooltip(node("span", { text: c.name }), { permanent: !!c.shown, direction: "right" }).addTo(communes);
    });
    // a province: its communes; a commune or an agency: its reports, once read (else the province)
    if (places.length) map.fitBounds(communes.getBounds(), { padding: [12, 12], maxZoom: 13, animate: false });
    fitted = mapEl.dataset.fit === "places" && places.length > 0;
    layer = (L.markerClusterGroup ? L.markerClusterGroup({ maxClusterRadius: 50, showCoverageOnHover: false })
      : L.featureGroup()).addTo(map);
    mapEl.dataset.clustered = L.markerClusterGroup ? "1" : "";
  }
  function popup(r) {
    return node("div", { className: "fb-popup" }, [
      node("b", { text: r.category_name }), node("br"),
      node("span", { text: (words.status[r.status] || r.status) + (r.flag ? " · " + words[r.flag] : "") }),
      r.approximate ? node("div", { className: "muted", text: words.approximate }) : null,
      r.simulated ? node("div", {}, [node("span", { className: "simulated", text: words.simulated })]) : null,
      node("a", { href: "/feedback/" + encodeURIComponent(r.id), text: words.open })
    ]);
  }
  function drawMap(answer) {
    if (!layer) return;
    layer.clearLayers();
    answer.items.forEach(function (r) {
      var icon = L.divIcon({ className: "fb-pin flag-" + (r.flag || ""), iconSize: [14, 14] });
      L.marker([r.lat, r.lon], { icon: icon, title: r.category_name, keyboard: false })
        .bindPopup(popup(r)).addTo(layer);
    });
    if (!fitted && answer.items.length) {
      var bounds = L.latLngBounds(answer.items.map(function (r) { return [r.lat, r.lon]; }));
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13, animate: false });
      fitted = true;
    }
    var parts = [say(words.shown, { shown: num.format(answer.items.length) })];
    if (answer.rest) parts.push(say(words.rest, { rest: num.format(answer.rest) }));
    if (answer.unplaced) parts.push(say(words.unplaced, { count: num.format(answer.unplaced) }));
    document.getElementById("fb-map-count").textContent = parts.join(" · ");
    mapEl.dataset.markers = String(answer.items.length);
  }
  function readMap() {
    if (!layer) return Promise.resolve();
    var unit = root.dataset.unit;
    return fetch("/api/v1/feedback/map" + (unit ? "?unit=" + encodeURIComponent(unit) : ""), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error("map: " + r.status); return r.json(); })
      .then(drawMap);
  }

  // -- the page, read again ------------------------------------------------------------------------
  function readPage() {
    return fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { if (!r.ok) throw new Error("page: " + r.status); return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-fresh][id]").forEach(function (old) {
          var next = fresh.getElementById(old.id);
          if (!next) return;
          if (old.tagName === "DETAILS") next.open = old.open;  // the table stays as the person left it
          old.replaceWith(document.importNode(next, true));
        });
        drawChart();
        document.getElementById("fb-live-state").hidden = !root.dataset.live;
      });
  }
  var busy = false, again = false;
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    Promise.all([readPage(), readMap()]).then(function () {
      root.dataset.updates = String(Number(root.dataset.updates) + 1);
    }).catch(function () {
      var status = document.getElementById("fb-updated");
      if (status) status.textContent = words.unreadable;
    }).then(function () {
      busy = false;
      if (again) { again = false; refresh(); }
    });
  }

  drawChart();
  readMap().catch(function () {});
  if (window.EventSource) {
    var stream = new EventSource("/api/v1/stream?types=ingest.batch,feedback.deadline");
    stream.addEventListener("open", function () {
      root.dataset.live = "1";
      document.getElementById("fb-live-state").hidden = false;
    });
    stream.addEventListener("error", function () {
      root.dataset.live = "";
      document.getElementById("fb-live-state").hidden = true;
    });
    stream.addEventListener("ingest.batch", function (event) {
      if (JSON.parse(event.data).record_type === "feedback") refresh();
    });
    stream.addEventListener("feedback.deadline", refresh);
    stream.addEventListener("stream.gap", refresh);
    stream.addEventListener("stream.end", function () { stream.close(); });
  }
})();
