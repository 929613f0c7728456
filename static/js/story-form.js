/* The story form: a workflow button never throws away what was typed (issue 16 #12).
 *
 * The workflow buttons above the form (送审, 退回, 签发 …) are forms of their own. When the
 * story form has unsaved changes, pressing one carries the step, with its reason, time and
 * 机审 acknowledgement, into the story form and submits that instead: the server saves the
 * typing under the usual rules and then takes the step under its own
 * (ArticleAdmin._after_save). A save that is refused (a stale version, a correction without
 * its note) shows the form again with everything typed, and the step is not taken.
 */
(function () {
  "use strict";

  function snapshot(form) {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      parts.push(name + "=" + (typeof value === "string" ? value : value.name + ":" + value.size));
    });
    return parts.join("&");
  }

  function editorsDirty() {
    var editors = (window.CKEDITOR && window.CKEDITOR.instances) || {};
    return Object.keys(editors).some(function (name) { return editors[name].checkDirty(); });
  }

  function carry(form, name, value) {
    // A field that is always sent (not the submit row's buttons of the same name).
    var field = form.querySelector('input[type="hidden"][name="' + name + '"], textarea[name="' + name + '"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = name;
      form.appendChild(field);
    }
    field.value = value;
  }

  window.addEventListener("load", function () {
    var story = document.getElementById("article_form");
    if (!story || !story.querySelector('[name="_save"]')) {
      return; // read-only: nothing can be lost
    }
    var initial = snapshot(story);
    var dirty = function () { return editorsDirty() || snapshot(story) !== initial; };
    story.dataset.guarded = "1";

    document.querySelectorAll("form.workflow-form[data-step]").forEach(function (step) {
      step.addEventListener("submit", function (event) {
        if (!dirty()) {
          return;
        }
        event.preventDefault();
        var reason = step.querySelector('[name="reason"]');
        var at = step.querySelector('[name="publish_at"]');
        var ack = step.querySelector('[name="acknowledged"]');
        carry(story, "_then", step.dataset.step);
        carry(story, "_reason", reason ? reason.value : "");
        carry(story, "_publish_at", at ? at.value : "");
        carry(story, "acknowledged", ack && ack.checked ? ack.value : "");
        story.requestSubmit();
      });
    });
  });
})();
