// The few behaviours the pages need beyond htmx, without inline script (the pages' CSP allows
// scripts from our own files only): a button with data-print prints the page.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
