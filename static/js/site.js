// Small enhancements on top of htmx: focus follows swapped content, and keyboard shortcuts.
(function () {
  "use strict";

  // After htmx swaps new content in, move focus to the element that asks for it, so keyboard
  // and screen-reader users land on the feedback or the next question.
  document.addEventListener("htmx:after:settle", function () {
    var target = document.querySelector("[data-autofocus]");
    if (target) {
      target.removeAttribute("data-autofocus");
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });
})();
