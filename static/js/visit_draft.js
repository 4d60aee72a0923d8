/* Offline safety for the visit form: every keystroke is kept as a local draft in this
   browser (localStorage). After a failed submit or a reload the cadre can restore or
   resend it; the draft is cleared once the server has saved the visit. */
(function () {
  "use strict";
  var PREFIX = "nightlog-draft:";
  var store;
  try { store = window.localStorage; } catch (e) { store = null; }
  if (!store) { return; }

  // After signing out (the login page says so) every draft leaves this phone.
  if (document.querySelector("[data-clear-all-drafts]")) {
    for (var i = store.length - 1; i >= 0; i--) {
      var name = store.key(i);
      if (name && name.indexOf(PREFIX) === 0) { store.removeItem(name); }
    }
  }

  // A page that confirms a saved visit clears the drafts it names.
  document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
    store.removeItem(PREFIX + el.getAttribute("data-clear-draft"));
  });

  var form = document.querySelector("form[data-draft-key]");
  if (!form) { return; }
  var key = PREFIX + form.getAttribute("data-draft-key");
  var banner = document.getElementById("draft-banner");

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit";
    });
  }
  function collect() {
    var data = {};
    fields().forEach(function (el) {
      data[el.name] = (el.type === "checkbox") ? el.checked : el.value;
    });
    return data;
  }
  function hasContent(data) {
    return ["situation", "requests", "suggestions", "problem_summary"].some(function (n) {
      return data[n] && String(data[n]).trim();
    });
  }
  function save() {
    var data = collect();
    if (hasContent(data)) {
      store.setItem(key, JSON.stringify({ savedAt: new Date().toISOString(), data: data }));
    }
  }
  function load() {
    try { return JSON.parse(store.getItem(key) || "null"); } catch (e) { return null; }
  }
  function restore(draft) {
    fields().forEach(function (el) {
      if (!(el.name in draft.data)) { return; }
      if (el.type === "checkbox") {
        el.checked = !!draft.data[el.name];
        el.dispatchEvent(new Event("change"));
      }
      else {
        if (el.tagName === "SELECT") {
          Array.prototype.forEach.call(el.options, function (o) { o.hidden = false; o.disabled = false; });
        }
        el.value = draft.data[el.name];
      }
    });
  }

  var draft = load();
  var current = collect();
  // Offer the draft when it holds something the form does not show now.
  if (draft && draft.data && hasContent(draft.data) &&
      JSON.stringify(draft.data) !== JSON.stringify(current) && banner) {
    banner.classList.remove("d-none");
    document.getElementById("draft-restore").addEventListener("click", function () {
      restore(draft); banner.classList.add("d-none");
    });
    document.getElementById("draft-resend").addEventListener("click", function () {
      restore(draft); banner.classList.add("d-none"); form.requestSubmit ? form.requestSubmit() : form.submit();
    });
    document.getElementById("draft-discard").addEventListener("click", function () {
      store.removeItem(key); banner.classList.add("d-none");
    });
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", save);
})();
