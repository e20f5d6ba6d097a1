// The staff desk's forms (the call taken on hotline 1022, a report's steps, the routes): each
// posts JSON to the API with the session's CSRF header; a refusal (problem+json) is written beside
// the field it names, in the page's language (the page gives the words), with the API's own words
// after it; a success shows the tracking code, opens the report again, or says it is saved. The
// report's page also reads its suggested routing, and shows nothing when there is none.
// Every value goes into the page as text, never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("desk");
  var wordsNode = document.getElementById("desk-words");
  if (!root || !wordsNode || !window.fetch) return;
  var words = JSON.parse(wordsNode.textContent);
  var csrf = root.dataset.csrf;

  function say(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key] == null ? "" : values[key]; });
  }

  // the form's fields as the API's JSON: "contact.phone" nests, empty values are left out (or
  // sent as null where the form says so: a route removed)
  function body(form) {
    var out = {}, nulls = form.dataset.empty === "null";
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "submit") return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      var value = el.value.trim();
      if (value === "" && !nulls) return;
      var path = el.name.split("."), at = out;
      for (var i = 0; i < path.length - 1; i++) at = at[path[i]] = at[path[i]] || {};
      at[path[path.length - 1]] = value === "" ? null : value;
    });
    return out;
  }

  function clear(form) {
    form.querySelectorAll("[data-error-for]").forEach(function (p) { p.hidden = true; p.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid"); el.removeAttribute("aria-describedby");
    });
    var top = form.querySelector(".form-error");
    if (top) { top.hidden = true; top.textContent = ""; }
  }

  function general(form, text) {
    var top = form.querySelector(".form-error");
    if (top) { top.textContent = text; top.hidden = false; }
  }

  // the field a refusal names: its loc without "body"/"query", joined by dots
  function fieldOf(error) {
    var loc = (error.loc || []).map(String).filter(function (p) { return p !== "body" && p !== "query"; });
    return loc.join(".");
  }

  function hintFor(name) {
    return words.hints[name] || words.hints[name.split(".")[0]] || "";
  }

  // the fields the form marks required and left empty, refused before anything is sent
  function missing(form) {
    var errors = [];
    form.querySelectorAll("[required]").forEach(function (el) {
      if (!el.value.trim()) errors.push({ loc: el.name.split("."), msg: "required" });
    });
    return errors;
  }

  function showErrors(form, problem, status) {
    var placed = 0;
    (problem.errors || []).forEach(function (e) {
      var name = fieldOf(e);
      if (status === 409) name = "step";
      var slot = form.querySelector('[data-error-for="' + name + '"]');
      if (!slot) return;
      slot.textContent = "";
      slot.appendChild(document.createTextNode(hintFor(name) + " "));
      var said = document.createElement("span");
      said.className = "muted"; said.lang = "en"; said.textContent = "(" + (e.msg || "") + ")";
      slot.appendChild(said);
      slot.hidden = false;
      var input = form.querySelector('[name="' + name + '"]');
      if (input) { input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", slot.id); }
      placed += 1;
    });
    general(form, placed ? words.fields : say(words.failed, { why: problem.detail || problem.title || status }));
  }

  // the queue read again (the report just filed joins it), its filters kept
  function refreshQueue() {
    var table = document.getElementById("queue");
    if (!table || !window.DOMParser) return;
    fetch(window.location.href, { credentials: "same-origin", headers: { accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        var fresh = html && new DOMParser().parseFromString(html, "text/html").getElementById("queue");
        if (fresh) table.replaceWith(fresh);
      })
      .catch(function () {});
  }

  var done = {
    call: function (form, answer) {
      var box = document.getElementById("taken");
      document.getElementById("tracking-code").textContent = answer.tracking;
      var a = document.getElementById("taken-link");
      a.textContent = answer.id;
      a.href = "/feedback/" + encodeURIComponent(answer.id) + "?done=taken";
      box.hidden = false;
      form.reset();
      box.scrollIntoView({ block: "nearest" });
      refreshQueue();
    },
    step: function (form) { window.location.assign(form.dataset.next); },
    routes: function (form) {
      var saved = form.querySelector(".saved");
      if (saved) saved.hidden = false;
    }
  };

  function submit(event) {
    var form = event.target;
    event.preventDefault();
    clear(form);
    var empty = missing(form);
    if (empty.length) { showErrors(form, { errors: empty }, 422); return; }
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    var saved = form.querySelector(".saved");
    if (saved) saved.hidden = true;
    fetch(form.dataset.api, {
      method: form.dataset.method || "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body(form))
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (answer) {
        if (r.ok) done[form.dataset.kind](form, answer);
        else showErrors(form, answer, r.status);
      });
    }).catch(function () { general(form, words.offline); })
      .then(function () { button.disabled = false; });
  }

  document.querySelectorAll("form.desk-form").forEach(function (form) {
    form.addEventListener("submit", submit);
  });

  // -- the suggested routing of a report (nothing shows when there is none) --------------------
  var box = document.getElementById("suggestion");
  if (!box) return;
  var names = JSON.parse((document.getElementById("desk-names") || {}).textContent || "{}");
  fetch(box.dataset.url, { credentials: "same-origin", headers: { accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (s) {
      if (!s || (!s.category && !s.agency)) return;
      var cats = names.categories || {};
      var agency = document.querySelector('#step-forward select[name="agency"] option[value="' + (s.agency || "") + '"]');
      box.querySelector('[data-suggested="category"]').textContent = s.category ? (cats[s.category] || s.category) : "—";
      box.querySelector('[data-suggested="agency"]').textContent = agency ? agency.textContent : (s.agency || "—");
      box.querySelector('[data-suggested="confidence"]').textContent =
        typeof s.confidence === "number" ? "(" + Math.round(s.confidence * 100) + " %)" : "";
      box.querySelector('[data-suggested="because"]').textContent = (s.because || []).map(function (w) {
        return "«" + (typeof w === "string" ? w : (w.ngram || w.text || w[0] || "")) + "»";
      }).join(", ") || "—";
      box.hidden = false;
      var use = document.getElementById("use-suggestion");
      if (use) use.addEventListener("click", function () {
        var form = document.querySelector("#step-forward form");
        if (!form) return;
        if (s.agency && agency) form.elements.agency.value = s.agency;
        if (s.category && cats[s.category]) form.elements.category.value = s.category;
        document.getElementById("step-forward").open = true;
        form.elements.agency.focus();
      });
    })
    .catch(function () {});
})();
