"""Browser tests: the real `antrian serve` and Debian's Chromium.

Each test gets its own instance folder and server on a free port, started exactly as an office
starts it (`antrian init`, then `antrian serve`). One Chromium serves the whole session; each
test opens its own contexts, closed before its server stops.

Chromium is `/usr/bin/chromium` (or `ANTRIAN_CHROMIUM`); never `playwright install`. Without it
these tests skip, saying why, unless `ANTRIAN_REQUIRE_BROWSER=1` (CI), where they fail.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import wave
from pathlib import Path

import pytest

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the browser fixture says so (skip, or fail when required)
    PlaywrightTimeout = TimeoutError

CHROMIUM = os.environ.get("ANTRIAN_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("ANTRIAN_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
# The console script next to the interpreter running pytest (.venv/bin/antrian).
ANTRIAN = str(Path(sys.executable).with_name("antrian"))


def _no_browser(reason: str):
    if REQUIRE_BROWSER:
        pytest.fail(f"ANTRIAN_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _no_browser("the playwright package is not installed")
    if not os.access(CHROMIUM, os.X_OK):
        _no_browser(
            f"no Chromium at {CHROMIUM} (apt-get install chromium, or set ANTRIAN_CHROMIUM)"
        )
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Error as exc:
        playwright.stop()
        _no_browser(f"Chromium at {CHROMIUM} does not start: {exc.message.splitlines()[0]}")
    yield chromium
    chromium.close()
    playwright.stop()


# ---------------------------------------------------------------------------------------------
# The server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def antrian_env(instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTRIAN_")}  # SQLite here
    env.update(
        ANTRIAN_INSTANCE_PATH=str(instance),
        ANTRIAN_ISSUE_RATE_LIMIT="off",
        ANTRIAN_OPENING_HOURS="off",  # the machine's clock may say 02:00
        ANTRIAN_KIOSK_PRINTER_URL=f"file://{instance}/kiosk.bin",
        ANTRIAN_COUNTER_PRINTER_URL=f"file://{instance}/loket.bin",
    )
    return env


def antrian_cli(instance: Path, *args: str) -> str:
    # A guard against a hung command, not a speed check: `antrian demo` takes ~10 s of CPU,
    # and CI runs at low priority beside a browser and a server.
    done = subprocess.run(
        [ANTRIAN, *args], env=antrian_env(instance), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"antrian {' '.join(args)} failed:\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="session")
def fresh_instance(tmp_path_factory):
    """`antrian init` once: a first-morning instance (catalogue, counters 1-4, the admin and
    an API token) that each test copies, so every test starts at A-001."""
    instance = tmp_path_factory.mktemp("antrian") / "instance"
    out = antrian_cli(instance, "init")
    match = re.search(r"pengguna: admin\s+kata sandi: (\S+)", out)
    assert match, f"antrian init printed no admin password:\n{out}"
    token = antrian_cli(instance, "staff", "token", "admin").strip().splitlines()[-1]
    return instance, match.group(1), token


class AntrianServer:
    """`antrian serve` on a copy of a fresh instance folder; killable and restartable."""

    def __init__(self, instance: Path, admin_password: str, token: str):
        self.instance = instance
        self.env = antrian_env(instance)
        self.admin_password = admin_password
        self.token = token
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    @property
    def log_path(self) -> Path:
        return self.instance / f"serve-{self.starts}.log"

    def start(self) -> None:
        self.starts += 1
        log = self.log_path.open("wb")
        # Its own process group: the master and its worker die together, like a power cut.
        self.proc = subprocess.Popen(
            [ANTRIAN, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"antrian serve exited:\n{self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"antrian serve did not answer /healthz:\n{self.log_path.read_text()}")

    def kill(self) -> None:
        """SIGKILL the whole server (master and worker): no goodbye to open streams."""
        if self.proc is None:
            return
        try:  # also when the master died alone: its worker is still in the group
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> None:
        # A throwaway server: a graceful stop would wait out the SSE threads' heartbeats.
        self.kill()

    # -- the JSON API, as a second kiosk and the staff's call buttons would use it --

    def request(self, method: str, path: str, body: dict | None = None, staff: bool = False):
        headers = {"Content-Type": "application/json"}
        if staff:
            headers["Authorization"] = f"Bearer {self.token}"
        data = json.dumps(body or {}).encode() if method == "POST" else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as err:
            raise AssertionError(f"{method} {path}: {err.code} {err.read()[:300]!r}") from None

    def issue(self, service: str = "A") -> dict:
        return self.request("POST", "/api/v1/tickets", {"service": service})

    def call_next(self, counter: int) -> dict:
        return self.request("POST", f"/api/v1/counters/{counter}/call-next", staff=True)

    def recall(self, ticket_id: int) -> dict:
        return self.request("POST", f"/api/v1/tickets/{ticket_id}/recall", staff=True)

    def last_event_id(self) -> int:
        return self.request("GET", "/display/state.json")["last_event_id"]


@pytest.fixture
def server(browser, tmp_path, fresh_instance):
    """A running server for a browser test (no browser, no server: the skip comes first)."""
    template, admin_password, token = fresh_instance
    instance = tmp_path / "instance"
    shutil.copytree(template, instance)
    srv = AntrianServer(instance, admin_password, token)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def new_context(browser, server):
    """Opens browser contexts for this test; they close before the server stops."""
    opened = []

    def open_context(**kwargs):
        kwargs.setdefault("viewport", {"width": 1280, "height": 720})
        kwargs.setdefault("locale", "id-ID")
        kwargs.setdefault("timezone_id", "Asia/Jakarta")
        context = browser.new_context(**kwargs)
        context.set_default_timeout(10_000)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


# ---------------------------------------------------------------------------------------------
# The lobby display

# Records every sound the board plays, to check the order and that two never overlap. It only
# watches: HTMLMediaElement.play still plays. The board's silent autoplay probe is left out.
AUDIO_SPY = """
(() => {
  const log = [];
  Object.defineProperty(window, "__antrianAudio", { value: log });
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    if (this.volume === 0) return play.apply(this, arguments);
    const rec = { src: this.src, start: performance.now(), end: null, how: null };
    log.push(rec);
    const done = (e) => { if (rec.end === null) { rec.end = e.timeStamp; rec.how = e.type; } };
    // Capture listeners on the target run before the board's onended starts the next sound.
    this.addEventListener("ended", done, { capture: true });
    this.addEventListener("error", done, { capture: true });
    const p = play.apply(this, arguments);
    p.catch(() => { if (rec.end === null) { rec.end = performance.now(); rec.how = "rejected"; } });
    return p;
  };
})();
"""


def short_wav(ms: int = 60) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * (8000 * ms // 1000))
    return buf.getvalue()


class Display:
    """A lobby board page opened by a test, with its audio log and announcement list."""

    def __init__(self, page, server: AntrianServer):
        self.page = page
        self.server = server
        self.speech_served: list[tuple[str, int, str]] = []

    def counter_code(self, number: int):
        return self.page.locator(f'.counter[data-counter="{number}"] .counter-code')

    def announced(self) -> list[dict]:
        return self.page.evaluate("window.antrianAnnounced")

    def audio(self) -> list[dict]:
        return self.page.evaluate("window.__antrianAudio")

    def wait_announced_code(self, code: str, timeout_ms: int = 5000) -> None:
        self.page.wait_for_function(
            f"window.antrianAnnounced.some(a => a.code === '{code}')", timeout=timeout_ms
        )

    def wait_announced(self, count: int, timeout_ms: int = 5000) -> list[dict]:
        try:
            self.page.wait_for_function(
                f"window.antrianAnnounced.length >= {count}", timeout=timeout_ms
            )
        except PlaywrightTimeout:
            raise AssertionError(
                f"{count} announcements expected within {timeout_ms} ms; the board has:\n"
                f"announced: {self.announced()}\naudio: {self.audio()}"
            ) from None
        return self.announced()

    def wait_sound_done(self, timeout_ms: int = 5000) -> list[dict]:
        """Until the board's announcement queue is empty and the last sound has ended."""
        self.page.wait_for_function(
            "window.antrianBoard.queue.length === 0 && window.__antrianAudio.length > 0"
            " && window.__antrianAudio.every(r => r.end !== null)",
            timeout=timeout_ms,
        )
        return self.audio()

    def mark_loaded(self) -> str:
        """A value that lives only as long as this page load (a reload would lose it)."""
        return self.page.evaluate(
            "window.__testLoadMark = window.__testLoadMark || String(Math.random())"
        )


