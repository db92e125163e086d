/* The manager dashboard's charts (ECharts), drawn from the numbers the server put in the page. */
(function () {
  "use strict";
  var DW = window.DW, d = DW.page.data, t = DW.t, money = DW.money;
  if (!d) return;
  DW.withECharts(draw);
  function draw() {
  var axisMoney = { type: "value", axisLabel: { formatter: function (v) { return money(v); } } };
  var tip = { trigger: "axis", axisPointer: { type: "shadow" } };
  function byId(id) { return document.getElementById(id); }

  function attainment(id, rows) {
    var names = rows.map(function (r) { return r.name; }).reverse();
    DW.chart(byId(id), {
      animation: false, tooltip: tip, legend: { top: 0 }, grid: { left: 8, right: 48, top: 28, bottom: 8, containLabel: true },
      xAxis: axisMoney, yAxis: { type: "category", data: names },
      series: [
        { name: t("dash.target"), type: "bar", data: rows.map(function (r) { return r.target; }).reverse(), itemStyle: { color: "#cbd2d9" }, barGap: "-100%" },
        { name: t("dash.won"), type: "bar", data: rows.map(function (r) { return r.won; }).reverse(), itemStyle: { color: "#1f6feb" },
          label: { show: true, position: "right", formatter: function (p) { var r = rows[rows.length - 1 - p.dataIndex]; return DW.pct(r.rate); } } }
      ]
    });
  }
  if (byId("chart-att-team")) attainment("chart-att-team", d.attainment.teams);
  attainment("chart-att-rep", d.attainment.reps.slice(0, 20));

  DW.chart(byId("chart-funnel"), {
    animation: false,
    tooltip: { trigger: "item", formatter: function (p) { var s = d.funnel[p.dataIndex]; return s.stage + "<br>" + s.count + (s.conversion !== null ? "<br>" + t("dash.conversion") + " " + DW.pct(s.conversion) : ""); } },
    series: [{ type: "funnel", sort: "none", left: "10%", width: "80%", top: 10, bottom: 10, minSize: "8%", gap: 2,
      label: { position: "inside", formatter: function (p) { var s = d.funnel[p.dataIndex]; return s.stage + " " + s.count + (s.conversion !== null ? " (" + DW.pct(s.conversion) + ")" : ""); } },
      data: d.funnel.map(function (s) { return { name: s.stage, value: s.count }; }) }]
  });

  DW.chart(byId("chart-pipeline"), {
    animation: false, tooltip: tip, legend: { top: 0 }, grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: d.pipeline.months }, yAxis: axisMoney,
    series: d.pipeline.series.map(function (s) { return { name: s.stage, type: "bar", stack: "p", data: s.amounts }; })
  });

  var f = d.forecast;
  DW.chart(byId("chart-forecast"), {
    animation: false, grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
    legend: { top: 0, data: [t("dash.band") + " ±15%", t("dash.forecast_value"), t("dash.won")] },
    tooltip: { trigger: "axis", formatter: function () { return t("dash.forecast_value") + " " + money(f.forecast) + " (" + money(f.low) + " – " + money(f.high) + ")<br>" + t("dash.target") + " " + money(f.target) + "<br>" + t("dash.won") + " " + money(f.won); } },
    xAxis: axisMoney, yAxis: { type: "category", data: [t("dash.forecast_value")] },
    series: [
      { name: "base", type: "bar", stack: "band", data: [f.low], itemStyle: { color: "transparent" }, silent: true, legendHoverLink: false, tooltip: { show: false } },
      { name: t("dash.band") + " ±15%", type: "bar", stack: "band", data: [f.high - f.low], itemStyle: { color: "rgba(31,111,235,.25)" }, barWidth: 36 },
      { name: t("dash.forecast_value"), type: "scatter", data: [f.forecast], symbol: "diamond", symbolSize: 18, itemStyle: { color: "#1f6feb" } },
      { name: t("dash.won"), type: "scatter", data: [f.won], symbolSize: 12, itemStyle: { color: "#1a7f37" } },
      { name: t("dash.target"), type: "line", data: [], markLine: { symbol: "none", lineStyle: { color: "#b42318", width: 2 }, label: { formatter: t("dash.target") + " " + money(f.target) }, data: [{ xAxis: f.target }] } }
    ]
  });

  DW.chart(byId("chart-pareto"), {
    animation: false, tooltip: tip, legend: { top: 0 }, grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: d.pareto.map(function (p) { return p.product_line; }) },
    yAxis: [axisMoney, { type: "value", min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } } }],
    series: [
      { name: t("dash.won"), type: "bar", data: d.pareto.map(function (p) { return p.amount; }), itemStyle: { color: "#1f6feb" } },
      { name: t("dash.cumulative"), type: "line", yAxisIndex: 1, data: d.pareto.map(function (p) { return p.cumulative; }), itemStyle: { color: "#b54708" } }
    ]
  });
  }
})();
