/* The login page after signing out (?signed_out=1): nothing of the night log stays on a
   shared phone. Browsers honour the logout's Clear-Site-Data header only over HTTPS (and on
   localhost); an intranet served over plain HTTP relies on this script. It removes every
   visit draft (localStorage, "nightlog-draft:...") and empties the outbox (IndexedDB, see
   outbox.js); the logout page already sent what could be sent and warned about the rest. */
(function () {
  "use strict";
  if (!document.querySelector("[data-clear-all-drafts]")) { return; }
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }
  if (store) {
    for (var i = store.length - 1; i >= 0; i--) {
      var name = store.key(i);
      if (name && name.indexOf("nightlog-draft:") === 0) { store.removeItem(name); }
    }
  }
  if (window.NightOutbox && window.NightOutbox.clear) {
    window.NightOutbox.clear().catch(function () { /* no outbox yet */ });
  }
}());
