// Back to the kiosk's start screen after a form has been left alone (data-seconds), with the
// last 10 seconds counted down in #idle-warning; any touch or key starts the wait again.
(function () {
  const script = document.currentScript;
  const total = Number(script.dataset.seconds) || 30;
  const home = script.dataset.home;
  let left = total;
  function reset() {
    left = total;
    const box = document.getElementById("idle-warning");
    if (box) box.hidden = true;
  }
  ["pointerdown", "keydown", "input"].forEach((kind) =>
    document.addEventListener(kind, reset, { capture: true, passive: true }));
  setInterval(function () {
    left -= 1;
    const box = document.getElementById("idle-warning");
    if (left <= 0) { window.location.replace(home); return; }
    if (left <= 10 && box) {
      box.hidden = false;
      document.getElementById("idle-seconds").textContent = String(left);
    }
  }, 1000);
})();
