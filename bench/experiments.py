"""Diagnostics only: `antrian serve` with bench-local monkeypatches that prototype a fix.

Nothing here changes the project's code on disk; each patch replaces a function in memory in
the server process (gunicorn forks workers after the patches are applied) and in the printer
process (started through this module with the same patches), so a benchmark can
compare "as is" with "as the recommendation would behave". The real fix belongs in the file
and function named in each patch's docstring.

    .venv/bin/python -m bench.experiments --patch writer_lock,sse_feed serve --port 8000

Patches:
  writer_lock  antrian/db.py `_tune_sqlite`: one in-process lock in front of BEGIN IMMEDIATE
  sse_feed     antrian/streaming.py `sse_response.generate` + antrian/events.py `events_after`:
               one shared in-memory event feed per process instead of 2 DB reads per display
               per event; queue_display/blueprint.py `speech_url`: no espeak-ng inside the
               stream (the key is a hash; synthesis runs once, in the background)
  pg_order     antrian/events.py `record_event`: pg_advisory_xact_lock before inserting an
               event, so event ids are committed in id order on PostgreSQL
  switch_interval, no_autocheckpoint, no_checkpointer, no_spooler, no_peer_wake
               what the GIL switch interval, the WAL checkpoint and the print spooler cost
               (each docstring says what it removes)
  spool_stats  diagnostics: each spooler batch's size, to $TMPDIR/spool-<pid>.log
  gc_freeze    what `serve` now does (gc.freeze after start-up)
  gated_worker prototype: the admission slot taken before gunicorn parses (no clear gain)
  nice_printer prototype: the printing child at nice 10 (web workers first on a busy CPU;
               within the noise, and it risks the printer holding the write lock while it
               waits for a CPU)
  big_batches  prototype: spooler batches of 50 gathered for 0.25 s (no gain)
  mmap         prototype: SQLite reads the database file through mmap (no gain)
  no_gc        diagnostics: the cyclic garbage collector off (the tail did not change)
"""

from __future__ import annotations

import sys
import threading
from types import SimpleNamespace


def patch_writer_lock() -> None:
    """antrian/db.py `_tune_sqlite`: queue writers on a threading.Lock taken just before
    BEGIN IMMEDIATE and released when the connection goes back to the pool (after COMMIT or
    ROLLBACK), so threads of one process never meet SQLite's busy handler, which sleeps 1, 2,
    5, 10 ... 100 ms between retries and is not fair."""
    from sqlalchemy import event

    import antrian.db as dbm

    original = dbm._tune_sqlite

    def tuned(engine):
        original(engine)
        lock = threading.Lock()

        # The project's "begin" listener runs BEGIN IMMEDIATE; wrap it so the lock comes first.
        originals = [f for f in engine.dispatch.begin if f.__name__ == "_on_begin"]
        for fn in originals:
            event.remove(engine, "begin", fn)

        def _on_begin(conn):
            if not conn.get_execution_options().get(dbm.READ_ONLY) and not conn.info.get(
                "bench_wlock"
            ):
                lock.acquire()
                conn.info["bench_wlock"] = True
            for fn in originals:
                fn(conn)

        def _release(_dbapi_conn, record):
            if record.info.pop("bench_wlock", False):
                lock.release()

        event.listen(engine, "begin", _on_begin)
        event.listen(engine, "checkin", _release)

    dbm._tune_sqlite = tuned


class _Feed:
    """The newest events of this process, read from the database once per wake-up."""

    KEEP = 2000

    def __init__(self, notifier, read_events):
        self.notifier = notifier
        self.read_events = read_events
        self.lock = threading.Lock()
        self.seq = None
        self.floor = None  # every event with id > floor is in self.events
        self.events: list = []

    def after(self, session, last_id: int, limit: int = 500):
        seq = self.notifier.seq  # read before the query: a later commit forces a new read
        with self.lock:
            if self.floor is None:
                self.floor = last_id
            if seq != self.seq and last_id >= self.floor:
                start = self.events[-1].id if self.events else self.floor
                for ev in self.read_events(session, start, limit=self.KEEP):
                    self.events.append(SimpleNamespace(id=ev.id, kind=ev.kind, data=ev.data))
                if len(self.events) > self.KEEP:
                    self.floor = self.events[-self.KEEP - 1].id
                    del self.events[: -self.KEEP]
                self.seq = seq
            if last_id >= self.floor:
                return [ev for ev in self.events if ev.id > last_id][:limit]
        return self.read_events(session, last_id, limit)  # an old cursor: straight from the log


