/* Every page: registers the service worker (served from the root, /sw.js), keeps the
   cadre's pages warm in its cache, shows how many visits wait on the phone and sends them
   when the network returns (the `online` event, each page load, every 20 s while some
   wait, and Background Sync in the service worker). At logout it sends what it can, warns
   about what would be lost, and clears the outbox, the drafts and the kept pages.
   Configuration: the json_script "pwa-config" (tongxiang/pwa.py). */
(function () {
  "use strict";
  var el = document.getElementById("pwa-config");
  var config = el ? JSON.parse(el.textContent) : { user: null, warm: [] };
  var Outbox = window.NightOutbox;
  var DRAFTS = "nightlog-draft:";
  var PAGE_CACHE = "zhucun-pages";
  var RETRY_MS = 20000;
  var hasIDB = !!(window.indexedDB && Outbox);

  var api = window.ZhucunPWA = {
    config: config,
    listeners: [],
    onChange: function (fn) { api.listeners.push(fn); },
    refresh: refresh,
    flush: flush,
    requestSync: requestSync,
    clearLocal: clearLocal
  };

  var text = config.text || {};
  function t(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (m, k) { return String(values[k]); });
  }

  /* The number of visits waiting on the phone: the badge in the navigation bar. */
  function refresh(extra) {
    if (!hasIDB || !config.user) { return Promise.resolve([]); }
    return Outbox.mine(config.user).then(function (rows) {
      var pending = rows.filter(function (r) { return r.status !== "refused"; });
      var badge = document.getElementById("outbox-badge");
      if (badge) {
        badge.textContent = t(text.badge, { n: pending.length });
        badge.classList.toggle("d-none", pending.length === 0);
      }
      api.listeners.forEach(function (fn) { fn(rows, extra || {}); });
      return rows;
    }).catch(function () { return []; });
  }

  var running = null;
  function flush() {
    if (!hasIDB || !config.user) { return Promise.resolve(null); }
    if (running) { return running; }
    running = Outbox.flush(config.user, Outbox.cookieToken).then(function (report) {
      running = null;
      return refresh({ report: report }).then(function () { return report; });
    }, function () { running = null; return null; });
    return running;
  }

  function requestSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync && reg.sync.register) { return reg.sync.register("visit-outbox"); }
    }).catch(function () {});
  }

  function warm(force) {
    if (!("serviceWorker" in navigator) || !config.warm || !config.warm.length) { return; }
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.active) { reg.active.postMessage({ type: "warm", urls: config.warm, force: !!force }); }
    });
  }

  function drafts() {
    var keys = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var k = localStorage.key(i);
        if (k && k.indexOf(DRAFTS) === 0) { keys.push(k); }
      }
    } catch (e) { /* no storage */ }
    return keys;
  }

  /* Forget everything this phone keeps for the person: outbox, drafts, kept pages. */
  function clearLocal() {
    drafts().forEach(function (k) { localStorage.removeItem(k); });
    var jobs = [];
    if (hasIDB) { jobs.push(Outbox.clear().catch(function () {})); }
    if (window.caches) { jobs.push(caches.delete(PAGE_CACHE).catch(function () {})); }
    if ("serviceWorker" in navigator && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "forget" });
    }
    return Promise.all(jobs);
  }

  function withTimeout(promise, ms) {
    return Promise.race([promise, new Promise(function (resolve) { setTimeout(resolve, ms); })]);
  }

  /* Logout: send first; whatever is still on the phone is named before it is deleted. */
  function guardLogout(form) {
    var confirmed = false;
    form.addEventListener("submit", function (event) {
      if (confirmed) { return; }
      event.preventDefault();
      var send = navigator.onLine ? withTimeout(flush(), 8000) : Promise.resolve();
      send.then(function () {
        return hasIDB ? Outbox.mine(config.user).catch(function () { return []; }) : [];
      }).then(function (rows) {
        var texts = drafts().filter(function (k) {
          try { return !!JSON.parse(localStorage.getItem(k)).hasContent; } catch (e) { return false; }
        });
        var waiting = (rows || []).length;
        var keys = {};
        (rows || []).forEach(function (r) { keys[r.key] = true; });
        var loose = texts.filter(function (k) { return !keys[k.split(":").pop()]; }).length;
        if (waiting || loose) {
          if (!window.confirm(t(text.logoutWarning, { n: waiting, drafts: loose }))) { return; }
        }
        return clearLocal().then(function () {
          confirmed = true;
          form.submit();
        });
      });
    });
  }

  // 打印 buttons (no inline handlers: a Content-Security-Policy is coming).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  if ("serviceWorker" in navigator && window.isSecureContext !== false) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "outbox-changed") { refresh({ report: { sent: new Array(data.sent || 0) } }); }
    });
  }

  if (!config.user) {
    // The login page: nobody is logged in, so no page of anybody stays on the phone.
    if (navigator.onLine && window.caches) { caches.delete(PAGE_CACHE).catch(function () {}); }
    return;
  }

  document.querySelectorAll("form[action$='/accounts/logout/']").forEach(guardLogout);
  window.addEventListener("online", function () { flush(); });
  window.addEventListener("pageshow", function () { refresh(); });
  setInterval(function () {
    if (!navigator.onLine) { return; }
    refresh().then(function (rows) {
      if (rows.some(function (r) { return r.status !== "refused"; })) { flush(); }
    });
  }, RETRY_MS);
  refresh().then(function () { if (navigator.onLine) { flush(); } });
  if (navigator.onLine) { warm(false); }
})();
