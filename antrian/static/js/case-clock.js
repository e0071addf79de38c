// The case page's clocks run in the browser between refreshes: minutes since the open step
// started (plus the finished steps, for the total), amber from 80 % of the standard, red past it.
(function () {
  // The PC clock's error against the server, measured once per page, as soon as the page (or
  // the first fragment with a clock) arrives: a fragment refreshed later (any event on the
  // stream re-renders the case) keeps the same clock, and a tab the browser throttles in the
  // background does not measure it late, after its clock has moved on.
  let offset = null;
  function measure(root) {
    const el = offset === null && root.querySelector ? root.querySelector("[data-now]") : null;
    if (el) offset = Date.parse(el.dataset.now) - Date.now();
  }
  measure(document);
  document.addEventListener("htmx:afterSwap", (event) => measure(event.target));
  function label(minutes) {
    const whole = Math.floor(minutes);
    return whole >= 60 ? `${Math.floor(whole / 60)} j ${String(whole % 60).padStart(2, "0")} m` : `${whole} m`;
  }
  function tick() {
    document.querySelectorAll("[data-clock][data-started]").forEach((el) => {
      if (offset === null) measure(document);  // the server's now: a wrong PC clock does not matter
      const now = Date.now() + offset;
      const minutes = parseFloat(el.dataset.base || "0") + (now - Date.parse(el.dataset.started)) / 60000;
      const standard = parseFloat(el.dataset.standard);
      const state = minutes > standard ? "red" : minutes >= 0.8 * standard ? "amber" : "ok";
      el.classList.remove("clock-ok", "clock-amber", "clock-red");
      el.classList.add(`clock-${state}`);
      const value = el.querySelector(".clock-value");
      if (value) value.textContent = label(minutes);
    });
  }
  setInterval(tick, 1000);
})();
