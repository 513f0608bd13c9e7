// Behaviour every page shares, kept out of the HTML so the Content-Security-Policy can
// forbid inline script: <select data-autosubmit> submits its form on change, and
// <form data-confirm="question"> asks before submitting.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.requestSubmit();
});

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// Below ~768 px the main menu folds behind a "Menu" button (CSS: html.js .menu-button).
// Without JavaScript the menu simply stays open.
document.documentElement.classList.add("js");
document.addEventListener("click", (event) => {
  const button = event.target.closest(".menu-button");
  if (!button) return;
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  button.closest(".topbar").classList.toggle("menu-open", open);
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const button = document.querySelector('.menu-button[aria-expanded="true"]');
  if (button && button.closest(".topbar").contains(document.activeElement)) {
    button.setAttribute("aria-expanded", "false");
    button.closest(".topbar").classList.remove("menu-open");
    button.focus();
  }
});

// On a phone, tables become stacked cards (CSS: table.stack): each cell is labelled with its
// column's header text. The calendar grid's own tables are left alone.
function stackTables(root) {
  root.querySelectorAll("main table:not(.no-stack)").forEach((table) => {
    if (table.closest(".fc")) return;
    const heads = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    if (!heads.length) return;
    table.classList.add("stack");
    table.querySelectorAll("tbody tr").forEach((row) => {
      Array.from(row.children).forEach((cell, i) => {
        if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[i] || "");
      });
    });
  });
}
stackTables(document);
document.addEventListener("htmx:afterSettle", (event) => stackTables(event.target.ownerDocument || document));
