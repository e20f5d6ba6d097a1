// A map of units on Leaflet with no tile server (closed networks), from the page's data-map:
// - markers: the units shown (communes, agencies, provinces), each a link; with a `value`, coloured
//   in classes of value and sized by it, else coloured by `kind`; a point with no value is hollow;
// - areas: each unit as a circle of its own area (its extent: no boundary ships with a package), the
//   `focus` one (the page's unit) outlined; they give a lone point a place around it;
// - mine: the province the page is about, ringed and labelled first;
// - labels beside the markers and on the areas, hidden where they would overlap (most important
//   first); a legend under the map whose words come from data-legend (translated by the page).
// Data goes into the page as text, never as HTML: each tooltip and label is a DOM node whose
// textContent is the name (names come from users: agencies).
(function () {
  var el = document.getElementById("map");
  if (!el || !window.L || !el.dataset.map) return;
  var data = JSON.parse(el.dataset.map);
  var words = JSON.parse(el.dataset.legend || "{}");
  var markers = data.markers || [], areas = data.areas || [];
  if (!markers.length && !areas.length) return;
  var lang = document.documentElement.lang || "vi";
  var fmt = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  // colour-blind safe, light to dark (ColorBrewer YlGnBu); kinds: distinct hues
  var RAMP = ["#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"];
  var KINDS = { agency: "#b45309", "phường": "#0b5cad", "xã": "#2e9e5b", "đặc khu": "#7c3aed" };
  var OTHER = "#5b6675";

  function text(value, cls) {
    var span = document.createElement("span");
    if (cls) span.className = cls;
    span.textContent = value == null ? "" : String(value);
    return span;
  }

  // classes of value: quantiles of the values shown, at most five, none empty
  var values = markers.filter(function (m) { return m.value != null; }).map(function (m) { return m.value; });
  values.sort(function (a, b) { return a - b; });
  var distinct = values.filter(function (v, i) { return i === 0 || v !== values[i - 1]; });
  var k = Math.min(RAMP.length, distinct.length), breaks = [];
  for (var i = 1; i < k; i++) {
    var cut = values[Math.floor((i * values.length) / k)];
    if (cut > values[0] && breaks.indexOf(cut) < 0) breaks.push(cut);
  }
  var lo = values[0], hi = values[values.length - 1];
  function classOf(v) { var c = 0; while (c < breaks.length && v >= breaks[c]) c++; return c; }
  function colourOf(c) { return RAMP[breaks.length ? Math.round((c * (RAMP.length - 1)) / breaks.length) : RAMP.length - 2]; }
  // the area of a marker tells its value: from zero when every value is a count or a share (a
  // province at 60 % is not drawn a third the size of one at 70 %), else over the range shown
  var big = el.clientWidth < 500 ? 9 : 12;
  function radiusOf(v) {
    if (lo >= 0) return hi > 0 ? 3 + (big - 3) * Math.sqrt(v / hi) : big / 2;
    return hi > lo ? 3 + (big - 3) * Math.sqrt((v - lo) / (hi - lo)) : big / 2;
  }
  function style(m) {
    if (m.value != null) {
      var fill = colourOf(classOf(m.value));
      return { radius: radiusOf(m.value), weight: 1.5, color: "#1b2430", fillColor: fill, fillOpacity: 0.9 };
    }
    if (values.length) return { radius: 5, weight: 1.5, color: OTHER, fillColor: "#fff", fillOpacity: 1 };
    var colour = KINDS[m.kind] || OTHER;
    return { radius: 7, weight: 1, color: "#fff", fillColor: colour, fillOpacity: 0.9 };
  }

  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25, minZoom: 4, maxZoom: 16 });
  L.control.scale({ imperial: false }).addTo(map);
  var labels = []; // {marker, node, rank}: placed in rank order, later ones hidden on overlap

  function label(latlng, node, anchor, rank, beside) {
    var icon = L.divIcon({ className: "map-label", html: node, iconSize: null, iconAnchor: anchor });
    var m = L.marker(latlng, { icon: icon, interactive: false, keyboard: false }).addTo(map);
    labels.push({ marker: m, node: node, rank: rank, beside: beside });
  }

  var extent = L.latLngBounds([]), focus = null;
  areas.forEach(function (a) {
    var mine = a.code === data.focus;
    var circle = L.circle([a.lat, a.lon], {
      radius: Math.sqrt((a.km2 * 1e6) / Math.PI),
      interactive: false,
      weight: mine ? 2.5 : 1,
      color: mine ? "#0d2a4a" : "#9aa9ba",
      dashArray: mine ? "6 4" : null,
      fillColor: mine ? "#fff8e1" : "#ffffff",
      fillOpacity: mine ? 0.75 : 0.5,
    }).addTo(map);
    var box = L.latLng(a.lat, a.lon).toBounds(2 * circle.getRadius());
    if (mine) focus = L.latLng(a.lat, a.lon).toBounds(5 * circle.getRadius()); // and around it
    extent.extend(box);
    if (!mine && markers.some(function (m) { return m.code === a.code; })) return; // its marker has a label
    label([a.lat, a.lon], text(a.label, mine ? "focus" : "area"), [0, 0], mine ? 0 : 3e9 - a.km2);
  });

  var layer = L.featureGroup().addTo(map), mine = null;
  markers.forEach(function (m) {
    var s = style(m);
    if (m.code === data.mine) { s.weight = 3.5; s.color = "#b42318"; } // the page's own province
    var point = L.circleMarker([m.lat, m.lon], s)
      .bindTooltip(text(m.name))
      .on("click", function () { window.location = m.href || "/units/" + encodeURIComponent(m.code); })
      .addTo(layer);
    if (m.code === data.mine) mine = point;
    var node = text(m.label || m.name, m.code === data.mine ? "valued mine" : m.value != null ? "valued" : "point");
    if (m.shown) node.appendChild(text(m.shown, "figure"));
    // the highest values first, then every other marker; areas' names last
    var rank = m.code === data.mine ? 0 : m.value != null ? 1 + (hi - m.value) / ((hi - lo) || 1) : values.length ? 1e9 : 2;
    label([m.lat, m.lon], node, [-(s.radius + 3), 9], rank, s.radius);
  });
  labels.sort(function (a, b) { return a.rank - b.rank; });

  function declutter() {
    var frame = el.getBoundingClientRect(), placed = [];
    el.querySelectorAll(".leaflet-control").forEach(function (c) { placed.push(c.getBoundingClientRect()); });
    var controls = placed.length;
    function fits(r) {
      var inside = r.left >= frame.left && r.right <= frame.right && r.top >= frame.top && r.bottom <= frame.bottom;
      return inside && placed.every(function (p) {
        return r.right + 2 < p.left || r.left > p.right + 2 || r.bottom < p.top || r.top > p.bottom;
      });
    }
    labels.forEach(function (l) {
      l.node.style.visibility = "";
      l.node.style.transform = "";
      var r = l.node.getBoundingClientRect();
      if (!fits(r) && l.beside != null) { // a marker's label: on its left, if not on its right
        l.node.style.transform = "translateX(calc(-100% - " + (2 * l.beside + 6) + "px))";
        r = l.node.getBoundingClientRect();
      }
      if (fits(r)) placed.push(r);
      else l.node.style.visibility = "hidden";
    });
    el.dataset.labels = String(placed.length - controls);
  }

  // fit: the focus and the markers, else every marker and area; one point alone, a town's zoom
  var bounds = L.latLngBounds([]);
  if (layer.getLayers().length) bounds.extend(layer.getBounds());
  if (focus) bounds.extend(focus);
  else if (extent.isValid()) bounds.extend(extent);
  var pad = el.clientWidth < 500 ? 12 : 28;
  if (bounds.getNorthEast().equals(bounds.getSouthWest())) map.setView(bounds.getCenter(), 13);
  else map.fitBounds(bounds, { padding: [pad, pad], maxZoom: 14 });
  if (mine) mine.bringToFront();
  map.on("zoomend moveend resize", declutter);
  declutter();
  el.dataset.markers = String(markers.length);
  legend();

  function row(box, swatch, words) {
    var item = document.createElement("li");
    item.appendChild(swatch);
    item.appendChild(text(words));
    box.appendChild(item);
  }
  function dot(s, dashed) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg"), r = s.radius;
    var size = 2 * r + 4;
    svg.setAttribute("width", size); svg.setAttribute("height", size);
    svg.setAttribute("aria-hidden", "true");
    var c = document.createElementNS(ns, "circle");
    c.setAttribute("cx", size / 2); c.setAttribute("cy", size / 2); c.setAttribute("r", r);
    c.setAttribute("fill", s.fillColor); c.setAttribute("fill-opacity", s.fillOpacity);
    c.setAttribute("stroke", s.color); c.setAttribute("stroke-width", s.weight);
    if (dashed) c.setAttribute("stroke-dasharray", "4 3");
    svg.appendChild(c);
    return svg;
  }
  function legend() {
    var box = document.getElementById("map-legend");
    if (!box) return;
    var title = words.value + (data.uom ? " (" + data.uom + ")" : "");
    var list = document.createElement("ul");
    if (values.length) {
      var edges = [lo].concat(breaks).concat([hi]);
      for (var c = 0; c <= breaks.length; c++) {
        var from = edges[c], to = c < breaks.length ? edges[c + 1] : hi, mid = (from + to) / 2;
        var span = fmt.format(from) + (to > from ? " – " + fmt.format(to) : "");
        row(list, dot({ radius: radiusOf(mid), fillColor: colourOf(c), fillOpacity: 0.9, color: "#1b2430", weight: 1.5 }), span);
      }
      if (values.length < markers.length) row(list, dot(style({})), words.none);
    } else {
      title = words.title;
      var kinds = [];
      markers.forEach(function (m) { if (kinds.indexOf(m.kind) < 0) kinds.push(m.kind); });
      kinds.forEach(function (kind) { row(list, dot(style({ kind: kind })), (words.kinds || {})[kind] || kind); });
    }
    var own = markers.filter(function (m) { return m.code === data.mine; })[0];
    if (own) row(list, dot(Object.assign(style(own), { weight: 3, color: "#b42318" })), own.label);
    if (focus) row(list, dot({ radius: 7, fillColor: "#fff8e1", fillOpacity: 1, color: "#0d2a4a", weight: 2 }, true), words.focus);
    if (areas.length) row(list, dot({ radius: 7, fillColor: "#ffffff", fillOpacity: 1, color: "#9aa9ba", weight: 1 }), words.area);
    box.textContent = "";
    box.appendChild(text(title, "legend-title"));
    box.appendChild(list);
    box.hidden = false;
  }
})();
