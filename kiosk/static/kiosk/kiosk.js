// Every kiosk screen: the clock, and the return to the start after inactivity. A person who
// walks away leaves nothing behind: the start screen is a new page, in Indonesian, with
// nothing typed or ticked. The last 10 seconds are counted down on screen; a touch stays.
(function () {
  "use strict";
  var screen = document.querySelector(".kiosk-screen");
  if (!screen) return;
  var lang = screen.dataset.lang === "en" ? "en-GB" : "id-ID";
  var zone = screen.dataset.timezone || "Asia/Jakarta";
  var timeFmt = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hour12: false });
  var dateFmt = new Intl.DateTimeFormat(lang, { timeZone: zone, weekday: "long", day: "numeric", month: "long", year: "numeric" });
  function tick() {
    var now = new Date();
    document.getElementById("kiosk-time").textContent = timeFmt.format(now);
    document.getElementById("kiosk-date").textContent = dateFmt.format(now);
  }
  setInterval(tick, 1000);
  // A long press on a touch screen opens the context menu (back, print, inspect): not here.
  document.addEventListener("contextmenu", function (e) { e.preventDefault(); });

  var seconds = parseInt(screen.dataset.idleSeconds, 10) || 0;
  if (!seconds) return;
  var WARN = Math.min(10, seconds);
  var warning = document.getElementById("idle-warning");
  var count = document.getElementById("idle-count");
  var lastTouch = Date.now();
  var leaving = false;
  function touched() {
    lastTouch = Date.now();
    warning.hidden = true;
  }
  ["pointerdown", "keydown", "input", "touchstart"].forEach(function (name) {
    document.addEventListener(name, touched, { passive: true, capture: true });
  });
  document.getElementById("idle-stay").addEventListener("click", touched);
  setInterval(function () {
    if (leaving) return;
    var left = seconds - Math.floor((Date.now() - lastTouch) / 1000);
    if (left <= 0) {
      leaving = true;
      document.querySelectorAll("form").forEach(function (f) { f.reset(); });
      window.location.replace(screen.dataset.idleHome);
    } else if (left <= WARN) {
      count.textContent = left;
      warning.hidden = false;
    }
  }, 250);

  // A double tap must not issue two tickets: the request key already guards the server; this
  // only stops the second tap from looking like nothing happened.
  var form = document.getElementById("take-ticket");
  if (form) form.addEventListener("submit", function () {
    document.getElementById("submit-ticket").disabled = true;
  });
})();
