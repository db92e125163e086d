/* Shared helpers for the Dealwise pages: page data, i18n, money formatting, API calls, charts. */
(function () {
  "use strict";
  var el = document.getElementById("page-data");
  var page = el ? JSON.parse(el.textContent) : { lang: "zh", i18n: {}, caps: {}, data: null, user: null };

  function t(key, vars) {
    var s = page.i18n[key] || key;
    if (vars) Object.keys(vars).forEach(function (k) { s = s.replace("{" + k + "}", vars[k]); });
    return s;
  }
  function money(v) {
    if (v === null || v === undefined || isNaN(v)) return "—";
    var a = Math.abs(v);
    if (page.lang === "zh") {
      if (a >= 1e8) return "¥" + (v / 1e8).toFixed(2) + "亿";
      if (a >= 1e4) return "¥" + (v / 1e4).toLocaleString("zh-CN", { maximumFractionDigits: 1 }) + "万";
      return "¥" + Math.round(v).toLocaleString("zh-CN");
    }
    if (a >= 1e6) return "¥" + (v / 1e6).toFixed(2) + "M";
    if (a >= 1e3) return "¥" + Math.round(v / 1e3).toLocaleString("en") + "k";
    return "¥" + Math.round(v).toLocaleString("en");
  }
  function pct(v) { return v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%"; }
  function path(template, params) {
    var i = 0;
    return template.replace(/\{[^}]+\}/g, function () { return encodeURIComponent(params[i++]); });
  }
  /* fetch JSON from our own API with the session cookie; rejects with the server's message */
  function api(url, opts) {
    opts = opts || {};
    var init = { method: opts.method || "GET", credentials: "same-origin", headers: { Accept: "application/json" } };
    if (opts.json !== undefined) { init.body = JSON.stringify(opts.json); init.headers["Content-Type"] = "application/json"; }
    return fetch(url, init).then(function (r) {
      return r.text().then(function (txt) {
        var body = null;
        try { body = txt ? JSON.parse(txt) : null; } catch (e) { body = { detail: txt }; }
        if (!r.ok) { var err = new Error((body && body.detail) || r.statusText); err.status = r.status; throw err; }
        return body;
      });
    });
  }
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "class") node.className = attrs[k];
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c !== null && c !== undefined) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  var charts = [];
  function chart(node, option) {
    if (!window.echarts || !node) return null;
    var c = window.echarts.init(node, null, { renderer: "canvas" });
    c.setOption(option);
    charts.push(c);
    return c;
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  function fmtTime(s) {
    s = Math.max(0, Math.floor(s || 0));
    var m = Math.floor(s / 60), r = s % 60;
    return m + ":" + (r < 10 ? "0" : "") + r;
  }
  /* ECharts is 1 MB: pages that paint first and chart second load it asynchronously, after first paint */
  var waiting = null;
  function withECharts(cb) {
    if (window.echarts) { cb(); return; }
    if (!waiting) {
      waiting = [];
      var s = document.createElement("script");
      s.src = page.echarts; s.async = true;
      s.onload = function () { waiting.forEach(function (f) { f(); }); waiting = []; };
      document.head.appendChild(s);
    }
    waiting.push(cb);
  }
  window.DW = { withECharts: withECharts, page: page, t: t, money: money, pct: pct, path: path, api: api, h: h, chart: chart, fmtTime: fmtTime };
})();
