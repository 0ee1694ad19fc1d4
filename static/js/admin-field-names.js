// Names each rich-text editor of the page editor after its field's label, for screen readers.
//
// Wagtail's Draftail editor is a contenteditable element with role="textbox" that nothing labels:
// the field's <label for> points at the hidden input holding its value (axe-core: aria-input-field-
// name, serious; an open Wagtail issue). Editors appear later too (StreamField blocks, inline
// panels), so new ones are named as they are added.
(function () {
    "use strict";

    // A field's label names its hidden input; a StreamField block's label names nothing and is
    // the first child of the block's element (data-contentpath).
    function labelOf(editor) {
        var wrapper = editor.closest("[data-field-input]");
        var input = wrapper && wrapper.querySelector("input[type=hidden][id]");
        var label = input && (document.getElementById(input.id + "-label") ||
            document.querySelector('label[for="' + CSS.escape(input.id) + '"]'));
        if (label) {
            return label;
        }
        var block = editor.closest("[data-contentpath]");
        return block && block.querySelector(":scope > label.w-field__label");
    }

    function nameEditors(root) {
        root.querySelectorAll('[role="textbox"][contenteditable]').forEach(function (editor) {
            if (editor.hasAttribute("aria-labelledby") || editor.hasAttribute("aria-label")) {
                return;
            }
            var label = labelOf(editor);
            if (!label) {
                return;
            }
            if (!label.id) {
                label.id = "label-" + Math.random().toString(36).slice(2);
            }
            editor.setAttribute("aria-labelledby", label.id);
        });
    }

    function start() {
        nameEditors(document);
        new MutationObserver(function () {
            nameEditors(document);
        }).observe(document.body, {childList: true, subtree: true});
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
