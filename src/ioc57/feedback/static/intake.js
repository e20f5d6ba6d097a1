// The public form of a citizen report: the place picked on a map of the province's communes (no
// tile server: the map works on a closed network), the phone's own position, or an address whose
// commune is looked up as it is typed (/api/v1/units/resolve, old addresses too); the photos
// checked before they are sent (count, size, type); the button held while the form is sent.
// Without scripts the form still works: the address is resolved when it arrives.
(function () {
  "use strict";
  var form = document.getElementById("citizen-form");
  if (!form) return;
  var lat = document.getElementById("lat"), lon = document.getElementById("lon");
  var picked = document.getElementById("point-picked");
  var found = document.getElementById("commune-found");
  var address = document.getElementById("address");
  var MAX_FILES = 5, MAX_BYTES = 5 * 1024 * 1024;
  var TYPES = ["image/jpeg", "image/png", "image/webp"];

  function say(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key] == null ? "" : values[key]; });
  }

  // -- the map ---------------------------------------------------------------------------------
  var wrap = document.getElementById("place-map-wrap"), el = document.getElementById("place-map");
  var points = [];
  try { points = JSON.parse(el.dataset.points || "[]"); } catch (e) { points = []; }
  var map = null, marker = null;

  function nearest(la, lo) {  // the commune whose centre is nearest, as the gate places a report
    var best = null, bestD = Infinity, scale = Math.cos(la * Math.PI / 180);
    points.forEach(function (p) {
      var d = Math.pow(p.lat - la, 2) + Math.pow((p.lon - lo) * scale, 2);
      if (d < bestD) { best = p; bestD = d; }
    });
    return bestD < 0.25 ? best : null;
  }
  function showPoint(la, lo) {
    lat.value = la.toFixed(6); lon.value = lo.toFixed(6);
    if (map) {
      if (marker) marker.setLatLng([la, lo]);
      else marker = L.marker([la, lo], { keyboard: false }).addTo(map);
    }
    var near = nearest(la, lo);
    picked.textContent = near ? say(picked.dataset.near, { name: near.name }) : la.toFixed(5) + ", " + lo.toFixed(5);
    picked.classList.add("ok");
    document.getElementById("clear-point").hidden = false;
  }
  function clearPoint() {
    lat.value = ""; lon.value = "";
    if (marker) { map.removeLayer(marker); marker = null; }
    picked.textContent = picked.dataset.none; picked.classList.remove("ok");
    document.getElementById("clear-point").hidden = true;
  }
  if (window.L && el) {
    wrap.hidden = false;
    map = L.map(el, { attributionControl: false, zoomSnap: 0.5, tap: true });
    var layer = L.featureGroup().addTo(map);
    points.forEach(function (p) {
      var label = document.createElement("span");
      label.textContent = p.name;
      L.circleMarker([p.lat, p.lon], { radius: 5, weight: 1, color: "#0b5cad", fillColor: "#0b5cad", fillOpacity: 0.5 })
        .bindTooltip(label).on("click", function (e) { showPoint(e.latlng.lat, e.latlng.lng); }).addTo(layer);
    });
    if (points.length) map.fitBounds(layer.getBounds(), { padding: [10, 10], maxZoom: 13, animate: false });
    else map.setView([16.0, 106.5], 5);  // Việt Nam, when no province is known yet
    map.on("click", function (e) { showPoint(e.latlng.lat, e.latlng.lng); });
    el.dataset.ready = "1";
    if (lat.value && lon.value && isFinite(+lat.value) && isFinite(+lon.value)) showPoint(+lat.value, +lon.value);
    document.getElementById("clear-point").addEventListener("click", clearPoint);
    var locate = document.getElementById("use-location");
    if (!navigator.geolocation) locate.hidden = true;
    locate.addEventListener("click", function () {
      locate.disabled = true;
      navigator.geolocation.getCurrentPosition(function (pos) {
        locate.disabled = false;
        showPoint(pos.coords.latitude, pos.coords.longitude);
        map.setView([pos.coords.latitude, pos.coords.longitude], 14);
      }, function () {
        locate.disabled = false;
        picked.textContent = picked.dataset.denied; picked.classList.remove("ok");
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  // -- the address -----------------------------------------------------------------------------
  var findButton = document.getElementById("find-address"), asked = "", timer = null;
  function lookUp() {
    var name = address.value.trim();
    if (name.length < 4 || name === asked || !window.fetch) return;
    asked = name;
    found.textContent = found.dataset.looking; found.className = "place-found";
    fetch("/api/v1/units/resolve?name=" + encodeURIComponent(name), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { matches: [] }; })
      .then(function (body) {
        if (name !== asked) return;  // a later address was typed meanwhile
        var commune = (body.matches || []).filter(function (m) { return m.level === "commune"; })[0];
        if (!commune) { found.textContent = found.dataset.missing; found.className = "place-found missing"; return; }
        var text = say(found.dataset.found, { name: commune.name });
        if (commune.via) text += " " + say(found.dataset.was, { name: commune.via.name });
        found.textContent = text; found.className = "place-found ok";
        found.dataset.code = commune.code;
      })
      .catch(function () { found.textContent = ""; asked = ""; });
  }
  if (window.fetch) {
    findButton.hidden = false;
    findButton.addEventListener("click", lookUp);
    address.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookUp, 900); });
    address.addEventListener("change", lookUp);
  }

  // -- the photos ------------------------------------------------------------------------------
  var files = document.getElementById("photos"), check = document.getElementById("photos-check");
  function photoProblem() {
    var list = Array.prototype.slice.call(files.files || []);
    if (list.length > MAX_FILES) return check.dataset.many;
    for (var i = 0; i < list.length; i++) {
      if (TYPES.indexOf(list[i].type) < 0) return say(check.dataset.kind, { name: list[i].name });
      if (list[i].size > MAX_BYTES) return say(check.dataset.large, { name: list[i].name });
    }
    return "";
  }
  files.addEventListener("change", function () {
    var problem = photoProblem();
    check.textContent = problem; check.hidden = !problem;
  });

  // -- sending ---------------------------------------------------------------------------------
  var send = document.getElementById("send"), sendLabel = send.textContent;
  form.addEventListener("submit", function (event) {
    var problem = photoProblem();
    if (problem) { event.preventDefault(); check.textContent = problem; check.hidden = false; files.focus(); return; }
    send.disabled = true; send.textContent = send.dataset.sending;
  });
  window.addEventListener("pageshow", function () { send.disabled = false; send.textContent = sendLabel; });  // back to the form
  var summary = document.getElementById("errors");
  if (summary) summary.focus();
})();
