/* Call upload: drag and drop or choose a file; upload progress from XHR, then the call page shows transcription. */
(function () {
  "use strict";
  var DW = window.DW, t = DW.t, url = DW.page.caps.calls_upload;
  var zone = document.getElementById("dropzone"), input = document.getElementById("file");
  if (!zone || !url) return;
  var wrap = document.getElementById("upload-progress"), bar = document.getElementById("upload-bar");
  var label = document.getElementById("upload-label"), status = document.getElementById("upload-status");
  var opp = document.getElementById("opportunity_id");

  function upload(file) {
    var form = new FormData();
    form.append("file", file, file.name);
    if (opp && opp.value) form.append("opportunity_id", opp.value);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Accept", "application/json");
    wrap.hidden = false; bar.value = 0; label.textContent = t("calls.uploading") + " " + file.name;
    status.textContent = t("calls.uploading");
    xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total); };
    xhr.onload = function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        var id = body.id || body.call_id || (body.call && body.call.id);
        bar.value = 100; status.textContent = t("calls.transcribing");
        if (id) window.location.assign("/calls/" + id);
        return;
      }
      wrap.hidden = true;
      status.textContent = t("error") + ": " + ((body && body.detail) || xhr.statusText || xhr.status);
    };
    xhr.onerror = function () { wrap.hidden = true; status.textContent = t("error"); };
    xhr.send(form);
  }
  input.addEventListener("change", function () { if (input.files && input.files[0]) upload(input.files[0]); });
  ["dragenter", "dragover"].forEach(function (n) {
    zone.addEventListener(n, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (n) {
    zone.addEventListener(n, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    var f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (f) upload(f);
  });
})();
