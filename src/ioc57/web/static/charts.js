// Charts drawn with Chart.js (served by ioc57 from the npm package; no CDN). Every chart has a
// table beside it with the same figures, so a page without scripts loses nothing but the picture.
// Labels and names are drawn on the canvas as text; nothing here puts data into the DOM as HTML.
(function () {
  if (!window.Chart) return;
  Chart.defaults.font.family = '"DejaVu Sans", system-ui, sans-serif';
  Chart.defaults.animation = false;
  var fmt = new Intl.NumberFormat(document.documentElement.lang || "vi", { maximumFractionDigits: 2 });

  // sparklines on the scorecard tiles: [{year, value}, ...]
  document.querySelectorAll("canvas[data-spark]").forEach(function (el) {
    var points = JSON.parse(el.dataset.spark);
    var colour = getComputedStyle(el.parentElement).getPropertyValue("--c").trim() || "#0b5cad";
    el.chart = new Chart(el, {
      type: "line",
      data: {
        labels: points.map(function (p) { return p.year; }),
        datasets: [{ data: points.map(function (p) { return p.value; }), borderColor: colour, borderWidth: 2, pointRadius: 0, tension: 0.2 }]
      },
      options: {
        responsive: true, maintainAspectRatio: false, events: [],
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        scales: { x: { display: false }, y: { display: false } }
      }
    });
  });

  // one unit's series: values, the target line and the projection to the target year
  var series = document.getElementById("series-chart");
  if (series) {
    var d = JSON.parse(series.dataset.chart), names = JSON.parse(series.dataset.labels);
    series.chart = new Chart(series, {
      type: "line",
      data: {
        labels: d.years,
        datasets: [
          { label: names.values, data: d.values, borderColor: "#0b5cad", backgroundColor: "#0b5cad", spanGaps: true },
          { label: names.target, data: d.target, borderColor: "#0a6b3d", borderDash: [2, 4], pointRadius: 0 },
          { label: names.projection, data: d.projection, borderColor: "#c99a06", borderDash: [6, 4], spanGaps: true }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false,
        scales: { y: { title: { display: true, text: d.unit }, ticks: { callback: function (v) { return fmt.format(v); } } } },
        plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + fmt.format(c.parsed.y) + " " + d.unit; } } } }
      }
    });
  }

  // the provinces compared: horizontal bars coloured by status
  var compare = document.getElementById("compare-chart");
  if (compare) {
    var c = JSON.parse(compare.dataset.chart);
    compare.parentElement.style.height = Math.max(240, 22 * c.labels.length + 60) + "px";
    compare.chart = new Chart(compare, {
      type: "bar",
      data: { labels: c.labels, datasets: [{ data: c.values, backgroundColor: c.colours }] },
      options: {
        indexAxis: "y", responsive: true, maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (x) { return fmt.format(x.parsed.x) + " " + c.unit; } } } },
        scales: { x: { title: { display: true, text: c.unit } } }
      }
    });
  }
})();
