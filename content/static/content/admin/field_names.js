/*
 * Names the StreamField inputs Wagtail 8.0 leaves unnamed, until Wagtail does:
 * - a block that is one field (a rich text block, a list's item) has no
 *   <label>: its panel heading names it on screen only
 *   (https://github.com/wagtail/wagtail/issues/11179);
 * - Draftail's editing box (role="textbox") is not tied to its field's label,
 *   which points at the hidden input it replaces
 *   (https://github.com/wagtail/wagtail/issues/14205).
 * Each such input gets aria-labelledby: its field's label, or else its block's
 * type in the panel heading ("Text", "Item"). Blocks added later are named as
 * they appear.
 */
(function () {
  "use strict";

  var FIELDS =
    "[data-field-input] input:not([type='hidden']), [data-field-input] textarea, " +
    "[data-field-input] select, [role='textbox'][contenteditable='true']";

  function named(input) {
    if (input.getAttribute("aria-label") || input.getAttribute("aria-labelledby")) {
      return true;
    }
    if (input.closest("label")) return true;
    return Boolean(
      input.id && document.querySelector("label[for='" + CSS.escape(input.id) + "']")
    );
  }

  function idOf(element, suffix) {
    if (!element.id) {
      element.id = "lc-name-" + Math.random().toString(36).slice(2) + suffix;
    }
    return element.id;
  }

  function labelFor(input) {
    var field = input.closest("[data-field]");
    var label = field && field.querySelector("label");
    if (label && label.closest("[data-field]") === field) return label;
    var panel = input.closest("section[data-panel]");
    var heading = panel && panel.querySelector("[data-panel-heading]");
    return heading && heading.querySelector(".c-sf-block__type");
  }

  function nameAll() {
    document.querySelectorAll(FIELDS).forEach(function (input) {
      if (named(input)) return;
      var label = labelFor(input);
      if (label && label.textContent.trim()) {
        input.setAttribute("aria-labelledby", idOf(label, "-label"));
      }
    });
  }

  var pending = false;
  function soon() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      nameAll();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  });
})();
