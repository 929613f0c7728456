/* Names for the admin's autocomplete boxes (select2, through Django's autocomplete fields).
 *
 * select2 draws a combobox named only by its current choice (aria-labelledby → the choice's
 * text), so an empty box has no name at all (axe aria-input-field-name). Each combobox is
 * named by its field's label — the <label for> of the original <select>, or its aria-label
 * (table rows: ArticlePartFormSet) — followed by the choice. Loaded on every admin page by
 * templates/admin/base_site.html; boxes added later (a new inline row) are named when added.
 */
(function () {
  "use strict";

  function fieldName(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    var text = select.getAttribute("aria-label") || (label ? label.textContent : "");
    return text.replace(/[:：]\s*$/, "").trim();
  }

  function name(root) {
    (root || document).querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var box = select.nextElementSibling && select.nextElementSibling.querySelector('[role="combobox"]');
      var text = fieldName(select);
      if (!box || !text || !select.id || select.id.indexOf("__prefix__") !== -1) {
        return;
      }
      var nameId = select.id + "-a11y-name";
      if (!document.getElementById(nameId)) {
        var hidden = document.createElement("span");
        hidden.id = nameId;
        hidden.hidden = true;
        hidden.textContent = text;
        select.parentNode.insertBefore(hidden, select);
      }
      var choice = box.querySelector(".select2-selection__rendered");
      box.setAttribute("aria-labelledby", nameId + (choice && choice.id ? " " + choice.id : ""));
      if (choice) {
        // select2 calls the shown choice a read-only textbox of its own, with no name: it is
        // the combobox's value, read as part of the combobox's name above.
        choice.removeAttribute("role");
        choice.removeAttribute("aria-readonly");
      }
    });
  }

  // Django starts select2 from a jQuery ready handler, which jQuery 3 runs from a timer that
  // may come after "load": name the boxes on the next turn after it.
  window.addEventListener("load", function () { setTimeout(function () { name(document); }, 0); });
  document.addEventListener("formset:added", function (event) {
    setTimeout(function () { name(event.target); }, 0);
  });
})();