def patch_sse_feed() -> None:
    from flask import current_app

    import antrian.streaming as streaming
    import queue_display.blueprint as board

    original_events_after = streaming.events_after
    feeds: dict[int, _Feed] = {}
    feeds_lock = threading.Lock()

    def events_after(session, last_id, limit=500):
        notifier = current_app.extensions["antrian.notifier"]
        with feeds_lock:
            feed = feeds.get(id(notifier))
            if feed is None:
                feed = feeds[id(notifier)] = _Feed(notifier, original_events_after)
        return feed.after(session, last_id, limit)

    streaming.events_after = events_after

    # Speech: the URL only needs the key (a hash of voice + text); synthesize in the background.
    pending: set[str] = set()
    pending_lock = threading.Lock()

    def speech_url(text: str, lang: str):
        cache = board.speech_cache()
        if not cache.available:
            return None
        key = cache.key(text, lang)
        if not cache.path_for(key).exists():
            with pending_lock:
                start = key not in pending
                pending.add(key)
            if start:
                threading.Thread(target=cache.synthesize, args=(text, lang), daemon=True).start()
        return f"/display/speech/{key}.wav"

    board.speech_url = speech_url

    # One formatted message per (event, language), shared by every display of the process.
    original_call_message = board.call_message
    cache: dict = {}

    def call_message(event_id, data, kind, lang):
        key = (event_id, kind, lang)
        msg = cache.get(key)
        if msg is None:
            msg = cache[key] = original_call_message(event_id, data, kind, lang)
            if len(cache) > 4096:
                cache.clear()
        return dict(msg)

    board.call_message = call_message


def patch_pg_order() -> None:
    """antrian/events.py `record_event`: on PostgreSQL take a transaction-scoped advisory lock
    before inserting the event, so transactions that write events commit in event-id order
    and a stream that has read id N can never later miss an id < N."""
    from sqlalchemy import func, select

    import antrian.events as events

    original = events.record_event

    def record_event(session, kind, now, actor, **kw):
        if session.get_bind().dialect.name == "postgresql":
            session.execute(select(func.pg_advisory_xact_lock(0x616E7472)))  # "antr"
        return original(session, kind, now, actor, **kw)

    events.record_event = record_event
    # Modules that did `from antrian.events import record_event` hold the old function.
    import antrian.operations.calls  # noqa: F401
    import antrian.operations.tickets  # noqa: F401
    import antrian.printing.spooler  # noqa: F401

    for module in list(sys.modules.values()):
        if getattr(module, "record_event", None) is original:
            module.record_event = record_event


def patch_switch_interval() -> None:
    """antrian/cli.py `serve`: a shorter GIL switch interval (0.5 ms instead of 5 ms), so a
    request thread coming back from SQLite waits less for the interpreter."""
    sys.setswitchinterval(0.0005)


def patch_no_autocheckpoint() -> None:
    """antrian/db.py `_tune_sqlite`: no WAL auto-checkpoint in the committing writer (what a
    background checkpointer would allow)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _connect(dbapi_conn, _record):
        if type(dbapi_conn).__module__.startswith("sqlite3"):
            dbapi_conn.execute("PRAGMA wal_autocheckpoint=0")


def patch_mmap() -> None:
    """antrian/db.py `_tune_sqlite`: SQLite reads the database file through mmap (256 MB), so a
    connection whose page cache another writer made stale re-reads pages without syscalls."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _connect(dbapi_conn, _record):
        if type(dbapi_conn).__module__.startswith("sqlite3"):
            dbapi_conn.execute("PRAGMA mmap_size=268435456")


def patch_no_checkpointer() -> None:
    """antrian/db.py `WalCheckpointer`: not started (the writer's fallback checkpoint only)."""
    import antrian.db as dbm

    dbm.WalCheckpointer.start = lambda self: None


def patch_no_spooler() -> None:
    """antrian/printing/spooler.py `Spooler.start`: jobs are written but nothing prints."""
    from antrian.printing.spooler import Spooler

    Spooler.start = lambda self: None


def patch_spool_stats() -> None:
    """Diagnostics: append each batch's (printer, claimed, printed) to $TMPDIR/spool-<pid>.log."""
    import os
    import tempfile

    from antrian.printing.spooler import Spooler

    original = Spooler.print_batch

    def counted(self, name):
        batch = original(self, name)
        path = os.path.join(tempfile.gettempdir(), f"spool-{os.getpid()}.log")
        with open(path, "a") as f:
            f.write(f"{name} {batch.claimed} {batch.printed}\n")
        return batch

    Spooler.print_batch = counted


