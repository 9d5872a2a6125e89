// Copy buttons of components/copy_field.html: shown only where script runs.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  if (button.dataset.ready) return;
  button.dataset.ready = "1";
  button.hidden = false;
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    const status = button.parentElement.querySelector(".copy-field-status");
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      field.select();
      document.execCommand("copy");
    }
    status.textContent = button.dataset.copied;
  });
});
