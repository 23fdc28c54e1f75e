// Schools pages: small enhancements; every page works without this file.
(function () {
  "use strict";
  // "Select all" checkboxes: <input type=checkbox data-select-all="name"> ticks every enabled box of that name.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-select-all]")) {
      var name = el.getAttribute("data-select-all");
      document.querySelectorAll('input[type=checkbox][name="' + name + '"]:not(:disabled)').forEach(function (box) {
        box.checked = el.checked;
      });
    }
    updateCounts();
  });
  // Live counters: <span data-count-of="name"> shows how many boxes of that name are ticked.
  function updateCounts() {
    document.querySelectorAll("[data-count-of]").forEach(function (out) {
      var name = out.getAttribute("data-count-of");
      out.textContent = document.querySelectorAll('input[type=checkbox][name="' + name + '"]:checked').length;
    });
  }
  document.addEventListener("DOMContentLoaded", updateCounts);
  // The package builder's "Controleer" button is only needed without JavaScript: htmx checks live.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx) {
      document.querySelectorAll("[data-nojs-only]").forEach(function (el) { el.hidden = true; });
    }
  });
})();