def patch_no_peer_wake() -> None:
    """antrian/peer_wake.py `PeerWake.ring`: other workers are not told of new events."""
    from antrian.peer_wake import PeerWake

    PeerWake.ring = lambda self, events, printers=(): None


def patch_gc_freeze() -> None:
    """antrian/__init__.py `create_app`: gc.freeze() once the app is built, so the collector's
    full passes skip the (long-lived) objects of the app and its libraries."""
    import gc

    import antrian

    original = antrian.create_app

    def create_app(*args, **kwargs):
        app = original(*args, **kwargs)
        gc.collect()
        gc.freeze()
        return app

    antrian.create_app = create_app


def patch_gated_worker() -> None:
    """Prototype: gunicorn's gthread worker takes the app's admission slot before it parses a
    request (not only around the view), so at most `slots` threads of the process do Python
    work at once. Unsafe as is: a slow client would hold a slot while it sends its headers."""
    import threading

    from gunicorn.workers.gthread import ThreadWorker

    import antrian.admission as adm

    local = threading.local()
    original_call = adm.AdmissionMiddleware.__call__
    original_handle = ThreadWorker.handle

    def call(self, environ, start_response):
        local.gate = self.gate
        if getattr(local, "held", False):
            try:
                return self.app(environ, start_response)
            finally:
                local.held = False
                self.gate.release()
        return original_call(self, environ, start_response)

    def handle(self, conn):
        gate = getattr(local, "gate", None) or _find_gate(self.wsgi)
        if gate is None:
            return original_handle(self, conn)
        local.gate = gate
        gate.acquire()
        local.held = True
        try:
            return original_handle(self, conn)
        finally:
            if local.held:
                local.held = False
                gate.release()

    def _find_gate(app):
        middleware = getattr(app, "wsgi_app", None)
        return getattr(middleware, "gate", None)

    adm.AdmissionMiddleware.__call__ = call
    ThreadWorker.handle = handle


def patch_nice_printer() -> None:
    """antrian/print_process.py `run`: the printing child at nice 10, below the web workers."""
    import os

    from antrian import print_process

    original = print_process.run

    def run(*args, **kwargs):
        os.nice(10)
        return original(*args, **kwargs)

    print_process.run = run


def patch_big_batches() -> None:
    """antrian/printing/spooler.py: batches of up to 50 slips gathered for 0.25 s (fewer claim
    and 'done' writes in a rush; the first slip after a quiet spell still prints at once)."""
    from antrian.printing import spooler

    spooler.BATCH = 50
    spooler.GATHER_SECONDS = 0.25
    spooler.Spooler.claim.__defaults__ = (50,)


def patch_no_ring_gather() -> None:
    """antrian/peer_wake.py: a process answers a ring at once (no 5 ms gather of the next)."""
    from antrian import peer_wake

    peer_wake.GATHER_SECONDS = 0.0


def patch_no_gc() -> None:
    """Diagnostics: the cyclic garbage collector off in every process (do stalls go away?)."""
    import gc

    gc.disable()
    original = gc.freeze

    def freeze():
        original()
        gc.disable()

    gc.freeze = freeze


PATCHES = {
    "no_ring_gather": patch_no_ring_gather,
    "big_batches": patch_big_batches,
    "mmap": patch_mmap,
    "no_gc": patch_no_gc,
    "nice_printer": patch_nice_printer,
    "gated_worker": patch_gated_worker,
    "gc_freeze": patch_gc_freeze,
    "no_peer_wake": patch_no_peer_wake,
    "spool_stats": patch_spool_stats,
    "no_checkpointer": patch_no_checkpointer,
    "no_spooler": patch_no_spooler,
    "no_autocheckpoint": patch_no_autocheckpoint,
    "switch_interval": patch_switch_interval,
    "writer_lock": patch_writer_lock,
    "sse_feed": patch_sse_feed,
    "pg_order": patch_pg_order,
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 2 or argv[0] != "--patch":
        raise SystemExit(__doc__)
    names = [n for n in argv[1].split(",") if n]
    for name in names:
        PATCHES[name]()
    from antrian import print_process

    # The printer process (and its child) run the same patches.
    print_process.CLI_COMMAND = [sys.executable, "-m", "bench.experiments", "--patch", argv[1]]
    print(f"bench.experiments: patched {', '.join(names)}", file=sys.stderr, flush=True)
    from antrian.cli import main as cli

    cli(args=argv[2:], prog_name="antrian")


if __name__ == "__main__":
    main()
