/* The appraisal statistics charts (templates/appraisal/report_stats.html): data from the
   json_script block "stats-data", series labels from each canvas's data-label-* attributes. */
(function () {
  "use strict";
  var source = document.getElementById("stats-data");
  if (!window.Chart || !source) { return; }
  var s = JSON.parse(source.textContent);
  var grades = document.getElementById("grades");
  var townships = document.getElementById("townships");
  var months = document.getElementById("months");
  new Chart(grades, {type: "bar", data: {labels: s.grade_labels, datasets: [
    {label: grades.dataset.labelProposed, data: s.proposed},
    {label: grades.dataset.labelFinal, data: s.final}]}});
  new Chart(townships, {type: "bar", data: {labels: s.townships, datasets: [
    {label: townships.dataset.label, data: s.township_satisfaction}]},
    options: {indexAxis: "y", maintainAspectRatio: false,
              scales: {x: {min: 0, max: 100}, y: {ticks: {autoSkip: false}}}}});
  new Chart(months, {type: "line", data: {
    labels: s.months.map(function (m) { return m + months.dataset.monthSuffix; }),
    datasets: [{label: months.dataset.label, data: s.violations_by_month}]}});
})();
