// Points on a Leaflet map with no tile server (closed networks): the communes of a unit, or the
// provinces coloured by status. Each point may carry its own colour and link. Markers are SVG (one
// element each), so they can be focused, inspected and counted.
// Data goes into the page as text, never as HTML: Leaflet inserts a string tooltip as HTML, so each
// tooltip gets a DOM node whose textContent is the name (names come from users: agencies).
(function () {
  var el = document.getElementById("map");
  if (!el || !window.L) return;
  var points = JSON.parse(el.dataset.points);
  if (!points.length) return;
  var map = L.map(el, { attributionControl: false });
  var layer = L.featureGroup().addTo(map);
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span;
  }
  points.forEach(function (p) {
    var colour = p.colour || "#0b5cad";
    L.circleMarker([p.lat, p.lon], { radius: 7, weight: 1, color: colour, fillColor: colour, fillOpacity: 0.75 })
      .bindTooltip(text(p.name))
      .on("click", function () { window.location = p.href || "/units/" + encodeURIComponent(p.code); })
      .addTo(layer);
  });
  // with no tile layer the map has no maximum zoom: one point (a commune with one agency) would be
  // fitted at an infinite zoom and drawn nowhere
  map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 12 });
  el.dataset.markers = String(points.length);
})();
