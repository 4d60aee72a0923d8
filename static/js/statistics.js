/* The statistics page: the print button and the four charts. Data, labels included (in
   Chinese, from gettext), come from the json_script block "statistics-data". */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  var source = document.getElementById("statistics-data");
  if (!source || !window.Chart) { return; }
  var d = JSON.parse(source.textContent);
  var common = {animation: false, responsive: true};
  var noLegend = {legend: {display: false}};
  function chart(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new window.Chart(canvas, config); }
  }
  chart("chart-coverage", {type: "line", data: {labels: d.weeks, datasets: [
    {label: d.series.coverage, data: d.coverage, tension: 0.2},
    {label: d.series.checkin, data: d.checkin, tension: 0.2, borderDash: [4, 3]}]},
    options: Object.assign({scales: {y: {min: 0, max: 100}}}, common)});
  chart("chart-categories", {type: "bar", data: {labels: d.category_labels, datasets: [
    {label: d.series.visits, data: d.category_counts}]},
    options: Object.assign({indexAxis: "y", plugins: noLegend}, common)});
  chart("chart-problems", {type: "bar", data: {labels: d.state_labels, datasets: [
    {label: d.series.problems, data: d.state_counts}]},
    options: Object.assign({plugins: noLegend}, common)});
  chart("chart-meetings", {type: "doughnut", data: {labels: d.meeting_labels, datasets: [
    {data: d.meeting_counts}]}, options: common});
}());
