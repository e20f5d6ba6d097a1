// What the pages' scripts share: ``ioc57.say`` fills a translated message's %(name)s, ``ioc57.node``
// makes an element (attributes, text, children) without writing HTML, ``ioc57.time`` writes a
// time as every page does (dd/mm/yyyy HH:MM, Việt Nam's time). Loaded before any page's script.
(function () {
  "use strict";
  var when = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });

  function say(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key] == null ? "" : values[key]; });
  }
  function node(tag, attrs, children) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") n.textContent = attrs[k];
      else if (k === "className") n.className = attrs[k];
      else n.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) n.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return n;
  }
  function time(iso) {
    if (!iso) return "—";
    var p = {};
    when.formatToParts(new Date(iso)).forEach(function (x) { p[x.type] = x.value; });
    return p.day + "/" + p.month + "/" + p.year + " " + p.hour + ":" + p.minute;
  }
  window.ioc57 = { say: say, node: node, time: time };
})();
