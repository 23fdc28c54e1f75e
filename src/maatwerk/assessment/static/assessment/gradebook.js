// Gradebook: fill a column with the keyboard alone. Every cell saves itself with htmx when it changes
// (hx-post on "change"); this file only moves the focus. Without it, each column has its own save button.
//   Enter / ArrowDown: the same column, next student      Shift+Enter / ArrowUp: previous student
//   ArrowLeft / ArrowRight at the start / end of the text: previous / next cell in the row
//   Tab / Shift+Tab: as usual (next / previous cell)        Escape: put back the stored value
(function () {
  "use strict";

  function inputs(row) {
    return Array.prototype.slice.call(row.querySelectorAll("input.gb-input:not([disabled])"));
  }

  function cellIndex(input) {
    var td = input.closest("td");
    return td ? Array.prototype.indexOf.call(td.parentNode.children, td) : -1;
  }

  function vertical(input, step) {
    var index = cellIndex(input);
    var row = input.closest("tr");
    while (row) {
      row = step > 0 ? row.nextElementSibling : row.previousElementSibling;
      if (!row) { return null; }
      var td = row.children[index];
      var target = td && td.querySelector("input.gb-input:not([disabled])");
      if (target) { return target; }
    }
    return null;
  }

  function horizontal(input, step) {
    var row = input.closest("tr");
    var list = inputs(row);
    var at = list.indexOf(input);
    return list[at + step] || null;
  }

  function go(from, to) {
    if (to) {
      to.focus();  // `from` loses the focus: the browser fires "change" on it when its value changed
    } else {
      from.blur();  // no cell further: still save what was typed
      from.focus();
    }
  }

  function atStart(input) {
    return input.selectionStart === 0 && (input.selectionEnd === 0 || input.selectionEnd === input.value.length);
  }

  function atEnd(input) {
    return input.selectionEnd === input.value.length &&
      (input.selectionStart === input.value.length || input.selectionStart === 0);
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("table.gradebook input.gb-input")) { return; }
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target;
    switch (event.key) {
      case "Enter":
        event.preventDefault();  // never submit the column form while typing
        go(input, vertical(input, event.shiftKey ? -1 : 1));
        break;
      case "ArrowDown":
        event.preventDefault();
        go(input, vertical(input, 1));
        break;
      case "ArrowUp":
        event.preventDefault();
        go(input, vertical(input, -1));
        break;
      case "ArrowLeft":
        if (atStart(input) && (target = horizontal(input, -1))) { event.preventDefault(); go(input, target); }
        break;
      case "ArrowRight":
        if (atEnd(input) && (target = horizontal(input, 1))) { event.preventDefault(); go(input, target); }
        break;
      case "Escape":
        var shown = document.querySelector('input[name="o-' + input.name + '"]');
        if (shown) { input.value = shown.value; input.select(); }
        break;
    }
  });

  // Typing replaces the value: select it when a cell gets the focus.
  document.addEventListener("focusin", function (event) {
    var input = event.target;
    if (input.matches && input.matches("table.gradebook input.gb-input")) {
      input.select();
      // a mouse click places the caret after focusing: select again, unless typing already began
      var before = input.value;
      window.setTimeout(function () {
        if (document.activeElement === input && input.value === before) { input.select(); }
      }, 0);
    }
  });

  function mark() {
    var wrap = document.querySelectorAll(".gradebook-wrap");
    for (var i = 0; i < wrap.length; i++) { wrap[i].classList.add("js-on"); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", mark); } else { mark(); }
})();
