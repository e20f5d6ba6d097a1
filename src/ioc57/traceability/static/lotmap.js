// The farm a lot comes from, on a Leaflet map with no tile server (closed networks): the farm as
// a large dot among the province's communes as small grey ones, so that a reader sees where in
// the province it lies. On a phone the map does not take the finger that scrolls the page.
// Names go in as text, never as HTML (Leaflet inserts a string tooltip as HTML).
(function () {
  var el = document.getElementById("lot-map");
  if (!el || !window.L) return;
  var data = JSON.parse(el.dataset.map);
  el.textContent = "";
  var touch = L.Browser.mobile;
  var map = L.map(el, { attributionControl: false, scrollWheelZoom: false, dragging: !touch, tap: false });
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span;
  }
  var o = data.origin;
  var bounds = L.latLngBounds([[o.lat, o.lon]]);
  data.communes.forEach(function (c) { bounds.extend([c.lat, c.lon]); });
  // the view first: a permanent tooltip needs one
  map.fitBounds(bounds, { padding: [16, 16], maxZoom: 11 });
  data.communes.forEach(function (c) {
    L.circleMarker([c.lat, c.lon], { radius: 3, weight: 0, fillColor: "#7d8896", fillOpacity: 0.6 })
      .bindTooltip(text(c.name)).addTo(map);
  });
  L.circleMarker([o.lat, o.lon], { radius: 10, weight: 3, color: "#fff", fillColor: "#1f7a45", fillOpacity: 1 })
    .bindTooltip(text(o.name), { permanent: true, direction: "top", offset: [0, -8] }).addTo(map);
  el.dataset.ready = "1";
})();
