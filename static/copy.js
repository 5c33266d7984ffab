// Text to pass on (an activation link, a schedule message for residents): a "copy" button
// (shown only when the browser can copy) and select-all on focus so it can also be copied
// by hand. The button's data-copied says what to announce once copied. No inline script (CSP).
(function () {
  "use strict";
  function init(root) {
    root.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
    if (!navigator.clipboard) { return; }
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      var target = document.querySelector(button.getAttribute("data-copy"));
      var status = document.querySelector("[data-copy-status]");
      if (!target) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(target.value).then(function () {
          if (status) { status.textContent = button.getAttribute("data-copied") || "Sudah disalin."; }
        }, function () {
          target.focus();
          if (status) { status.textContent = "Tidak bisa menyalin otomatis. Teksnya sudah dipilih: salin secara manual."; }
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
