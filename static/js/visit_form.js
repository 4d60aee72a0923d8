/* The visit form (记一户), offline first.
   - Each form has its own client key (a UUID made here; the server's value only serves a
     browser without JavaScript). A form shown again after the server refused it keeps its
     key, so a reload or a second tap never makes a second visit.
   - Every keystroke is kept as this form's draft (localStorage, keyed by user and client
     key). Reopening 记一户 offers the other drafts of this phone (恢复草稿 / 丢弃).
   - 保存 puts the visit in the outbox (IndexedDB, outbox.js) first, then sends it. Saved:
     to the visit's page. No network, a timeout or an expired login: the page says
     "已保存在手机上，联网后自动提交", shows the count and opens a fresh form; pwa.js and the
     service worker send it later. Refused by the server: the form is submitted normally so
     the server shows its errors.
   - A visit's page (data-visit-saved) forgets that key's draft and outbox record. */
(function () {
  "use strict";
  var PWA = window.ZhucunPWA, Outbox = window.NightOutbox;
  var user = PWA && PWA.config.user;
  if (!user) { return; }
  var PREFIX = "nightlog-draft:" + user + ":visit:";
  var store;
  try { store = window.localStorage; } catch (e) { store = null; }

  document.querySelectorAll("[data-visit-saved]").forEach(function (el) {
    var key = el.getAttribute("data-visit-saved");
    if (store) { store.removeItem(PREFIX + key); }
    if (Outbox && window.indexedDB) { Outbox.remove(key).then(function () { PWA.refresh(); }).catch(function () {}); }
  });

  /* A correction form (修改走访记录): its draft is keyed by its URL. */
  var editForm = document.querySelector("form[data-draft-url]");
  if (editForm && store) {
    var editKey = "nightlog-draft:" + user + ":url:" + editForm.getAttribute("data-draft-url");
    var editFields = function () {
      return Array.prototype.filter.call(editForm.elements, function (el) {
        return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit";
      });
    };
    var editData = function () {
      var data = {};
      editFields().forEach(function (el) { data[el.name] = el.type === "checkbox" ? el.checked : el.value; });
      return data;
    };
    var original = JSON.stringify(editData());
    var kept = null;
    try { kept = JSON.parse(store.getItem(editKey) || "null"); } catch (e) { kept = null; }
    var editBanner = document.getElementById("draft-banner");
    if (kept && kept.data && JSON.stringify(kept.data) !== original && editBanner) {
      editBanner.classList.remove("d-none");
      editBanner.querySelector("[data-action=restore]").addEventListener("click", function () {
        editFields().forEach(function (el) {
          if (el.name in kept.data) {
            if (el.type === "checkbox") { el.checked = !!kept.data[el.name]; } else { el.value = kept.data[el.name]; }
          }
        });
        editBanner.classList.add("d-none");
      });
      editBanner.querySelector("[data-action=discard]").addEventListener("click", function () {
        store.removeItem(editKey);
        editBanner.classList.add("d-none");
      });
    }
    var keepEdit = function () {
      var data = editData();
      if (JSON.stringify(data) === original) { store.removeItem(editKey); return; }
      store.setItem(editKey, JSON.stringify({ savedAt: new Date().toISOString(), data: data, hasContent: true }));
    };
    editForm.addEventListener("input", keepEdit);
    editForm.addEventListener("change", keepEdit);
  }
  document.querySelectorAll("[data-clear-draft-url]").forEach(function (el) {
    if (store) { store.removeItem("nightlog-draft:" + user + ":url:" + el.getAttribute("data-clear-draft-url")); }
  });

  var form = document.getElementById("visit-form");
  if (!form) { return; }
  var texts = document.getElementById("visit-form-text").dataset;
  var keyInput = form.elements.client_key;
  var household = form.elements.household;
  var search = document.getElementById("household-search");
  var statusBox = document.getElementById("outbox-status");
  var banner = document.getElementById("draft-banner");
  var TEXT_FIELDS = ["companions", "situation", "requests", "suggestions", "problem_summary", "late_reason"];
  var SKIP = { csrfmiddlewaretoken: true, client_key: true };

  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) { return String(values[k]); });
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function localNow() {
    var d = new Date(), p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "T" + p(d.getHours()) + ":" + p(d.getMinutes());
  }
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !SKIP[el.name] && el.type !== "submit";
    });
  }
  function collect() {
    var data = {};
    fields().forEach(function (el) { data[el.name] = el.type === "checkbox" ? el.checked : el.value; });
    return data;
  }
  function hasContent(data) {
    return ["situation", "requests", "suggestions", "problem_summary"].some(function (n) {
      return data[n] && String(data[n]).trim();
    });
  }
  function label(data) {
    var opt = Array.prototype.filter.call(household.options, function (o) { return o.value === String(data.household || ""); })[0];
    var name = opt ? opt.text.replace(/^★\s*/, "") : "";
    var words = String(data.situation || data.requests || data.suggestions || "").slice(0, 20);
    return (name ? name + " · " : "") + words;
  }
  function showAll() {
    Array.prototype.forEach.call(household.options, function (o) { o.hidden = false; o.disabled = false; });
  }
  function fill(data) {
    showAll();
    fields().forEach(function (el) {
      if (!(el.name in data)) { return; }
      if (el.type === "checkbox") { el.checked = !!data[el.name]; el.dispatchEvent(new Event("change")); }
      else { el.value = data[el.name]; }
    });
  }

  /* Drafts: one per form. */
  function draftKey(key) { return PREFIX + key; }
  function saveDraft() {
    if (!store) { return; }
    var data = collect();
    if (hasContent(data)) {
      store.setItem(draftKey(keyInput.value), JSON.stringify({
        key: keyInput.value, savedAt: new Date().toISOString(), data: data, label: label(data),
        hasContent: true }));
    } else {
      store.removeItem(draftKey(keyInput.value));
    }
  }
  function allDrafts() {
    var rows = [];
    if (!store) { return rows; }
    for (var i = 0; i < store.length; i++) {
      var k = store.key(i);
      if (k && k.indexOf(PREFIX) === 0) {
        try { rows.push(JSON.parse(store.getItem(k))); } catch (e) { /* ignore */ }
      }
    }
    return rows.filter(function (d) { return d && d.key && d.data; });
  }

  function showStatus(kind, lines) {
    statusBox.className = "alert alert-" + kind;
    statusBox.textContent = "";
    lines.forEach(function (line) {
      var div = document.createElement("div");
      div.textContent = line;
      statusBox.appendChild(div);
    });
  }

  var outboxKeys = {};
  var loginExpired = false;
  function renderDrafts() {
    var list = document.getElementById("draft-list");
    var row = document.getElementById("draft-row");
    list.textContent = "";
    var shown = allDrafts().filter(function (d) {
      return d.key !== keyInput.value && !outboxKeys[d.key];
    });
    shown.forEach(function (d) {
      var li = row.content.firstElementChild.cloneNode(true);
      li.querySelector("[data-part=label]").textContent = d.label || "";
      li.querySelector("[data-part=when]").textContent = texts.savedAt + " " + new Date(d.savedAt).toLocaleString();
      li.querySelector("[data-part=error]").textContent = d.error ? texts.refused + " " + d.error : "";
      li.querySelector("[data-action=restore]").addEventListener("click", function () {
        keyInput.value = d.key;
        fill(d.data);
        renderDrafts();
      });
      li.querySelector("[data-action=discard]").addEventListener("click", function () {
        store.removeItem(draftKey(d.key));
        renderDrafts();
      });
      list.appendChild(li);
    });
    banner.classList.toggle("d-none", shown.length === 0);
  }

  /* The outbox's state on this page: count, and refused records turned back into drafts. */
  PWA.onChange(function (rows, extra) {
    outboxKeys = {};
    var pending = 0, jobs = [];
    rows.forEach(function (r) {
      if (r.status === "refused") {
        var data = {};
        new URLSearchParams(r.body).forEach(function (v, k) { data[k] = v; });
        fields().forEach(function (el) { if (el.type === "checkbox") { data[el.name] = data[el.name] === "on"; } });
        var error = Object.keys(r.errors || {}).map(function (k) { return (r.errors[k] || []).join(" "); }).join(" ");
        if (store) {
          store.setItem(draftKey(r.key), JSON.stringify({ key: r.key, savedAt: r.queuedAt, data: data,
            label: r.label, hasContent: true, error: error }));
        }
        jobs.push(Outbox.remove(r.key));
      } else {
        outboxKeys[r.key] = true;
        pending++;
      }
    });
    var sent = extra.report && extra.report.sent && extra.report.sent.length;
    if (pending) {
      var lines = [texts.queued, fmt(texts.count, { n: pending })];
      if (loginExpired || (extra.report && extra.report.login)) { lines.push(texts.login); }
      showStatus("info", lines);
      statusBox.querySelector("div:nth-child(2)").setAttribute("data-testid", "outbox-count");
    } else if (sent) {
      showStatus("success", [texts.sent]);
    } else {
      statusBox.classList.add("d-none");
    }
    Promise.all(jobs).then(renderDrafts, renderDrafts);
  });

  function freshForm() {
    keyInput.value = newKey();
    TEXT_FIELDS.forEach(function (n) { if (form.elements[n]) { form.elements[n].value = ""; } });
    if (form.elements.needs_follow_up) {
      form.elements.needs_follow_up.checked = false;
      form.elements.needs_follow_up.dispatchEvent(new Event("change"));
    }
    if (form.elements.problem_due_date) { form.elements.problem_due_date.value = ""; }
    form.elements.visited_at.value = localNow();
    search.value = "";
    showAll();
    household.selectedIndex = -1;
    form.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
    form.querySelectorAll(".invalid-feedback, [data-testid=form-errors]").forEach(function (el) { el.remove(); });
  }

  function nativeSubmit() {
    HTMLFormElement.prototype.submit.call(form);
  }

  var sending = false;
  form.addEventListener("submit", function (event) {
    if (!Outbox || !window.indexedDB) { saveDraft(); return; }  // a plain submit
    event.preventDefault();
    if (sending) { return; }  // a double tap sends once (and the key would make it one anyway)
    var data = collect();
    if (!household.value || !hasContent(data)) {
      if (navigator.onLine) { nativeSubmit(); return; }  // the server names what is missing
      showStatus("danger", [texts.incomplete]);
      return;
    }
    saveDraft();
    var params = new URLSearchParams(new FormData(form));
    params.delete("csrfmiddlewaretoken");
    var item = { key: keyInput.value, user: user, url: form.getAttribute("action") || location.pathname,
                 body: params.toString(), label: label(data), queuedAt: new Date().toISOString(),
                 status: "pending" };
    sending = true;
    Outbox.put(item).then(function () {
      if (!navigator.onLine) { return { status: "retry" }; }
      return Outbox.cookieToken().then(function (token) { return Outbox.send(item, token); });
    }, function () {
      nativeSubmit();  // no IndexedDB after all: the browser sends it as a plain form
      return null;
    }).then(function (result) {
      sending = false;
      if (!result) { return; }
      if (result.status === "saved" || result.status === "requested") {
        if (store) { store.removeItem(draftKey(item.key)); }
        return Outbox.remove(item.key).then(function () { location.assign(result.url); });
      }
      if (result.status === "invalid") {
        return Outbox.remove(item.key).then(nativeSubmit);
      }
      // No network, a timeout, a server error or an expired login: it waits on the phone.
      loginExpired = result.status === "login";
      if (store) { store.removeItem(draftKey(item.key)); }
      freshForm();
      PWA.requestSync();
      window.scrollTo(0, 0);
      return PWA.refresh();
    });
  });

  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);

  // A new form gets a new key; a form the server sent back keeps the key it was sent with.
  if (form.getAttribute("data-bound") !== "1" || !keyInput.value) {
    keyInput.value = newKey();
    var rendered = Date.parse(form.getAttribute("data-rendered-at") || "");
    if (!rendered || Date.now() - rendered > 2 * 60 * 1000) {
      form.elements.visited_at.value = localNow();  // a page kept on the phone: now, not then
    }
    var wanted = new URLSearchParams(location.search).get("household");
    if (wanted && !household.value) { household.value = wanted; }
  } else {
    saveDraft();
  }
  renderDrafts();
  PWA.refresh();
})();