@pytest.fixture
def open_display(new_context, server):
    """Opens /display/ and waits until its live stream has delivered the snapshot.

    `short_audio=True` answers the chime and the speech WAVs with 60 ms of silence (after
    checking the server really serves the speech file), so a burst of announcements takes well
    under a second instead of ~5 s each; the board still plays them as real audio, in turn.
    """

    def open_it(viewport=None, short_audio=True, context=None) -> Display:
        context = context or new_context(viewport=viewport or {"width": 1280, "height": 720})
        context.add_init_script(AUDIO_SPY)
        page = context.new_page()
        display = Display(page, server)
        if short_audio:
            silence = short_wav()

            def chime(route):
                route.fulfill(status=200, content_type="audio/wav", body=silence)

            def speech(route):
                try:
                    real = route.fetch()
                except Exception:  # the server is down: the board must cope, as without us
                    route.abort("connectionrefused")
                    return
                display.speech_served.append(
                    (route.request.url, real.status, real.headers.get("content-type", ""))
                )
                if not real.ok:  # media asks with Range: 206 is the usual success
                    route.fulfill(response=real)
                else:
                    route.fulfill(status=200, content_type="audio/wav", body=silence)

            page.route("**/display/static/display/chime.wav", chime)
            page.route(re.compile(r"/display/speech/[0-9a-f]{32}\.wav(\?.*)?$"), speech)
        head = server.last_event_id()
        page.goto(server.base + "/display/")
        # Calls made before the snapshot arrives are part of it (shown, not announced).
        page.wait_for_function(
            f"window.antrianBoard && window.antrianBoard.lastEventId() >= {head}", timeout=10_000
        )
        display.load_mark = display.mark_loaded()
        return display

    return open_it
