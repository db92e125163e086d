/* The deal page: accept or reject a suggested update through the suggestions API, in place. */
(function () {
  "use strict";
  var DW = window.DW, caps = DW.page.caps, t = DW.t;
  var box = document.getElementById("suggestions");
  if (!box) return;
  var status = document.getElementById("sugg-status");
  box.addEventListener("click", function (ev) {
    var btn = ev.target.closest("button[data-action]");
    if (!btn) return;
    var action = btn.getAttribute("data-action"), id = btn.getAttribute("data-id");
    var template = caps["suggestion_" + action];
    if (!template) return;
    var params = template.indexOf("/opportunities/") >= 0 ? [DW.page.data.opportunity_id, id] : [id];
    var cell = btn.parentNode;
    cell.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    DW.api(DW.path(template, params), { method: "POST", json: {} }).then(function (res) {
      var st = (res && res.status) || (action === "accept" ? "accepted" : "rejected");
      cell.textContent = "";
      cell.appendChild(DW.h("span", { class: "status-" + st, text: t("sugg." + st) }));
      status.textContent = t("sugg." + st);
      var row = cell.parentNode, next = row.parentNode.querySelector("button[data-action]");
      if (next) next.focus();
    }).catch(function (err) {
      cell.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      status.textContent = t("error") + ": " + err.message;
    });
  });
})();
