// Progressive enhancements only; every page works without this file (CSP forbids inline scripts).
// data-confirm may sit on the form or on the button that submits it.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const button = event.submitter;
  const question = (button && button.getAttribute("data-confirm"))
    || (form.getAttribute && form.getAttribute("data-confirm"));
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Top-bar menus are <details>: one open at a time; Escape or a click elsewhere closes them.
const navMenus = document.querySelectorAll("details.navmenu");
navMenus.forEach((menu) => {
  menu.addEventListener("toggle", () => {
    if (menu.open) navMenus.forEach((other) => { if (other !== menu) other.open = false; });
  });
});
document.addEventListener("click", (event) => {
  navMenus.forEach((menu) => { if (!menu.contains(event.target)) menu.open = false; });
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  navMenus.forEach((menu) => {
    if (menu.open) { menu.open = false; menu.querySelector("summary").focus(); }
  });
});

// Copy buttons: <button data-copy="#id"> copies the text of that element.
document.querySelectorAll("[data-copy]").forEach((button) => {
  button.addEventListener("click", async () => {
    const source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    const text = source.value !== undefined ? source.value : source.textContent;
    try {
      await navigator.clipboard.writeText(text.trim());
      button.textContent = button.getAttribute("data-copied") || button.textContent;
    } catch (error) {
      if (source.select) source.select();
    }
  });
});

// Print buttons (e.g. the training certificate): <button data-print>.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
