/* The outbox of visits saved on the phone (IndexedDB), shared by the pages (pwa.js,
   visit_form.js) and the service worker (sw.js, Background Sync). One record per form,
   keyed by the form's client key: sending it twice gives one visit on the server (the
   server answers with the visit already saved under that key).

   Record: {key, user, url, body (the form, url-encoded, without the CSRF token), label,
            queuedAt, status: "pending" | "refused", errors}
   send() answers one of: saved, requested (补记 request), invalid (the server refused the
   content), login (the session is gone), other (someone else is logged in: the record
   waits for its owner), retry (no network, a timeout, a server error). */
(function (root) {
  "use strict";
  var DB = "zhucun-outbox", STORE = "visits", VERSION = 1;
  var TIMEOUT_MS = 15000;

  function open() {
    return new Promise(function (resolve, reject) {
      var req = root.indexedDB.open(DB, VERSION);
      req.onupgradeneeded = function () {
        if (!req.result.objectStoreNames.contains(STORE)) {
          req.result.createObjectStore(STORE, { keyPath: "key" });
        }
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function run(mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = fn(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function put(item) { return run("readwrite", function (s) { s.put(item); }); }
  function remove(key) { return run("readwrite", function (s) { s.delete(key); }); }
  function clear() { return run("readwrite", function (s) { s.clear(); }); }
  function all() {
    return run("readonly", function (s) { return s.getAll(); }).then(function (rows) {
      return (rows || []).sort(function (a, b) { return (a.queuedAt || "") < (b.queuedAt || "") ? -1 : 1; });
    });
  }
  function mine(user) {
    return all().then(function (rows) {
      // null: every user's (the service worker; the server refuses a record of another
      // user than the one logged in, so it stays for its owner).
      return user == null ? rows : rows.filter(function (r) { return String(r.user) === String(user); });
    });
  }

  function cookieToken() {
    if (typeof document === "undefined") { return Promise.resolve(""); }
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return Promise.resolve(m ? decodeURIComponent(m[1]) : "");
  }
  /* In the service worker there is no document.cookie: the CookieStore API where the
     browser has it, else the token of a freshly loaded form. */
  function workerToken(formUrl) {
    var store = root.cookieStore;
    var viaStore = store ? store.get("csrftoken").then(function (c) { return c ? c.value : ""; })
      .catch(function () { return ""; }) : Promise.resolve("");
    return viaStore.then(function (value) {
      if (value || !formUrl) { return value; }
      return root.fetch(formUrl, { credentials: "same-origin" }).then(function (r) { return r.text(); })
        .then(function (html) {
          var m = html.match(/name="csrfmiddlewaretoken" value="([^"]+)"/);
          return m ? m[1] : "";
        }).catch(function () { return ""; });
    });
  }

  function send(item, token) {
    var controller = typeof AbortController !== "undefined" ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    var body = item.body + "&csrfmiddlewaretoken=" + encodeURIComponent(token || "") +
      "&outbox_user=" + encodeURIComponent(item.user);
    return root.fetch(item.url, {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
                 "X-CSRFToken": token || "" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (timer) { clearTimeout(timer); }
      if (response.type === "opaqueredirect" || response.status === 302) { return { status: "login" }; }
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") !== -1;
      if (!json) { return { status: "retry", code: response.status }; }
      return response.json().then(function (data) {
        if (data.status === "saved" || data.status === "requested" || data.status === "invalid") {
          return data;
        }
        if (data.status === "other_user") { return { status: "other" }; }
        return { status: "retry", code: response.status };
      });
    }, function () {
      if (timer) { clearTimeout(timer); }
      return { status: "retry" };
    });
  }

  /* Send every pending record of ``user``; a saved or requested one leaves the outbox, a
     refused one stays with its errors (the form page turns it back into a draft). */
  function flushNow(user, getToken) {
    return mine(user).then(function (rows) {
      var pending = rows.filter(function (r) { return r.status !== "refused"; });
      var report = { sent: [], refused: [], login: false, remaining: 0 };
      if (!pending.length) { return report; }
      return getToken().then(function (token) {
        var chain = Promise.resolve();
        pending.forEach(function (item) {
          chain = chain.then(function () {
            if (report.login) { report.remaining++; return; }
            return send(item, token).then(function (result) {
              if (result.status === "saved" || result.status === "requested") {
                report.sent.push({ key: item.key, url: result.url, label: item.label });
                return remove(item.key);
              }
              if (result.status === "invalid") {
                item.status = "refused";
                item.errors = result.errors || {};
                report.refused.push(item);
                return put(item);
              }
              if (result.status === "login") { report.login = true; }
              report.remaining++;
            });
          });
        });
        return chain.then(function () { return report; });
      });
    });
  }
  /* One sender at a time across the pages and the service worker (Web Locks where the
     browser has them; the server's key makes a double send harmless anyway). */
  function flush(user, getToken) {
    var locks = root.navigator && root.navigator.locks;
    if (locks && locks.request) {
      return locks.request("zhucun-outbox", function () { return flushNow(user, getToken); });
    }
    return flushNow(user, getToken);
  }

  root.NightOutbox = {
    put: put, remove: remove, clear: clear, all: all, mine: mine, send: send, flush: flush,
    cookieToken: cookieToken, workerToken: workerToken
  };
})(typeof self !== "undefined" ? self : window);
