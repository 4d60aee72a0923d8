/* The weekly coverage trend of the county dashboard (templates/residency/dashboard_county.html):
   labels and values from the json_script blocks, the series label from the canvas. */
(function () {
  "use strict";
  var labels = document.getElementById("trend-labels");
  var values = document.getElementById("trend-values");
  var canvas = document.getElementById("trend");
  if (!window.Chart || !labels || !values || !canvas) { return; }
  labels = JSON.parse(labels.textContent);
  values = JSON.parse(values.textContent);
  if (!labels.length) { return; }
  new Chart(canvas, {type: "line",
    data: {labels: labels, datasets: [{label: canvas.dataset.label, data: values, tension: 0.2}]},
    options: {scales: {y: {min: 0, max: 100}}, animation: false}});
})();
