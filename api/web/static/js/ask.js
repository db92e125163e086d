/* The Ask box: POST /api/v1/ask, then the Answer as chart (ECharts option from the server), table and one-line
   narrative, with "how this was computed"; clarification options and suggested questions are buttons. */
(function () {
  "use strict";
  var DW = window.DW, t = DW.t, h = DW.h, caps = DW.page.caps;
  var form = document.getElementById("ask-form");
  if (!form || !caps.ask) return;
  var input = document.getElementById("q"), section = document.getElementById("answer");
  var chartNode = document.getElementById("answer-chart"), chart = null;

  function chips(ul, options, onpick) {
    ul.textContent = "";
    options.forEach(function (o) {
      var label = typeof o === "string" ? o : (o.label || o.text || o.question || o.name || JSON.stringify(o));
      var q = typeof o === "string" ? o : (o.question || o.value || o.text || label);
      ul.appendChild(h("li", {}, [h("button", { type: "button", text: label, onclick: function () { onpick(q, o); } })]));
    });
  }
  function cell(v) {
    if (v === null || v === undefined) return "—";
    if (typeof v === "number") return Math.abs(v) >= 1000 ? v.toLocaleString(DW.page.lang === "zh" ? "zh-CN" : "en", { maximumFractionDigits: 2 }) : String(Math.round(v * 10000) / 10000);
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  }
  function table(result, ans) {
    var box = document.getElementById("answer-table");
    box.textContent = "";
    if (!result) return;
    var cols = result.columns, rows = result.rows;
    if (!cols && Array.isArray(result) && result.length && typeof result[0] === "object") { cols = Object.keys(result[0]); rows = result; }
    if (!cols || !rows) { if (typeof result === "object") box.appendChild(h("pre", { text: JSON.stringify(result, null, 2) })); return; }
    var names = cols.map(function (c) {
      var n = typeof c === "string" ? c : (c.label || c.name);
      if (n === "value" && ans && ans.plan && ans.plan.metric_label) return ans.plan.metric_label;
      return dimLabels[n] || n;
    });
    var keys = cols.map(function (c) { return typeof c === "string" ? c : c.name; });
    var thead = h("thead", {}, [h("tr", {}, names.map(function (n) { return h("th", { scope: "col", text: n }); }))]);
    var tbody = h("tbody", {}, rows.slice(0, 500).map(function (r) {
      return h("tr", {}, keys.map(function (k, i) { var v = Array.isArray(r) ? r[i] : r[k]; return h("td", { class: typeof v === "number" ? "num" : "", text: cell(v) }); }));
    }));
    box.appendChild(h("table", {}, [thead, tbody]));
  }
  function how(ans) {
    var det = document.getElementById("answer-how"), box = det.querySelector("div");
    box.textContent = "";
    var plan = ans.plan || null, prov = ans.provenance || ans.how || {};
    if (!plan && !ans.sql && !prov) { det.hidden = true; return; }
    var dl = h("dl", { class: "facts" });
    if (plan && plan.scope) { dl.appendChild(h("dt", { text: t("ask.scope") })); dl.appendChild(h("dd", { text: plan.scope })); }
    var metric = (prov.metric_definition || prov.definition || (plan && (plan.metric_definition || plan.definition)));
    var metricName = plan && (plan.metric_label || plan.metric || plan.metrics);
    if (metricName) { dl.appendChild(h("dt", { text: t("ask.metric") })); dl.appendChild(h("dd", { text: cell(metricName) + (metric ? " — " + cell(metric) : "") })); }
    else if (metric) { dl.appendChild(h("dt", { text: t("ask.metric") })); dl.appendChild(h("dd", { text: cell(metric) })); }
    var filters = (plan && plan.filters) || prov.filters;
    if (filters && filters.map && filters.length) filters = filters.map(function (f) { return (dimLabels[f.dimension] || f.dimension) + " = " + (f.values || []).join(" / "); }).join("; ");
    if (filters && filters.length) { dl.appendChild(h("dt", { text: t("ask.filters") })); dl.appendChild(h("dd", { text: cell(filters) })); }
    var period = (plan && (plan.period || plan.time_range)) || prov.period;
    if (period && period.label) period = period.label + " (" + period.start + " – " + period.end + ")";
    if (period) { dl.appendChild(h("dt", { text: t("ask.period") })); dl.appendChild(h("dd", { text: cell(period) })); }
    box.appendChild(dl);
    var sql = ans.sql || prov.sql;
    if (sql && DW.page.user && DW.page.user.role === "admin") {
      box.appendChild(h("p", { text: t("ask.sql") })); box.appendChild(h("pre", { text: sql }));
    }
    if (plan) box.appendChild(h("details", {}, [h("summary", { text: "QueryPlan" }), h("pre", { text: JSON.stringify(plan, null, 2) })]));
    det.hidden = false;
  }
  function render(ans) {
    section.hidden = false;
    document.getElementById("answer-text").textContent = ans.text || "";
    var clar = document.getElementById("clarify"), c = ans.clarification;
    if (c && (c.options || c.choices)) {
      clar.hidden = false;
      clar.querySelector("p").textContent = c.question || t("ask.clarify");
      var follow = c.questions || [], opts = c.options || c.choices;
      chips(clar.querySelector("ul"), opts, function (q) { var i = opts.indexOf(q); q = follow[i] || q; input.value = q; ask(q); });
    } else clar.hidden = true;
    if (chart) { chart.dispose(); chart = null; }
    if (ans.chart && window.echarts) {
      chartNode.hidden = false;
      chartNode.setAttribute("aria-label", ans.text || t("ask.title"));
      chart = window.echarts.init(chartNode);
      chart.setOption(ans.chart);
    } else chartNode.hidden = true;
    table(ans.result || ans.table, ans);
    how(ans);
  }
  function ask(q) {
    section.hidden = false;
    document.getElementById("answer-text").textContent = t("loading");
    DW.api(caps.ask, { method: "POST", json: { question: q } }).then(render).catch(function (err) {
      document.getElementById("answer-text").textContent = t("error") + ": " + err.message;
    });
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); if (input.value.trim()) ask(input.value.trim()); });
  window.addEventListener("resize", function () { if (chart) chart.resize(); });
  var dimLabels = {};
  if (caps.metrics) {
    DW.api(caps.metrics).then(function (res) {
      var zh = DW.page.lang === "zh", qs = [];
      (res.dimensions || []).forEach(function (d) { dimLabels[d.name] = zh ? d.zh : d.en; });
      (res.examples || []).forEach(function (x) { if (/[\u4e00-\u9fff]/.test(x) === zh) qs.push(x); });
      (res.metrics || []).forEach(function (m) {
        var ex = m.examples || [];
        if (ex.length && qs.length < 8) qs.push(ex[0]);
      });
      if (qs.length) {
        var box = document.getElementById("suggested");
        chips(box.querySelector("ul"), qs.slice(0, 8), function (q) { input.value = q; ask(q); });
        box.hidden = false;
      }
    }).catch(function () {});
  }
  var initial = DW.page.data && DW.page.data.q;
  if (initial) { input.value = initial; ask(initial); }
})();
