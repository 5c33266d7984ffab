// Field checks as a field is left (templates/coordinator/_form.html) answer by replacing
// that field. On slow mobile data the answer can arrive after the coordinator has gone
// back into the field and typed more: swapping then would put the old value back and
// lose the new typing. So an answer is dropped when its field changed since it was
// asked; leaving the field again sends a fresh check. No inline script (CSP).
(function () {
  "use strict";
  var sent = new WeakMap();

  function snapshot(field) {
    var parts = [];
    field.querySelectorAll("input, select, textarea").forEach(function (input) {
      var on = input.type === "checkbox" || input.type === "radio" ? input.checked : "";
      parts.push(input.name + "=" + input.value + ":" + on);
    });
    return parts.join("\u0000");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var field = event.detail.elt;
    if (field.hasAttribute("data-check-field")) { sent.set(field, snapshot(field)); }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var field = event.detail.elt;
    if (!sent.has(field)) { return; }
    var then = sent.get(field);
    sent.delete(field);
    if (then !== snapshot(field)) { event.detail.shouldSwap = false; }
  });
})();
