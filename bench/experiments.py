"""Diagnostics only: `antrian serve` with bench-local monkeypatches that prototype a fix.

Nothing here changes the project's code on disk; each patch replaces a function in memory in
the server process (gunicorn forks workers after the patches are applied) and in the printer
process (started through this module with the same patches), so a benchmark can
compare "as is" with "as the recommendation would behave". The real fix belongs in the file
and function named in each patch's docstring.

    .venv/bin/python -m bench.experiments --patch no_peer_wake,spool_stats serve --port 8000

Patches (the prototypes of session 1, writer_lock, sse_feed, pg_order and gc_freeze, are gone:
what they tried is now in the project's code):
  switch_interval, no_autocheckpoint, no_checkpointer, no_spooler, no_peer_wake
               what the GIL switch interval, the WAL checkpoint and the print spooler cost
               (each docstring says what it removes)
  spool_stats  diagnostics: each spooler batch's size, to $TMPDIR/spool-<pid>.log
  gc_stats     diagnostics: each garbage collection's generation and time, per process,
               to $TMPDIR/gc-<pid>.log
  timeline     diagnostics: when each print batch and WAL checkpoint ran, per process,
               to $TMPDIR/timeline-<pid>.log
  lock_stats   diagnostics: each wait for and hold of the SQLite file lock, per process,
               to $TMPDIR/lock-<pid>.log
  gated_worker prototype: the admission slot taken before gunicorn parses (no clear gain)
  nice_printer prototype: the printing child at nice 10 (web workers first on a busy CPU;
               within the noise, and it risks the printer holding the write lock while it
               waits for a CPU)
  fixed_batches  antrian/printing/spooler.py: batches of 20 whatever the printer's pace
  mmap         prototype: SQLite reads the database file through mmap (no gain)
  no_gc        diagnostics: the cyclic garbage collector off (the tail did not change)
  no_ring_gather  antrian/peer_wake.py: answer a ring at once (no 5 ms gather)
  no_hold      antrian/balanced_worker.py: kept-alive connections back to the poller after
               every request (plain gthread)
"""

from __future__ import annotations

import sys


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


def patch_lock_stats() -> None:
    """Diagnostics: how long each process waits for and holds the SQLite file lock
    (antrian/db.py `ProcessWriteLock`); one line per hold, "<wait_ms> <hold_ms> <monotonic>
    <holder's CPU ms during the hold>",
    to $TMPDIR/lock-<pid>.log, written in blocks of 20."""
    import os
    import tempfile
    import time

    from antrian.db import ProcessWriteLock

    acquire, release = ProcessWriteLock.acquire, ProcessWriteLock.release
    rows: list[str] = []

    def timed_acquire(self):
        asked = time.perf_counter()
        acquire(self)
        self._stats_got = time.perf_counter()
        self._stats_cpu = time.thread_time()
        self._stats_waited = self._stats_got - asked

    def timed_release(self):
        release(self)
        now = time.perf_counter()
        got = getattr(self, "_stats_got", now)
        cpu = time.thread_time() - getattr(self, "_stats_cpu", time.thread_time())
        rows.append(
            f"{1000 * self._stats_waited:.3f} {1000 * (now - got):.3f} {now:.4f} {1000 * cpu:.3f}\n"
        )
        if len(rows) >= 20:
            path = os.path.join(tempfile.gettempdir(), f"lock-{os.getpid()}.log")
            with open(path, "a") as f:
                f.writelines(rows)
            rows.clear()

    ProcessWriteLock.acquire, ProcessWriteLock.release = timed_acquire, timed_release


