// Escape folds the phone's menu (a <details>) away and gives the focus back
// to its button, as people who use a keyboard expect of a menu.
const menu = document.querySelector("details.site-menu");
if (menu) {
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
}
