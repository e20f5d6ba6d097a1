// The IOC's traceability page: the events of each of the last 30 days as bars (Chart.js, served by
// ioc57). The table under the chart holds the same figures, so nothing is lost without scripts.
(function () {
  var el = document.getElementById("events-chart");
  if (!el || !window.Chart) return;
  var d = JSON.parse(el.dataset.chart);
  var fmt = new Intl.NumberFormat(document.documentElement.lang || "vi");
  Chart.defaults.font.family = '"DejaVu Sans", system-ui, sans-serif';
  el.chart = new Chart(el, {
    type: "bar",
    data: { labels: d.labels, datasets: [{ label: d.label, data: d.values, backgroundColor: "#0b5cad" }] },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) { return fmt.format(c.parsed.y) + " " + d.label.toLowerCase(); } } } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0, callback: function (v) { return fmt.format(v); } } }, x: { ticks: { autoSkip: true, maxRotation: 0 } } }
    }
  });
})();
