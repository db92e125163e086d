/* The chat assistant: POST /api/v1/chat; the reply, with its tool traces in a collapsible block. */
(function () {
  "use strict";
  var DW = window.DW, t = DW.t, h = DW.h, url = DW.page.caps.chat;
  var form = document.getElementById("chat-form");
  if (!form || !url) return;
  var input = document.getElementById("msg"), log = document.getElementById("chatlog"), conversation = null;

  function add(cls, nodes) { var li = h("li", { class: cls }, nodes); log.appendChild(li); li.scrollIntoView({ block: "nearest" }); return li; }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    add("me", [text]);
    input.value = "";
    var pending = add("bot", [t("loading")]);
    var body = { message: text };
    if (conversation) body.conversation_id = conversation;
    DW.api(url, { method: "POST", json: body }).then(function (res) {
      conversation = res.conversation_id || conversation;
      pending.textContent = res.reply || res.text || res.content || res.message || "";
      if (res.chart && window.echarts) {
        var node = h("div", { class: "chart", role: "img", "aria-label": pending.textContent });
        pending.appendChild(node);
        DW.chart(node, res.chart);
      }
      var traces = res.tool_traces || res.traces || res.tools || [];
      if (traces.length) {
        pending.appendChild(h("details", {}, [h("summary", { text: t("chat.traces") + " (" + traces.length + ")" }),
          h("ul", {}, traces.map(function (tr) {
            return h("li", {}, [h("code", { text: tr.name || "tool" }), " ", tr.ok === false ? "✗ " : "✓ ", tr.summary || "",
              h("pre", { text: JSON.stringify(tr.arguments || tr, null, 2) })]);
          }))]));
      }
    }).catch(function (err) { pending.textContent = t("error") + ": " + err.message; });
  });
})();