def patch_timeline() -> None:
    """Diagnostics: when each print batch and each WAL checkpoint ran, per process, as
    "<kind> <start monotonic s> <end monotonic s> <size>" lines in $TMPDIR/timeline-<pid>.log
    (to set beside the bench's slow requests: do they fall in one of these?)."""
    import os
    import tempfile
    import time

    import antrian.db as dbm
    from antrian.printing.spooler import Spooler

    def log(kind: str, start: float, size) -> None:
        path = os.path.join(tempfile.gettempdir(), f"timeline-{os.getpid()}.log")
        with open(path, "a") as f:
            f.write(f"{kind} {start:.4f} {time.monotonic():.4f} {size}\n")

    print_batch, checkpoint = Spooler.print_batch, dbm.WalCheckpointer.checkpoint

    def timed_batch(self, name):
        start = time.monotonic()
        batch = print_batch(self, name)
        if batch.claimed:
            log("print", start, batch.printed)
        return batch

    def timed_checkpoint(self):
        start = time.monotonic()
        result = checkpoint(self)
        log("checkpoint", start, result[2])
        return result

    Spooler.print_batch, dbm.WalCheckpointer.checkpoint = timed_batch, timed_checkpoint


def patch_no_peer_wake() -> None:
    """antrian/peer_wake.py `PeerWake.ring`: other workers are not told of new events."""
    from antrian.peer_wake import PeerWake

    PeerWake.ring = lambda self, events, printers=(): None


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


def patch_fixed_batches() -> None:
    """antrian/printing/spooler.py `Spooler.batch_size`: always 20 slips, whatever the
    printer's pace (as before the batches followed the pace)."""
    from antrian.printing import spooler

    spooler.Spooler.batch_size = lambda self, name: spooler.BATCH


def patch_no_ring_gather() -> None:
    """antrian/peer_wake.py: a process answers a ring at once (no 5 ms gather of the next)."""
    from antrian import peer_wake

    peer_wake.GATHER_SECONDS = 0.0


def patch_no_hold() -> None:
    """antrian/balanced_worker.py: a kept-alive connection goes back to gunicorn's poller after
    every request (plain gthread) instead of waiting on its thread for the next one."""
    from antrian import balanced_worker

    balanced_worker.HOLD_SECONDS = 0.0


def patch_no_gc() -> None:
    """Diagnostics: the cyclic garbage collector off in every process (do stalls go away?)."""
    import gc

    gc.disable()
    original = gc.freeze

    def freeze():
        original()
        gc.disable()

    gc.freeze = freeze


def patch_gc_stats() -> None:
    """Diagnostics: every cyclic garbage collection, "<generation> <wall ms> <collected>
    <thread CPU ms> <objects tracked after a full one> <monotonic s>", to
    $TMPDIR/gc-<pid>.log (written every 50 collections and after a full one)."""
    import gc
    import os
    import tempfile
    import time

    started: list[float] = [0.0, 0.0]
    rows: list[str] = []

    def on_gc(phase, info):
        if phase == "start":
            started[:] = time.perf_counter(), time.thread_time()
            return
        rows.append(
            f"{info['generation']} {1000 * (time.perf_counter() - started[0]):.3f} "
            f"{info['collected']} {1000 * (time.thread_time() - started[1]):.3f} "
            f"{len(gc.get_objects()) if info['generation'] == 2 else '-'} "
            f"{time.monotonic():.3f}\n"
        )
        if len(rows) >= 50 or info["generation"] == 2:
            with open(os.path.join(tempfile.gettempdir(), f"gc-{os.getpid()}.log"), "a") as f:
                f.writelines(rows)
            rows.clear()

    gc.callbacks.append(on_gc)


PATCHES = {
    "gc_stats": patch_gc_stats,
    "timeline": patch_timeline,
    "no_ring_gather": patch_no_ring_gather,
    "fixed_batches": patch_fixed_batches,
    "mmap": patch_mmap,
    "no_gc": patch_no_gc,
    "no_hold": patch_no_hold,
    "lock_stats": patch_lock_stats,
    "nice_printer": patch_nice_printer,
    "gated_worker": patch_gated_worker,
    "no_peer_wake": patch_no_peer_wake,
    "spool_stats": patch_spool_stats,
    "no_checkpointer": patch_no_checkpointer,
    "no_spooler": patch_no_spooler,
    "no_autocheckpoint": patch_no_autocheckpoint,
    "switch_interval": patch_switch_interval,
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
