// Activation links: a "copy" button (shown only when the browser can copy) and
// select-all on focus so the link can also be copied by hand. No inline script (CSP).
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
          if (status) { status.textContent = "Tautan sudah disalin. Tempel di pesan untuk koordinator."; }
        }, function () {
          target.focus();
          if (status) { status.textContent = "Tidak bisa menyalin otomatis. Tautan sudah dipilih: salin secara manual."; }
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
