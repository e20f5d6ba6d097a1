// The report form: the share a numerator and a denominator make, shown as they are typed.
(function () {
  "use strict";
  function number(text) {
    var plain = (text || "").replace(/[\s\u00a0]/g, "");
    if (plain.indexOf(",") >= 0 && plain.indexOf(".") < 0) plain = plain.replace(",", ".");
    return plain === "" ? NaN : Number(plain);
  }
  function update(row) {
    var out = row.querySelector("output.share");
    var num = row.querySelector("input[data-numerator]");
    var den = row.querySelector("input[data-denominator]");
    if (!out || !num || !den) return;
    var n = number(num.value), d = number(den.value);
    if (!isFinite(n) || !isFinite(d) || d === 0) { out.textContent = "—"; return; }
    var share = n / d * Number(out.dataset.factor || 1);
    var locale = out.dataset.lang === "vi" ? "vi-VN" : "en-GB";
    var text = share.toLocaleString(locale, { maximumFractionDigits: 2 });
    out.textContent = text + (out.dataset.uom ? " " + out.dataset.uom : "");
  }
  document.querySelectorAll("fieldset.report-row").forEach(function (row) {
    row.addEventListener("input", function () { update(row); });
    update(row);
  });
})();
