// Keyboard shortcuts of the counter desk: a key clicks the desk button that shows it
// (<button data-key="p">… <kbd>P</kbd>), unless the officer is typing in a field.
document.addEventListener("keydown", function (e) {
  if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
  var target = e.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
    return;
  }
  var key = (e.key || "").toLowerCase();
  if (!/^[a-z]$/.test(key)) return;
  var button = document.querySelector('#desk button[data-key="' + key + '"]:not([disabled])');
  if (button) {
    e.preventDefault();
    button.click();
  }
});
