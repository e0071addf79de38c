// The lobby board: live over SSE, resumes with Last-Event-ID, falls back to polling, and
// announces every call once, in order, never two at once. No library, no network beyond us.
(function () {
  "use strict";
  var root = document.getElementById("board");
  var lang = root.dataset.lang || "id";
  var zone = root.dataset.timezone || "Asia/Jakarta";
  var word = root.dataset.counterWord || "Loket";  // from the catalogue, in the board's language
  var closedWord = lang === "en" ? "CLOSED" : "TUTUP";
  var seen = {};                 // event ids already shown/announced (SSE and polling overlap)
  var lastEventId = 0;
  var queue = [];                // announcements waiting their turn
  var speaking = false;
  var soundOn = false;
  var source = null;
  var reconnectTimer = null;
  var pollTimer = null;
  var lastMessageAt = Date.now();
  var callsShown = 0;            // a state fetched before the latest call was shown is stale

  // ---- clock (keeps running while offline) ----
  var dateFmt = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "id-ID",
    { timeZone: zone, weekday: "long", day: "numeric", month: "long", year: "numeric" });
  var timeFmt = new Intl.DateTimeFormat("en-GB",
    { timeZone: zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
  function tick() {
    var now = new Date();
    document.getElementById("date").textContent = dateFmt.format(now);
    document.getElementById("clock").textContent = timeFmt.format(now);
  }
  tick(); setInterval(tick, 1000);

  // ---- rendering ----
  function counterEl(number) {
    return root.querySelector('.counter[data-counter="' + number + '"]');
  }
  // One "last calls" row; text goes in through textContent, never as HTML.
  function callRow(code, counter, at) {
    var li = document.createElement("li");
    li.innerHTML = "<b></b> → " + word + " <span></span> <small></small>";
    li.querySelector("b").textContent = code;
    li.querySelector("span").textContent = counter;
    li.querySelector("small").textContent = at;
    return li;
  }
  function renderState(state) {
    (state.counters || []).forEach(function (c) {
      var el = counterEl(c.number);
      if (!el) return;
      // A paused counter (istirahat, salat, rapat) shows closed, with the reason under it.
      el.classList.toggle("paused", !!c.paused);
      el.querySelector(".counter-code").textContent = c.paused ? closedWord : (c.serving || "—");
      el.querySelector(".counter-note").textContent = c.paused || "";
    });
    var list = document.getElementById("last-calls");
    list.innerHTML = "";
    (state.last_calls || []).forEach(function (c) {
      list.appendChild(callRow(c.code, c.counter, c.called_at));
    });
    (state.services || []).forEach(function (s) {
      var li = document.querySelector('#waiting li[data-service="' + s.code + '"] .count');
      if (li) li.textContent = s.waiting;
    });
    // Only a change restarts the marquee: rewriting the same text would make it jump.
    var marquee = root.querySelector(".marquee span");
    if (state.running_text !== undefined && marquee.textContent !== state.running_text) {
      marquee.textContent = state.running_text;
    }
    var office = root.querySelector("header .office");
    if (state.office_name && office.textContent !== state.office_name) {
      office.textContent = state.office_name;
    }
  }
  function showCall(msg) {
    var el = counterEl(msg.counter);
    if (el) {
      el.querySelector(".counter-code").textContent = msg.code;
      el.querySelector(".counter-note").textContent = "";
      el.classList.remove("paused");
      el.classList.remove("flash"); void el.offsetWidth; el.classList.add("flash");
    }
    var list = document.getElementById("last-calls");
    var row = callRow(msg.code, msg.counter, timeFmt.format(new Date()).slice(0, 5));
    list.insertBefore(row, list.firstChild);
    while (list.children.length > 8) list.removeChild(list.lastChild);
  }

  // ---- announcements: a queue, each plays completely ----
  function handleCall(msg) {
    if (seen[msg.id]) return;
    seen[msg.id] = true;
    if (msg.id > lastEventId) lastEventId = msg.id;
    callsShown++;
    showCall(msg);
    queue.push(msg);
    window.antrianAnnounced = window.antrianAnnounced || [];
    playNext();
  }
  function playAudio(url, done) {
    var audio = new Audio(url);
    var finished = false;
    function end() { if (!finished) { finished = true; done(); } }
    audio.onended = end; audio.onerror = end;
    // A blocked or broken player must not stall the queue forever.
    setTimeout(end, 15000);
    var p = audio.play();
    if (p && p.catch) p.catch(end);
  }
  function speak(msg, done) {
    if (msg.audio_url) return playAudio(msg.audio_url, done);
    if (window.speechSynthesis && window.SpeechSynthesisUtterance) {
      var u = new SpeechSynthesisUtterance(msg.phrase);
      u.lang = (msg.lang || lang) === "en" ? "en-US" : "id-ID";
      var finished = false;
      var end = function () { if (!finished) { finished = true; done(); } };
      u.onend = end; u.onerror = end;
      setTimeout(end, 12000);
      window.speechSynthesis.speak(u);
      return;
    }
    setTimeout(done, 2500);  // no speech: the chime and the flashing number carry the call
  }
  function playNext() {
    if (speaking || !queue.length) return;
    speaking = true;
    var msg = queue.shift();
    window.antrianAnnounced.push({ id: msg.id, code: msg.code, counter: msg.counter,
                                   phrase: msg.phrase, kind: msg.kind, at: Date.now() });
    var finish = function () { speaking = false; playNext(); };
    if (!soundOn) return setTimeout(finish, 1500);
    playAudio(root.dataset.chimeUrl, function () { speak(msg, finish); });
  }

  // ---- live connection ----
  function setOffline(off) { document.getElementById("offline").hidden = !off; }
  function refreshState() {
    var shown = callsShown;
    fetch(root.dataset.stateUrl, { cache: "no-store" })
      .then(function (r) { return r.json(); }).then(function (state) {
        // A call shown while this was in flight is newer than this state: ask again.
        if (callsShown !== shown) return scheduleRefresh();
        renderState(state);
      }).catch(function () {});
  }
  var refreshPending = null;
  function scheduleRefresh() {
    if (refreshPending) return;
    refreshPending = setTimeout(function () { refreshPending = null; refreshState(); }, 300);
  }
  function disconnect() {
    if (reconnectTimer) { clearTimeout(reconnectTimer); reconnectTimer = null; }
    if (source) { source.close(); source = null; }
  }
  function connect() {
    disconnect();  // never two streams: each would announce, and the old one may be half-open
    var url = root.dataset.eventsUrl;
    if (lastEventId) url += (url.indexOf("?") < 0 ? "?" : "&") + "last_event_id=" + lastEventId;
    var es = source = new EventSource(url);
    source.onopen = function () { setOffline(false); stopPolling(); };
    source.addEventListener("snapshot", function (e) {
      lastMessageAt = Date.now();
      var state = JSON.parse(e.data);
      if (e.lastEventId) lastEventId = Math.max(lastEventId, +e.lastEventId);
      renderState(state);
    });
    source.addEventListener("heartbeat", function () { lastMessageAt = Date.now(); setOffline(false); });
    source.addEventListener("call", function (e) {
      lastMessageAt = Date.now();
      handleCall(JSON.parse(e.data));
      scheduleRefresh();  // a call takes a ticket off the waiting counts
    });
    source.addEventListener("changed", function (e) {
      lastMessageAt = Date.now();
      var id = +e.lastEventId; if (id > lastEventId) lastEventId = id;
      scheduleRefresh();
    });
    source.onerror = function () {
      setOffline(true);
      startPolling();
      if (es.readyState === EventSource.CLOSED && es === source) {
        // The browser gave up (e.g. a proxy answered 502): start over, resuming from our id.
        reconnectTimer = setTimeout(connect, 3000);
      }
    };
  }
  // Polling keeps the board right where SSE is blocked; it also announces what it finds.
  function poll() {
    var url = root.dataset.stateUrl;
    url += (url.indexOf("?") < 0 ? "?" : "&") + "after=" + lastEventId;
    var shown = callsShown;
    fetch(url, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      setOffline(false);
      if (callsShown === shown) renderState(s); else scheduleRefresh();
      (s.calls || []).forEach(handleCall);
      if (s.last_event_id > lastEventId) lastEventId = s.last_event_id;
    }).catch(function () { setOffline(true); });
  }
  function startPolling() { if (!pollTimer) pollTimer = setInterval(poll, 4000); }
  function stopPolling() { if (pollTimer) { clearInterval(pollTimer); pollTimer = null; } }
  // Heartbeats arrive every 15 s; a silent stream for 45 s is treated as dead.
  setInterval(function () {
    if (source && source.readyState === EventSource.OPEN && Date.now() - lastMessageAt > 45000) {
      startPolling();
    }
  }, 5000);

  // The operating system says the network is gone (cable, Wi-Fi): say so at once and drop the
  // stream, which may hang half-open without an error; when the network is back, resume from
  // the last event seen, so every call made meanwhile is shown and announced, once, in order.
  window.addEventListener("offline", function () {
    disconnect(); setOffline(true); startPolling();
  });
  window.addEventListener("online", function () { connect(); });

  // ---- sound unlock: browsers block audio until the page is touched once ----
  var overlay = document.getElementById("sound-overlay");
  function enableSound() {
    soundOn = true;
    overlay.hidden = true;
    try { localStorage.setItem("antrian-sound", "1"); } catch (e) {}
  }
  overlay.addEventListener("click", enableSound);
  overlay.addEventListener("keydown", enableSound);
  // With --autoplay-policy=no-user-gesture-required the chime plays without a touch.
  var probe = new Audio(root.dataset.chimeUrl);
  probe.volume = 0;
  var pp = probe.play();
  if (pp && pp.then) pp.then(function () { probe.pause(); enableSound(); }).catch(function () {});

  window.antrianBoard = { queue: queue, lastEventId: function () { return lastEventId; } };
  window.antrianAnnounced = [];
  connect();
})();
