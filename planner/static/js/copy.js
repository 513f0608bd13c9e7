/* Copy buttons: <button data-copy="#selector"> copies that element's text and says so in
 * the page's [data-copy-status] line (read out by screen readers). A file, not inline
 * script, so the Content-Security-Policy can forbid inline script. */
(function () {
  "use strict";

  function fallbackCopy(text) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (e) {
      copied = false;
    }
    area.remove();
    return copied;
  }

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (e) {
        return fallbackCopy(text);
      }
    }
    return fallbackCopy(text);
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button) {
      return;
    }
    const source = document.querySelector(button.dataset.copy);
    if (!source) {
      return;
    }
    const status = document.querySelector("[data-copy-status]");
    const copied = await copyText(source.textContent.trim());
    if (status) {
      status.textContent = copied
        ? "Copied to the clipboard."
        : "Could not copy: select the token and copy it by hand.";
    }
    if (copied) {
      button.textContent = "Copied";
    }
  });
})();
