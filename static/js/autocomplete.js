/*
 * Title suggestions under a search box: the WAI-ARIA Authoring Practices combobox with a listbox
 * popup (list autocomplete, no automatic selection). Enhances every input[data-autocomplete-url];
 * the URL answers {"suggestions": [{"title", "url"}]} for ?q=. Without this script the form
 * submits a full search, as it still does when no suggestion is highlighted.
 *
 * Messages come from the template, so they are translated: data-autocomplete-one, and
 * data-autocomplete-many with "{count}" in it.
 */
(() => {
  "use strict";

  const DELAY_MS = 150;
  const MIN_LENGTH = 2;
  const TIMEOUT_MS = 4000;
  let instances = 0;

  function enhance(input) {
    instances += 1;
    const listId = `autocomplete-listbox-${instances}`;
    const listbox = document.createElement("ul");
    listbox.id = listId;
    listbox.className = "autocomplete__listbox";
    listbox.setAttribute("role", "listbox");
    listbox.hidden = true;
    const label = input.labels && input.labels[0];
    if (label) {
      label.id = label.id || `${listId}-label`;
      listbox.setAttribute("aria-labelledby", label.id);
    }
    const status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.after(listbox, status);
    input.parentElement.classList.add("has-autocomplete");

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    // Only now: without the script the browser keeps offering its own history of searches.
    input.setAttribute("autocomplete", "off");

    let options = [];
    let active = -1;
    let timer = 0;
    let request = null;

    function open() {
      if (!options.length) return;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      highlight(-1);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function isOpen() {
      return !listbox.hidden;
    }

    function highlight(index) {
      options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }

    function announce(count) {
      const many = input.dataset.autocompleteMany || "{count}";
      const one = input.dataset.autocompleteOne || many;
      status.textContent = count ? (count === 1 ? one : many).replace("{count}", count) : "";
    }

    function show(suggestions) {
      listbox.textContent = "";
      options = suggestions
        .filter((suggestion) => suggestion && suggestion.title && suggestion.url)
        .map((suggestion, i) => {
          const option = document.createElement("li");
          option.id = `${listId}-option-${i}`;
          option.className = "autocomplete__option";
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.dir = "auto"; // titles of other languages come too, e.g. Arabic on English pages
          option.dataset.url = suggestion.url;
          option.textContent = suggestion.title;
          return option;
        });
      listbox.append(...options);
      highlight(-1);
      announce(options.length);
      // Answers that arrive after the reader left the box stay closed until they come back.
      if (options.length && document.activeElement === input) {
        open();
      } else {
        close();
      }
    }

    function cancel() {
      clearTimeout(timer);
      if (request) request.abort();
      request = null;
    }

    async function suggest(text) {
      const controller = new AbortController();
      request = controller;
      const timeout = setTimeout(() => controller.abort(), TIMEOUT_MS);
      const url = new URL(input.dataset.autocompleteUrl, window.location.href);
      url.searchParams.set("q", text);
      let suggestions = [];
      try {
        const response = await fetch(url, {
          headers: { Accept: "application/json" },
          signal: controller.signal,
        });
        if (response.ok) {
          suggestions = (await response.json()).suggestions || [];
        }
      } catch (error) {
        // Aborted (superseded or timed out), offline or not JSON: no suggestions.
      } finally {
        clearTimeout(timeout);
      }
      if (request !== controller) return; // a newer request owns the list
      request = null;
      show(Array.isArray(suggestions) ? suggestions : []);
    }

    function go(option) {
      close();
      window.location.assign(option.dataset.url);
    }

    input.addEventListener("input", () => {
      cancel();
      const text = input.value.trim();
      if (text.length < MIN_LENGTH) {
        show([]);
        return;
      }
      highlight(-1);
      timer = setTimeout(() => suggest(text), DELAY_MS);
    });

    input.addEventListener("keydown", (event) => {
      if (event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
      const count = options.length;
      switch (event.key) {
        case "ArrowDown":
        case "ArrowUp": {
          if (!count) return;
          event.preventDefault();
          const down = event.key === "ArrowDown";
          open(); // reopens a list closed by Escape or blur, from its first or last option
          if (active < 0) {
            highlight(down ? 0 : count - 1);
          } else {
            highlight((active + (down ? 1 : count - 1)) % count);
          }
          break;
        }
        case "Enter":
          if (isOpen() && active >= 0) {
            event.preventDefault();
            go(options[active]);
          }
          break;
        case "Escape":
          // A search field clears itself on Escape: only the second one, once the list is closed.
          if (isOpen()) {
            event.preventDefault();
            close();
          }
          break;
      }
    });

    input.addEventListener("blur", close);

    // Keeps the focus in the box, so the blur above does not close the list before the click.
    listbox.addEventListener("mousedown", (event) => event.preventDefault());
    listbox.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) go(option);
    });

    // A page restored from the back/forward cache comes back as it was left: list open.
    window.addEventListener("pageshow", close);
  }

  document.querySelectorAll("input[data-autocomplete-url]").forEach(enhance);
})();
