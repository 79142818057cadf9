// Small enhancements on top of htmx: focus follows swapped content, keyboard shortcuts, clocks.
(function () {
  "use strict";

  function focusRequested() {
    var target = document.querySelector("[data-autofocus]");
    if (!target) return;
    target.removeAttribute("data-autofocus");
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: false });
  }

  // After htmx swaps new content in, move focus to the element that asks for it, so keyboard
  // and screen-reader users land on the feedback or the next question.
  document.addEventListener("htmx:after:settle", function () {
    focusRequested();
    startClocks();
  });

  function typing(target) {
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    return tag === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(target.type);
  }

  function click(selector) {
    var element = document.querySelector(selector);
    if (element) {
      element.click();
      return true;
    }
    return false;
  }

  // Quiz shortcuts: 1-9 pick a choice (or rate 1-4 when rating), N next, Space reveals.
  document.addEventListener("keydown", function (event) {
    // Answer boxes that take several lines: Enter submits, Shift+Enter starts a new line.
    if (event.key === "Enter" && !event.shiftKey && event.target.hasAttribute("data-enter-submits")) {
      event.target.form.requestSubmit();
      return event.preventDefault();
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var card = document.getElementById("question-card");
    if (!card) return;
    var key = event.key;
    if (/^[1-9]$/.test(key)) {
      if (click('#question-card [data-rating-key="' + key + '"]')) return event.preventDefault();
      var options = card.querySelectorAll(".answer-choices input");
      var option = options[Number(key) - 1];
      if (option) {
        option.click();
        option.focus();
        event.preventDefault();
      }
    } else if (key === "n" || key === "N") {
      if (click('#question-card [data-shortcut="next"]')) event.preventDefault();
    } else if (key === " " && event.target.tagName !== "BUTTON" && event.target.tagName !== "A") {
      if (click('#question-card [data-shortcut="reveal"]')) event.preventDefault();
    } else if (key === "Enter" && event.target.type !== "submit" && event.target.tagName !== "A" && event.target.tagName !== "BUTTON") {
      var form = card.querySelector("form.answer-form");
      if (form) {
        form.requestSubmit();
        event.preventDefault();
      }
    }
  });

  // Countdowns: the server enforces exam deadlines; this only shows the time and submits at zero.
  function startClocks() {
    document.querySelectorAll("[data-seconds-left]:not([data-clock-started])").forEach(function (clock) {
      clock.setAttribute("data-clock-started", "");
      var end = Date.now() + Number(clock.getAttribute("data-seconds-left")) * 1000;
      var text = clock.querySelector("[data-clock-text]");
      var formId = clock.getAttribute("data-submit-form");
      function tick() {
        var left = Math.max(0, Math.round((end - Date.now()) / 1000));
        text.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
        if (left <= 60) clock.classList.add("clock-low");
        if (left === 0) {
          clearInterval(timer);
          clock.classList.add("clock-done");
          if (formId) {
            var form = document.getElementById(formId);
            if (form) {
              var confirm = document.createElement("input");
              confirm.type = "hidden";
              confirm.name = "confirm";
              confirm.value = "1";
              form.appendChild(confirm);
              form.submit();
            }
          } else {
            text.textContent = "time is up";
          }
        }
      }
      var timer = setInterval(tick, 1000);
      tick();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    startClocks();
    // A quiz question loaded as a whole page: typing goes straight into the answer.
    if (document.getElementById("question-card")) focusRequested();
  });
})();

// Sign-up: the learner's time zone comes from the browser, so days and streaks are theirs.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("input[data-browser-time-zone]").forEach(function (input) {
    if (!input.value && zone) input.value = zone;
  });
});

// Confidence before checking an answer: S sure, T think so, G guessing.
document.addEventListener("keydown", function (event) {
  "use strict";
  var target = event.target;
  if (event.ctrlKey || event.metaKey || event.altKey || target.tagName === "TEXTAREA" || target.tagName === "SELECT") return;
  if (target.tagName === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(target.type)) return;
  var value = { s: "3", t: "2", g: "1" }[event.key.toLowerCase()];
  var input = value && document.querySelector('#question-card input[name="confidence"][value="' + value + '"]');
  if (input) {
    input.click();
    input.focus();
    event.preventDefault();
  }
});
