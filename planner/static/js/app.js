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
