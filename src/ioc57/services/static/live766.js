// What the live pages of the services module share: listen to the gate's batches on the event
// stream and, on one of the record types that matter, read again (``read`` gives a promise of what
// to show, or null) and ``show`` it. The stream gives a person with a unit only the events of its
// subtree; at most one read runs at a time, and events that arrive meanwhile are folded into one
// more read. ``root.dataset.live`` says the stream is open (the browser tests wait for it).
(function () {
  "use strict";
  window.ioc57Live = function (root, types, read, show) {
    var busy = false, again = false;
    function refresh() {
      if (busy) { again = true; return; }
      busy = true;
      read()
        .then(function (fresh) { if (fresh) show(fresh); })
        .catch(function () {})
        .then(function () {
          busy = false;
          if (again) { again = false; refresh(); }
        });
    }
    var stream = new EventSource("/api/v1/stream?types=ingest.batch");
    stream.addEventListener("open", function () { root.dataset.live = "1"; });
    stream.addEventListener("ingest.batch", function (event) {
      if (types.indexOf(JSON.parse(event.data).record_type) >= 0) refresh();
    });
    stream.addEventListener("stream.gap", refresh);
    stream.addEventListener("stream.end", function () { stream.close(); });
  };
})();
