// The import page: the record types a source sends are the only ones offered with it, and the
// columns and example files shown are those of the chosen type for the chosen source.
(function () {
  "use strict";
  var source = document.getElementById("import-source");
  var type = document.getElementById("import-type");
  if (!source || !type) return;

  function sent() {
    var option = source.options[source.selectedIndex];
    return option ? (option.getAttribute("data-types") || "").split(" ") : [];
  }

  function fit() {
    var types = sent();
    var first = null;
    Array.prototype.forEach.call(type.options, function (option) {
      var ok = types.indexOf(option.value) >= 0;
      option.disabled = !ok;
      option.hidden = !ok;
      if (ok && first === null) first = option;
    });
    if (type.selectedOptions.length === 0 || type.selectedOptions[0].disabled) {
      if (first) first.selected = true;
    }
    show();
  }

  function show() {
    var name = encodeURIComponent(source.value);
    document.querySelectorAll(".type-columns").forEach(function (box) {
      var mine = box.getAttribute("data-type") === type.value;
      box.hidden = !mine;
      box.open = mine;
      box.querySelectorAll("a.example-csv, a.example-xlsx").forEach(function (link) {
        link.href = link.href.replace(/\?source=[^&#]*/, "?source=" + name);
      });
    });
  }

  source.addEventListener("change", fit);
  type.addEventListener("change", show);
  fit();
})();
