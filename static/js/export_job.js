/* The export job page: poll the job's progress every two seconds and update the bar;
   reload the page when the job has finished (it then shows the download link). */
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box) { return; }
  var url = box.getAttribute("data-progress-url");
  var bar = box.querySelector("[data-export-bar]");
  var rows = box.querySelector("[data-export-rows]");
  var template = rows ? rows.getAttribute("data-template") : null;
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) { return; }
        if (d.finished) { window.location.reload(); return; }
        if (bar) {
          bar.style.width = d.percent + "%";
          bar.textContent = d.percent + "%";
          bar.parentNode.setAttribute("aria-valuenow", d.percent);
        }
        if (rows && template && d.rows_total !== null) {
          rows.textContent = template.replace("%(done)s", d.rows_done).replace("%(total)s", d.rows_total);
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
}());
