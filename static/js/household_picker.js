/* Filter a <select> of households as the cadre types (no network needed). Linked
   households (★) stay on top because the server sends them first. */
(function () {
  "use strict";
  document.querySelectorAll("input[data-target]").forEach(function (input) {
    var select = document.getElementById(input.getAttribute("data-target"));
    if (!select) { return; }
    var options = Array.prototype.slice.call(select.options);
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      var first = null;
      options.forEach(function (opt) {
        var show = !needle || opt.text.toLowerCase().indexOf(needle) !== -1;
        opt.hidden = !show;
        opt.disabled = !show && !opt.selected;
        if (show && first === null) { first = opt; }
      });
      var current = select.selectedIndex < 0 ? null : select.options[select.selectedIndex];
      if (needle && (current === null || current.hidden)) {
        // Never keep a household the cadre can no longer see: with no match, nothing is
        // chosen and the server asks for a household instead of saving the wrong one.
        if (first) { select.value = first.value; } else { select.selectedIndex = -1; }
      }
    });
  });
})();

/* The problem fields of the visit form show only when "需要跟进" is ticked. */
(function () {
  "use strict";
  var box = document.getElementById("id_needs_follow_up");
  var fields = document.getElementById("problem-fields");
  if (!box || !fields) { return; }
  function sync() { fields.classList.toggle("d-none", !box.checked); }
  box.addEventListener("change", sync);
  sync();
})();
