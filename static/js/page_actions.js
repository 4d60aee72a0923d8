/* Small page behaviours declared in the HTML, so that templates need no inline script or
   event handler (the Content-Security-Policy allows scripts from /static/ only):
   - [data-print]: print the page;
   - form[data-confirm] / button[data-confirm]: ask before submitting (a form with
     data-confirm-action="NAME" prefixes the chosen option of its NAME select);
   - select[data-autosubmit]: submit its form when changed. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) { return; }
    if (target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
      return;
    }
    var button = target.closest("button[data-confirm], a[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-confirm]")) { return; }
    var message = form.getAttribute("data-confirm");
    var name = form.getAttribute("data-confirm-action");
    var select = name ? form.elements[name] : null;
    if (select && select.options && select.selectedIndex >= 0) {
      message = "\u201c" + select.options[select.selectedIndex].text + "\u201d\n" + message;
    }
    if (!window.confirm(message)) { event.preventDefault(); }
  });
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) { field.form.submit(); }
  });
})();
