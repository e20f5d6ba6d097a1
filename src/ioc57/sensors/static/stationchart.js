// A station's chart (Chart.js, served by ioc57): the readings over the chosen range, with a null
// point wherever no reading came (the line breaks there: nothing is drawn over hours nobody
// measured), the highest of each bucket, the thresholds as lines, and the forecast of the next 48
// hours with its band. Times are drawn in Việt Nam's time whatever the browser's zone; the table
// under the chart says the same figures.
(function () {
  "use strict";
  var el = document.getElementById("station-chart");
  if (!el || !window.Chart) return;
  var d = JSON.parse(el.dataset.chart);
  var lang = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
  var zone = "Asia/Ho_Chi_Minh";
  var fmt = new Intl.NumberFormat(lang, { maximumFractionDigits: 3 });
  var dayParts = new Intl.DateTimeFormat("en-GB", { timeZone: zone, day: "2-digit", month: "2-digit" });
  function dayOf(v) {  // dd/mm, as every page writes a day
    var parts = {};
    dayParts.formatToParts(v).forEach(function (p) { parts[p.type] = p.value; });
    return parts.day + "/" + parts.month;
  }
  var hourFmt = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  var fullParts = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });
  function full(v) {  // dd/mm/yyyy HH:MM
    var p = {};
    fullParts.formatToParts(v).forEach(function (x) { p[x.type] = x.value; });
    return p.day + "/" + p.month + "/" + p.year + " " + p.hour + ":" + p.minute;
  }
  var colours = { mean: "#0b5cad", max: "#8fb3dc", forecast: "#6a3d9a", station: "#b42318", crops: "#c46a00" };

  function xy(points, index) {
    return points.map(function (p) { return { x: p[0], y: p[index] }; });
  }
  var last = d.forecast.length ? d.forecast[d.forecast.length - 1][0] : d.end;
  var right = Math.max(d.end, last);
  var datasets = [
    { label: d.labels.mean, data: xy(d.points, 1), borderColor: colours.mean, backgroundColor: colours.mean,
      borderWidth: 2, pointRadius: d.points.length < 60 ? 2 : 0, spanGaps: false, order: 1 }
  ];
  if (d.every) {
    datasets.push({ label: d.labels.max, data: xy(d.points, 2), borderColor: colours.max, backgroundColor: colours.max,
      borderWidth: 1, pointRadius: 0, spanGaps: false, order: 2 });
  }
  if (d.forecast.length) {
    // the band: its low edge (no legend entry), then the high edge filled down to it
    datasets.push({ label: "low", data: xy(d.forecast, 2), borderWidth: 0, pointRadius: 0, fill: false, order: 4 });
    datasets.push({ label: d.labels.band, data: xy(d.forecast, 3), borderWidth: 0, pointRadius: 0,
      backgroundColor: "rgba(106, 61, 154, 0.15)", fill: "-1", order: 4 });
    datasets.push({ label: d.labels.forecast, data: xy(d.forecast, 1), borderColor: colours.forecast,
      backgroundColor: colours.forecast, borderDash: [6, 4], borderWidth: 2, pointRadius: 0, order: 3 });
  }
  d.thresholds.forEach(function (t) {
    datasets.push({ label: d.labels[t.kind] + " " + fmt.format(t.value) + " " + d.uom,
      data: [{ x: d.start, y: t.value }, { x: right, y: t.value }], borderColor: colours[t.kind],
      backgroundColor: colours[t.kind], borderDash: t.effective ? [] : [3, 3], borderWidth: t.effective ? 2 : 1,
      pointRadius: 0, order: 0 });
  });

  // a thin line at "now", between what was measured and what is forecast
  var nowLine = {
    id: "now",
    afterDatasetsDraw: function (chart) {
      if (!d.forecast.length) return;
      var x = chart.scales.x.getPixelForValue(d.end), area = chart.chartArea, ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = "#5b6675"; ctx.setLineDash([2, 3]);
      ctx.beginPath(); ctx.moveTo(x, area.top); ctx.lineTo(x, area.bottom); ctx.stroke();
      ctx.restore();
    }
  };
  var span = right - d.start;
  // ticks at round times of Việt Nam (+07:00 all year): every 6 hours on a few days, every day
  // on a week or so, the 1st and 15th of each month on the season
  var HOUR = 3600000, OFFSET = 7 * HOUR;
  function roundTicks(min, max) {
    var ticks = [];
    if (span > 20 * 24 * HOUR) {
      var at = new Date(min + OFFSET);
      var y = at.getUTCFullYear(), m = at.getUTCMonth();
      for (var k = 0; k < 24; k++) {
        [1, 15].forEach(function (dd) {
          var t = Date.UTC(y, m + k, dd) - OFFSET;
          if (t >= min && t <= max) ticks.push({ value: t });
        });
      }
      return ticks;
    }
    var step = span <= 4 * 24 * HOUR ? 6 * HOUR : 24 * HOUR;
    for (var t = Math.ceil((min + OFFSET) / step) * step - OFFSET; t <= max; t += step) ticks.push({ value: t });
    return ticks;
  }
  el.chart = new Chart(el, {
    type: "line",
    data: { datasets: datasets },
    plugins: [nowLine],
    options: {
      responsive: true, maintainAspectRatio: false, animation: false, parsing: false, normalized: true,
      interaction: { mode: "nearest", axis: "x", intersect: false },
      scales: {
        x: { type: "linear", min: d.start, max: right,
          afterBuildTicks: function (axis) { axis.ticks = roundTicks(axis.min, axis.max); },
          ticks: { autoSkip: true, maxRotation: 0, callback: function (v) {
            return span <= 4 * 86400000 ? [hourFmt.format(v), dayOf(v)] : dayOf(v);
          } } },
        // the highest threshold inside the chart, not on its edge
        y: { beginAtZero: true, suggestedMax: 1.15 * Math.max.apply(null, d.thresholds.map(function (t) { return t.value; }).concat([0])),
          title: { display: !!d.uom, text: d.uom },
          ticks: { callback: function (v) { return fmt.format(v); } } }
      },
      plugins: {
        legend: { labels: { filter: function (item) { return item.text !== "low"; } } },
        tooltip: { callbacks: {
          title: function (items) { return items.length ? full(items[0].parsed.x) : ""; },
          label: function (c) {
            if (c.dataset.label === "low") return null;
            return c.dataset.label + ": " + fmt.format(c.parsed.y) + " " + d.uom;
          }
        } }
      }
    }
  });
  el.dataset.drawn = String(d.points.length);
})();
