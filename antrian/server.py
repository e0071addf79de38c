"""`antrian serve`: the web server the office runs.

Twisted's reactor reads every request off its socket and hands it to a thread of the pool only
once it has arrived whole (twisted.web.wsgi). A client that sends half a header (or nothing)
therefore holds a file descriptor, not a thread: a thousand of them cannot keep the kiosk and
the desks from being served, and an idle or unfinished connection is closed after
IDLE_SECONDS. A thread hands each write to the reactor and waits only until the reactor has
taken it, never for a slow client's socket (a rush costs a thread switch per write). Each open
event stream (display, desk) holds a thread for as long as it streams; their caps
(antrian/streaming.py) leave REQUEST_THREADS for everything else. A stream whose client has
gone ends at its next write (a heartbeat at most).

SQLite runs as one process: its writers take turns anyway, and the print spooler and the
serial devices are threads of it. PostgreSQL may run several processes on one listening
socket (`--workers N`): they hear each other's events through LISTEN/NOTIFY and one of them,
chosen by an advisory lock, runs the printers and serial ports (antrian/background.py). This
process then only starts the workers and starts again any that dies.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import resource
import signal
import socket
import threading
import time

from flask import Flask

from antrian.config import Settings

log = logging.getLogger("antrian.server")

IDLE_SECONDS = 10  # an idle connection, or a request not whole by then, is closed
REQUEST_THREADS = 32  # threads left for plain requests beside the event streams
RESTART_PAUSE_SECONDS = 1.0
STOP_SECONDS = 10.0  # then workers that did not stop on SIGTERM are killed


class StartupError(Exception):
    """A setting the office must fix before the server can start; the message says which."""


def listening_socket(host: str, port: int) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _name, address = infos[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        raise StartupError(
            f"Alamat {host}:{port} tidak dapat dipakai ({exc.strerror or exc}): port sudah "
            "dipakai program lain? Pilih port lain dengan --port (make run PORT=...) "
            "atau alamat lain dengan --host (make run HOST=...)."
        ) from exc
    sock.listen(1024)
    return sock


def stream_threads(app: Flask) -> int:
    return app.config["DISPLAY_STREAMS"] + app.config["STAFF_STREAMS"]


def run_twisted(app: Flask, sock: socket.socket, threads: int | None = None) -> None:
    """Serve `app` on `sock` until SIGTERM or SIGINT."""
    from twisted.internet import reactor
    from twisted.logger import STDLibLogObserver, globalLogBeginner
    from twisted.python.threadpool import ThreadPool
    from twisted.web.server import Site
    from twisted.web.wsgi import WSGIResource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:  # a thousand idle clients need a thousand descriptors
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # Twisted's own messages go to the same log as ours (until this call it holds its first
    # ones back); its line per request is not worth a line in the journal, its errors are.
    globalLogBeginner.beginLoggingTo([STDLibLogObserver(name="twisted")], redirectStandardIO=False)
    logging.getLogger("twisted").setLevel(logging.WARNING)
    # What start-up built (the app, SQLAlchemy, Flask: ~95,000 objects) lives as long as the
    # process: kept out of the collector's full passes, each of which would stall every request
    # for tens of milliseconds in a rush.
    gc.collect()
    gc.freeze()
    size = threads or stream_threads(app) + REQUEST_THREADS
    pool = ThreadPool(minthreads=0, maxthreads=size, name="wsgi")  # threads made as needed
    # Daemon threads: an event stream's thread waits for its next event, and must not keep the
    # process alive once the reactor, which carries its writes, has stopped.
    pool.threadFactory = functools.partial(threading.Thread, daemon=True)
    pool.start()
    site = Site(WSGIResource(reactor, pool, app), timeout=IDLE_SECONDS)
    site.displayTracebacks = False
    sock.setblocking(False)  # as adoptStreamPort requires; workers share it
    reactor.adoptStreamPort(sock.fileno(), sock.family, site)
    host, port = sock.getsockname()[:2]
    sock.close()  # the reactor listens on its own copy
    stop = app.extensions["antrian.stop"]

    def on_shutdown() -> None:
        stop.set()
        background = app.extensions.get("antrian.background")
        if background is not None:
            background.stop()

    reactor.addSystemEventTrigger("before", "shutdown", on_shutdown)
    log.info("Melayani di http://%s:%d", host, port)
    reactor.run()  # stops on SIGTERM and SIGINT


def serve(settings: Settings, host: str, port: int, workers: int, threads: int | None) -> None:
    from antrian import create_app

    if settings.is_sqlite and workers > 1:
        log.warning(
            "SQLite dilayani satu proses (--workers %d diabaikan): untuk beberapa proses "
            "pakai PostgreSQL (ANTRIAN_DATABASE_URL).",
            workers,
        )
        workers = 1
    sock = listening_socket(host, port)
    if workers <= 1:
        run_twisted(create_app(settings), sock, threads)
        return
    # python-escpos writes its capabilities cache on first import, not atomically: import it
    # once here, before forking, so no worker reads a half-written file.
    import hardware.printing  # noqa: F401

    Workers(lambda: run_twisted(create_app(settings), sock, threads), workers).run()


class Workers:
    """Keeps `count` forked processes running `target`; stops them on SIGTERM/SIGINT."""

    def __init__(self, target, count: int) -> None:
        self.target = target
        self.count = count
        self.pids: set[int] = set()
        self.stopping = False

    def run(self) -> None:
        def on_signal(*_args) -> None:
            self.stopping = True
            for pid in self.pids:
                _signal(pid, signal.SIGTERM)
            threading.Timer(STOP_SECONDS, self._kill_all).start()

        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, on_signal)
        for _ in range(self.count):
            self._spawn()
        while self.pids:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            self.pids.discard(pid)
            if not self.stopping:
                log.error("Proses %d berhenti (%s); dijalankan lagi", pid, _describe(status))
                time.sleep(RESTART_PAUSE_SECONDS)
                if not self.stopping:
                    self._spawn()

    def _kill_all(self) -> None:
        for pid in list(self.pids):
            _signal(pid, signal.SIGKILL)

    def _spawn(self) -> None:
        master = os.getpid()
        pid = os.fork()
        if pid:
            self.pids.add(pid)
            return
        code = 0
        try:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, signal.SIG_DFL)
            threading.Thread(target=_exit_with, args=(master,), daemon=True).start()
            self.target()
        except BaseException:  # noqa: BLE001 - a forked child must never return to the loop
            log.exception("Proses pekerja gagal")
            code = 1
        finally:
            logging.shutdown()
            os._exit(code)


def _exit_with(master: int) -> None:
    """A worker whose master was killed outright (no signal handler ran) ends too."""
    while os.getppid() == master:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"sinyal {os.WTERMSIG(status)}"
    return f"kode {os.waitstatus_to_exitcode(status)}"
