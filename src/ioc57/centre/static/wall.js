// The wall's own behaviour: the clock, the pages in turn (each for its `data-seconds`; `?page=N`
// pins one; no turning while the screen is hidden), the stale banner when the live stream drops
// (centre/live.js keeps <body data-live>), and the end of a display's session.
(function () {
  "use strict";
  var body = document.body;
  var pages = Array.prototype.slice.call(document.querySelectorAll(".wall-page"));
  var dots = Array.prototype.slice.call(document.querySelectorAll(".wall-dots li"));
  var title = document.getElementById("wall-title");
  var clock = document.getElementById("wall-clock");
  var stale = document.getElementById("wall-stale");
  var ended = document.getElementById("wall-ended");
  var state = (window.ioc57Wall = { page: 1, turns: 0 });
  var hhmm = new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "Asia/Ho_Chi_Minh"
  });

  function tick() {
    var now = new Date();
    clock.textContent = hhmm.format(now);
    clock.setAttribute("datetime", now.toISOString());
  }
  tick();
  setInterval(tick, 1000);

  // -- pages -------------------------------------------------------------------------------------
  var timer = null;
  function show(n) {
    state.page = n;
    pages.forEach(function (page, i) { page.hidden = i !== n - 1; });
    dots.forEach(function (dot, i) {
      if (i === n - 1) dot.setAttribute("aria-current", "page");
      else dot.removeAttribute("aria-current");
    });
    var page = pages[n - 1];
    if (page && page.dataset.title) title.textContent = page.dataset.title;
    document.dispatchEvent(new CustomEvent("wall:page", { detail: { page: n } }));
  }
  function schedule() {
    clearTimeout(timer);
    timer = null;
    if (body.dataset.pinned || pages.length < 2 || document.hidden) return;
    var seconds = Number(pages[state.page - 1].dataset.seconds) || 30;
    timer = setTimeout(function () {
      state.turns += 1;
      show((state.page % pages.length) + 1);
      schedule();
    }, seconds * 1000);
  }
  show(Number(body.dataset.pinned) || 1);
  schedule();
  document.addEventListener("visibilitychange", schedule);

  // -- live state --------------------------------------------------------------------------------
  var leaving = null;
  function onState() {
    var live = body.dataset.live;
    if (live === "stale") {
      var last = document.getElementById("last-updated");
      var at = last && last.getAttribute("datetime") ? new Date(last.getAttribute("datetime")) : new Date();
      stale.textContent = body.dataset.staleText.replace("{time}", hhmm.format(at));
    } else {
      stale.textContent = "";
    }
    if (live === "ended" && !leaving) {
      ended.hidden = false;
      leaving = setTimeout(function () { window.location.assign(body.dataset.connect); }, 5000);
    }
  }
  // a fragment or layer refused (the display's device revoked): the end, as stream.end is
  var fetched = window.fetch;
  if (fetched) {
    window.fetch = function (url) {
      return fetched.apply(window, arguments).then(function (r) {
        if (r.status === 401 && /^\/(centre|api\/v1\/centre)\//.test(String(url))) {
          var said = document.getElementById("live-status");
          if (window.ioc57Live) window.ioc57Live.state = "ended";
          body.dataset.live = "ended";
          if (said) said.textContent = said.dataset.ended || "";
        }
        return r;
      });
    };
  }
  new MutationObserver(onState).observe(body, { attributes: true, attributeFilter: ["data-live"] });
  onState();
})();
