/* The service worker, served from the site root by tongxiang/pwa.py, which puts
   self.PWA_CONFIG in front of this file: {version, static: [versioned URLs of the shell],
   outbox: URL of outbox.js, pages: [the cadre's pages], offline: URL, visitForm: URL}.

   - The shell (static files) is kept at install and answered from the cache.
   - Pages are asked from the network first; a cadre's pages (home, 我的住夜, 记一户, the
     night log) are kept when a cadre's page asks to warm them and refreshed after each
     load, and answered from the cache when the network fails or does not answer in 6 s.
   - Background Sync "visit-outbox" sends the visits saved on the phone (outbox.js). */
/* global PWA_CONFIG, NightOutbox */
"use strict";
var CONFIG = self.PWA_CONFIG;
importScripts(CONFIG.outbox);

var STATIC_CACHE = "zhucun-static-" + CONFIG.version;
var PAGE_CACHE = "zhucun-pages";
var NETWORK_WAIT_MS = 6000;
var WARM_EVERY_MS = 5 * 60 * 1000;
var lastWarm = 0;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) {
    return cache.addAll(CONFIG.static.concat([CONFIG.offline]));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("zhucun-static-") === 0 && n !== STATIC_CACHE;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function isKeptPage(url) {
  return CONFIG.pages.indexOf(url.pathname) !== -1;
}

/* Refresh a kept page after a load from the network; only pages already kept (warmed for
   a cadre) are refreshed, so nobody else's pages are kept. */
function keep(request, response) {
  var url = new URL(request.url);
  if (response && response.ok && !response.redirected && response.type === "basic" &&
      isKeptPage(url)) {
    var copy = response.clone();
    caches.open(PAGE_CACHE).then(function (cache) {
      return cache.match(request.url).then(function (old) {
        if (old) { return cache.put(request.url, copy); }
      });
    });
  }
  return response;
}

function fromCache(request) {
  return caches.open(PAGE_CACHE).then(function (cache) {
    return cache.match(request.url).then(function (hit) {
      return hit || cache.match(request.url, { ignoreSearch: true });
    });
  }).then(function (hit) {
    return hit || caches.match(CONFIG.offline);
  });
}

function page(event) {
  var request = event.request;
  var network = fetch(request).then(function (response) {
    notePageOnline();
    return keep(request, response);
  });
  var timeout = new Promise(function (resolve) {
    setTimeout(function () { resolve(null); }, NETWORK_WAIT_MS);
  });
  // Network first; the kept copy when the network fails or is too slow.
  return Promise.race([network.catch(function () { return null; }), timeout]).then(function (first) {
    if (first) { return first; }
    return fromCache(request).then(function (cached) {
      if (cached && isKeptPage(new URL(request.url))) { return cached; }
      return network.catch(function () { return cached; });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }  // the outbox's POSTs go to the network as they are
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (CONFIG.static.indexOf(url.pathname) !== -1 || url.pathname === CONFIG.offline) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  }
});

/* Fetch the cadre's pages into the cache (asked by pwa.js on every page, at most every
   five minutes). The header keeps flash messages for the page the cadre is looking at. */
function warm(urls, force) {
  var now = Date.now();
  if (!force && now - lastWarm < WARM_EVERY_MS) { return Promise.resolve(false); }
  lastWarm = now;
  return caches.open(PAGE_CACHE).then(function (cache) {
    return Promise.all(urls.map(function (path) {
      var url = new URL(path, self.location.origin).href;
      return fetch(url, { credentials: "same-origin", headers: { "X-PWA-Warm": "1" } })
        .then(function (response) {
          if (response.ok && !response.redirected) { return cache.put(url, response); }
        }).catch(function () {});
    }));
  }).then(function () { return true; });
}

function tellPages(message) {
  return self.clients.matchAll({ type: "window" }).then(function (clients) {
    clients.forEach(function (c) { c.postMessage(message); });
  });
}

function flushOutbox() {
  return NightOutbox.flush(null, function () {
    return NightOutbox.workerToken(CONFIG.visitForm);
  }).then(function (report) {
    return tellPages({ type: "outbox-changed", sent: report.sent.length }).then(function () {
      return report;
    });
  });
}

var flushing = null;
function notePageOnline() {
  // A page came from the network: the network is back, send what waits.
  if (flushing) { return; }
  flushing = flushOutbox().catch(function () {}).then(function () { flushing = null; });
}

self.addEventListener("sync", function (event) {
  if (event.tag !== "visit-outbox") { return; }
  event.waitUntil(flushOutbox().then(function (report) {
    if (report.remaining && !report.login) {
      throw new Error("outbox: " + report.remaining + " left");  // the browser retries later
    }
  }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "warm" && data.urls) {
    event.waitUntil(warm(data.urls, !!data.force).then(function (done) {
      if (done && event.source) { event.source.postMessage({ type: "warmed" }); }
    }));
  } else if (data.type === "forget") {
    lastWarm = 0;
    event.waitUntil(caches.delete(PAGE_CACHE));
  }
});
