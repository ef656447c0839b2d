/* Draws each [data-chart] element with ECharts, when ECharts loaded. Without it (or
   without JavaScript) the element stays hidden: the table below carries the same figures,
   and suppressed figures are gaps in the chart as they are "suppressed" in the table. */
(function () {
  "use strict";
  function draw(element) {
    if (typeof window.echarts === "undefined") { return; }
    var data = JSON.parse(document.getElementById(element.dataset.chart).textContent);
    var bars = data.bars || [];
    var trend = data.trend || [];
    if (!bars.length && !trend.length) { return; }
    element.hidden = false;
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    var grids = [], xAxis = [], yAxis = [], series = [];
    var both = bars.length && trend.length;
    if (bars.length) {
      grids.push(both ? { left: 48, right: "55%", bottom: 70 } : { left: 48, right: 16, bottom: 70 });
      xAxis.push({ type: "category", gridIndex: 0, data: bars.map(function (b) { return b.name; }),
        axisLabel: { rotate: 40, interval: 0, fontSize: 10 } });
      yAxis.push({ type: "value", gridIndex: 0, name: data.unit });
      series.push({ type: "bar", xAxisIndex: 0, yAxisIndex: 0, data: bars.map(function (b) { return b.value; }) });
    }
    if (trend.length) {
      var g = grids.length;
      grids.push(both ? { left: "55%", right: 16, bottom: 70 } : { left: 48, right: 16, bottom: 70 });
      xAxis.push({ type: "category", gridIndex: g, data: trend.map(function (t) { return t.month; }),
        axisLabel: { rotate: 40, fontSize: 10 } });
      yAxis.push({ type: "value", gridIndex: g });
      series.push({ type: "line", xAxisIndex: g, yAxisIndex: g, connectNulls: false,
        data: trend.map(function (t) { return t.value; }) });
    }
    chart.setOption({ animation: false, grid: grids, xAxis: xAxis, yAxis: yAxis, series: series,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? data.suppressed : v; } } });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
