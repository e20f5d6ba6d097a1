// The wall's maps: each `.wall-map` draws the layers it names (no tile server on a closed network:
// markers on the dark panel), coloured by level and sized by value, with a legend and the names of
// the few worst points; drawn first from the data the page carries, then read again from
// /api/v1/centre/layers/{name} after one of the layers' events arrives on the stream.
(function () {
  "use strict";
  if (!window.L) return;
  var COLOURS = { bad: "#ff4d4f", watch: "#f5b301", ok: "#2ecc71", none: "#8899aa" };
  var WORST = { bad: 3, watch: 2, ok: 1, none: 0 };
  var LABELLED = 3; // the worst points named on the map
  var scale = Math.max(1, window.innerWidth / 1920); // a 4K wall: bigger markers

  function matches(spec, type, data) {
    var i = spec.indexOf(":");
    if (i < 0) return spec === type || (spec.slice(-2) === ".*" && type.indexOf(spec.slice(0, -1)) === 0);
    return spec.slice(0, i) === type && !!data && data.record_type === spec.slice(i + 1);
  }

  function Wall(el) {
    this.el = el;
    this.names = el.dataset.layers.split(" ").filter(Boolean);
    this.events = (el.dataset.layerEvents || "").split(" ").filter(Boolean);
    this.labels = JSON.parse(el.dataset.labels || "{}");
    this.data = JSON.parse(el.dataset.initial || "{}");
    this.legend = el.parentNode.querySelector(".wall-legend");
    this.map = L.map(el, { attributionControl: false, zoomControl: false, keyboard: false });
    this.group = L.featureGroup().addTo(this.map);
    this.draw();
  }

  Wall.prototype.say = function (id) { return this.labels[id] || id; };

  Wall.prototype.draw = function () {
    var self = this;
    var points = [];
    var legend = {};
    var simulated = false;
    this.names.forEach(function (name) {
      var layer = self.data[name];
      if (!layer) return;
      simulated = simulated || !!layer.simulated;
      (layer.points || []).forEach(function (p) { points.push(p); });
      (layer.legend || []).forEach(function (pair) { legend[pair[0]] = pair[1]; });
    });
    this.group.clearLayers();
    var top = Math.max.apply(null, points.map(function (p) { return Math.abs(Number(p.value) || 0); }).concat([1]));
    var worst = points.slice().sort(function (a, b) {
      return (WORST[b.level] || 0) - (WORST[a.level] || 0) || (Number(b.value) || 0) - (Number(a.value) || 0);
    }).slice(0, LABELLED).filter(function (p) { return p.level === "bad" || p.level === "watch"; });
    points.forEach(function (p) {
      var colour = COLOURS[p.level] || COLOURS.none;
      var radius = (5 + 12 * Math.sqrt(Math.abs(Number(p.value) || 0) / top)) * scale;
      var marker = L.circleMarker([p.lat, p.lon], {
        radius: radius, weight: 2, color: "#000", fillColor: colour, fillOpacity: 0.85
      });
      var name = document.createElement("span");
      name.textContent = p.label == null ? "" : String(p.label);
      // above the marker, clear of it
      marker.bindTooltip(name, { permanent: worst.indexOf(p) >= 0, direction: "top", offset: [0, -radius] });
      marker.addTo(self.group);
    });
    this.legend.textContent = "";
    Object.keys(legend).forEach(function (level) {
      var li = document.createElement("li");
      li.style.setProperty("--c", COLOURS[level] || COLOURS.none);
      li.textContent = self.say(legend[level]);
      self.legend.appendChild(li);
    });
    if (simulated) {
      var sim = document.createElement("li");
      sim.className = "simulated";
      sim.textContent = this.el.dataset.simulatedText;
      this.legend.appendChild(sim);
    }
    this.el.dataset.markers = String(points.length);
    this.fit();
  };

  Wall.prototype.fit = function () {
    if (!this.el.offsetWidth) return; // on a hidden page: fitted when the page shows
    this.map.invalidateSize(false);
    var bounds = this.group.getBounds();
    if (!bounds.isValid()) {
      this.map.setView([16, 106], 5); // nothing to show: the country, never a blank grey box
    } else if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
      this.map.setView(bounds.getCenter(), 12); // one point: a sensible zoom, not an infinite one
    } else {
      // room around the points for the names of the worst
      this.map.fitBounds(bounds, { padding: [90 * scale, 90 * scale], maxZoom: 13 });
    }
  };

  Wall.prototype.refresh = function () {
    var self = this;
    clearTimeout(this.pending);
    this.pending = setTimeout(function () {
      Promise.all(self.names.map(function (name) {
        return fetch("/api/v1/centre/layers/" + encodeURIComponent(name), {
          credentials: "same-origin", headers: { Accept: "application/json" }
        }).then(function (r) {
          return r.ok ? r.json() : null;  // a 401: wall.js ends the display's session
        }).then(function (layer) { if (layer) self.data[name] = layer; });
      })).then(function () {
        self.draw();
        self.el.dataset.swappedAt = String(Date.now());
      }).catch(function () { /* the stream's state tells the wall; the next event retries */ });
    }, 250);
  };

  var walls = Array.prototype.map.call(document.querySelectorAll(".wall-map"), function (el) {
    return new Wall(el);
  });
  document.addEventListener("wall:page", function () { walls.forEach(function (w) { w.fit(); }); });
  // the maps' own stream, of their layers' event types only (live.js reads the tiles' and lists')
  var types = {};
  walls.forEach(function (w) { w.events.forEach(function (s) { types[s.split(":")[0]] = 1; }); });
  var wanted = Object.keys(types).sort();
  if (wanted.length && window.EventSource) {
    var stream = new EventSource("/api/v1/stream?types=" + encodeURIComponent(wanted.join(",")));
    var dropped = false;
    stream.addEventListener("error", function () { dropped = true; });
    stream.addEventListener("open", function () {  // back: what changed meanwhile
      if (dropped) walls.forEach(function (w) { w.refresh(); });
      dropped = false;
    });
    stream.addEventListener("stream.end", function () { stream.close(); });
    wanted.forEach(function (type) {
      stream.addEventListener(type, function (e) {
        var data = null;
        try { data = JSON.parse(e.data); } catch (err) { /* no data */ }
        walls.forEach(function (w) {
          if (w.events.some(function (spec) { return matches(spec, type, data); })) w.refresh();
        });
      });
    });
  }
  window.addEventListener("resize", function () { walls.forEach(function (w) { w.fit(); }); });
})();
