// Question admin: show only the fields and inlines the chosen kind uses (all of them without JavaScript).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  if (!kind) return;
  var uses = {
    "choices-group": ["single", "multiple", "true_false"],
    "accepted_answers-group": ["short", "output"],
    "field-key_points": ["open"],
    "field-answer_regex": ["short"],
    "field-strict_names": ["short"],
  };
  function part(name) {
    return document.getElementById(name) || document.querySelector(".form-row." + name);
  }
  function show() {
    Object.keys(uses).forEach(function (name) {
      var element = part(name);
      if (element) element.hidden = Boolean(kind.value) && !uses[name].includes(kind.value);
    });
  }
  kind.addEventListener("change", show);
  show();
});
