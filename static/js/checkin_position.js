/* Check-in with the phone's position (docs/ROSTER.md "签到位置"). On submit, ask the
   browser where it is (Geolocation API: works on HTTPS and localhost), put the answer in
   the form's hidden fields and send. A refusal, no fix or a timeout is sent as such; the
   check-in still goes through. Without JavaScript the form posts no position at all. */
(function () {
  "use strict";
  var TIMEOUT_MS = 10000;
  document.querySelectorAll("form[data-checkin-position]").forEach(function (form) {
    var sent = false;
    function field(name) { return form.querySelector("input[name='" + name + "']"); }
    function send(status, coords) {
      if (sent) { return; }
      sent = true;
      field("position_status").value = status;
      if (coords) {
        field("latitude").value = coords.latitude;
        field("longitude").value = coords.longitude;
        field("accuracy").value = coords.accuracy;
      }
      form.submit();
    }
    form.addEventListener("submit", function (event) {
      if (sent) { return; }
      event.preventDefault();
      var button = form.querySelector("button");
      if (button) {
        button.disabled = true;
        var note = form.querySelector("[data-locating]");
        if (note) { note.hidden = false; }
      }
      if (!navigator.geolocation) { send("unavailable"); return; }
      navigator.geolocation.getCurrentPosition(
        function (pos) { send("ok", pos.coords); },
        function (err) {
          send(err.code === 1 ? "denied" : (err.code === 3 ? "timeout" : "unavailable"));
        },
        {enableHighAccuracy: true, timeout: TIMEOUT_MS, maximumAge: 60000});
      // Some browsers never call back when the permission prompt is dismissed.
      window.setTimeout(function () { send("timeout"); }, TIMEOUT_MS + 2000);
    });
  });
})();
