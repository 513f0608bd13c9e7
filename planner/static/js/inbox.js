// Keyboard shortcuts for the feed inbox, as feed readers have them: j/k move between items,
// x selects one for "Dismiss selected", c curates, d dismisses, / searches, ? shows the help.
// Loaded by templates/feeds/inbox.html only (the Content-Security-Policy forbids inline
// script). Keys do nothing while a field has focus or with Ctrl/Alt/Meta held, so typing in
// the search box and the browser's own shortcuts are left alone.
(() => {
  const list = document.querySelector("[data-inbox]");
  const help = document.getElementById("shortcuts-help");
  if (!list || !help) return;
  let opener = null;

  const items = () => Array.from(list.querySelectorAll(".feed-item"));
  const current = () => list.querySelector(".feed-item.is-current");

  function select(item) {
    if (!item) return;
    const previous = current();
    if (previous) {
      previous.classList.remove("is-current");
      previous.removeAttribute("aria-current");
    }
    item.classList.add("is-current");
    item.setAttribute("aria-current", "true");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const all = items();
    if (!all.length) return;
    const at = all.indexOf(current());
    const next = at < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, at + step));
    select(all[next]);
  }

  function press(action) {
    const item = current();
    const button = item && item.querySelector(`[data-action="${action}"]`);
    if (button) button.click();
  }

  // Focus goes back where it was, at once: the dialog's own "close" event comes later
  // (a task after), and would pull focus away from whatever the next key chose.
  function closeHelp() {
    help.close();
    if (opener && typeof opener.focus === "function") opener.focus();
    opener = null;
  }

  function toggleHelp() {
    if (help.open) {
      closeHelp();
      return;
    }
    opener = document.activeElement;
    help.showModal();
  }

  help.addEventListener("cancel", (event) => {
    event.preventDefault(); // Esc: close it ourselves, restoring focus the same way
    closeHelp();
  });
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-shortcuts-open]")) toggleHelp();
    else if (event.target.closest("[data-shortcuts-close]")) closeHelp();
  });
  list.addEventListener("focusin", (event) => {
    const item = event.target.closest(".feed-item");
    if (item && item !== current()) {
      const previous = current();
      if (previous) {
        previous.classList.remove("is-current");
        previous.removeAttribute("aria-current");
      }
      item.classList.add("is-current");
      item.setAttribute("aria-current", "true");
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    if (help.open && event.key !== "?") return;
    const actions = {
      j: () => move(1),
      k: () => move(-1),
      c: () => press("curate"),
      d: () => press("dismiss"),
      x: () => {
        const box = current() && current().querySelector(".feed-item-select");
        if (box) box.checked = !box.checked;
      },
      "/": () => document.getElementById("inbox-q")?.focus(),
      "?": toggleHelp,
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
})();
