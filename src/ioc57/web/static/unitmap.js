// The communes of a unit as points on a Leaflet map with no tile server (closed networks).
// Markers are SVG (one element each, a province has at most a few hundred communes), so they can
// be focused, inspected and counted.
(function () {
  var el = document.getElementById("map");
  if (!el || !window.L) return;
  var points = JSON.parse(el.dataset.points);
  var map = L.map(el, { attributionControl: false });
  var layer = L.featureGroup().addTo(map);
  points.forEach(function (p) {
    L.circleMarker([p.lat, p.lon], { radius: 6, weight: 1, color: "#0b5cad", fillOpacity: 0.7 })
      .bindTooltip(p.name)
      .on("click", function () { window.location = "/units/" + p.code; })
      .addTo(layer);
  });
  map.fitBounds(layer.getBounds(), { padding: [20, 20] });
  el.dataset.markers = String(points.length);
})();
