/* The call page: transcript synced to the audio (click a line to seek, current line highlighted), the insights
   with every field linking to its evidence moment, the next steps; polls while the call is being transcribed. */
(function () {
  "use strict";
  var DW = window.DW, t = DW.t, h = DW.h;
  var state = DW.page.data;
  if (!state) return;
  var player = document.getElementById("player");
  var list = document.getElementById("transcript");
  var lines = [], segments = [], current = -1;

  function speaker(s) { return t("speaker." + (s || "unknown")); }
  function seek(sec, turn) {
    if (turn !== undefined && turn !== null && lines[turn]) { highlight(turn); lines[turn].focus(); }
    if (player && sec !== null && sec !== undefined) {
      player.currentTime = sec;
      var p = player.play();
      if (p && p.catch) p.catch(function () {});
    }
  }
  function highlight(i) {
    if (i === current) return;
    if (lines[current]) { lines[current].classList.remove("current"); lines[current].removeAttribute("aria-current"); }
    current = i;
    if (lines[i]) {
      lines[i].classList.add("current"); lines[i].setAttribute("aria-current", "true");
      var box = list.getBoundingClientRect(), r = lines[i].getBoundingClientRect();
      if (r.top < box.top || r.bottom > box.bottom) list.scrollTop += r.top - box.top - 40;
    }
  }
  function renderTranscript(tr) {
    segments = (tr && tr.segments) || [];
    list.textContent = ""; lines = [];
    segments.forEach(function (s, i) {
      var b = h("button", { type: "button", class: "line", "data-turn": i, "data-start": s.start,
        "aria-label": speaker(s.speaker) + " " + DW.fmtTime(s.start) + " " + s.text },
        [h("span", { class: "ts", text: DW.fmtTime(s.start) }), h("span", { class: "spk spk-" + (s.speaker || "unknown"), text: speaker(s.speaker) }), s.text]);
      b.addEventListener("click", function () { seek(s.start, i); });
      lines.push(b);
      list.appendChild(h("li", {}, [b]));
    });
    document.getElementById("transcript-pending").hidden = segments.length > 0;
  }
  function evidence(ev, text) {
    if (!ev) return document.createTextNode(text);
    var start = ev.start !== undefined && ev.start !== null ? ev.start : (segments[ev.turn] ? segments[ev.turn].start : null);
    return h("button", { type: "button", class: "evidence", title: "“" + ev.quote + "” @ " + DW.fmtTime(start),
      "data-turn": ev.turn, onclick: function () { seek(start, ev.turn); } }, [text]);
  }
  function row(dl, label, node) { dl.appendChild(h("dt", { text: label })); dl.appendChild(h("dd", {}, [node])); }
  function items(arr, fmt) {
    var ul = h("ul", {});
    arr.forEach(function (x) { ul.appendChild(h("li", {}, [evidence(x.evidence, fmt(x))])); });
    return ul;
  }
  function renderInsights(ins) {
    var box = document.getElementById("insights"), steps = document.getElementById("next-steps");
    if (!ins) return;
    box.textContent = ""; steps.textContent = "";
    var dl = h("dl", { class: "facts" });
    if (ins.summary) row(dl, t("call.summary"), document.createTextNode(ins.summary));
    if (ins.customer && ins.customer.company) row(dl, t("call.customer"), document.createTextNode(ins.customer.company));
    if (ins.contacts && ins.contacts.length) row(dl, t("call.contacts"), items(ins.contacts, function (c) { return c.name + (c.title ? "（" + c.title + "）" : "") + (c.role && c.role !== "unknown" ? " · " + c.role : ""); }));
    if (ins.budget) row(dl, t("call.budget"), evidence(ins.budget.evidence, DW.money(ins.budget.amount_cny) + " · " + ins.budget.text + " (" + ins.budget.status + ")"));
    if (ins.decision_date) row(dl, t("call.decision_date"), document.createTextNode(ins.decision_date));
    [["needs", "call.needs", "text"], ["objections", "call.objections", "text"], ["competitors", "call.competitors", "name"], ["products", "call.products", "name"]].forEach(function (f) {
      if (ins[f[0]] && ins[f[0]].length) row(dl, t(f[1]), items(ins[f[0]], function (x) { return x[f[2]]; }));
    });
    if (ins.sentiment) row(dl, t("call.sentiment"), document.createTextNode(ins.sentiment));
    box.appendChild(dl);
    (ins.next_steps || []).forEach(function (s) {
      steps.appendChild(h("li", {}, [evidence(s.evidence, s.action), " ", h("small", { text: "· " + speaker(s.owner) + (s.due ? " · " + s.due : "") })]));
    });
    if (!(ins.next_steps || []).length) steps.appendChild(h("li", { text: t("none") }));
  }
  function renderState(s) {
    document.getElementById("call-status-text").textContent = t("callstatus." + s.status);
    var prog = document.getElementById("call-progress");
    prog.hidden = !(s.status === "queued" || s.status === "running");
    prog.value = s.progress || 0;
    document.getElementById("call-error").textContent = s.error || "";
    if (s.transcript && segments.length === 0) renderTranscript(s.transcript);
    if (s.insights) renderInsights(s.insights);
  }
  var afterDone = 0;
  function poll() {
    DW.api("/web/calls/" + state.id + "/state").then(function (s) {
      state = s; renderState(s);
      if (s.status === "done") afterDone++;
      if (s.status === "queued" || s.status === "running" || (s.status === "done" && !s.insights && afterDone < 30)) setTimeout(poll, 1000);
    }).catch(function () { setTimeout(poll, 3000); });
  }
  if (player) {
    player.addEventListener("timeupdate", function () {
      var now = player.currentTime, idx = -1;
      for (var i = 0; i < segments.length; i++) { if (segments[i].start <= now + 0.05) idx = i; else break; }
      if (idx >= 0) highlight(idx);
    });
  }
  renderState(state);
  if (state.status === "queued" || state.status === "running" || (state.status === "done" && !state.insights)) setTimeout(poll, 1000);
  var m = /#t=([0-9.]+)/.exec(window.location.hash);
  if (m && player) player.addEventListener("loadedmetadata", function () { player.currentTime = parseFloat(m[1]); }, { once: true });
})();
