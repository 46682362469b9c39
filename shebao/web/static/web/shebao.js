// Behaviour of the pages, kept out of the templates: the Content-Security-Policy allows
// no inline scripts or event-handler attributes.  Buttons say what they do with data-action.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-action]");
  if (!button) return;
  if (button.dataset.action === "print") {
    window.print();
  }
});
