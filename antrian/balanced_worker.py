"""gunicorn's gthread worker, with new connections shared evenly between the workers and a
kept-alive connection's next request served on the thread that served the last one.

Every worker waits on the one listening socket and whichever wakes first accepts, so the 16
keep-alive kiosk connections of a rush landed 13/3 on two workers (bench.issue_tickets
--workers 2): the clients of the busy worker waited twice as long while the other one idled.
Here each worker publishes how many connections it holds in a small table shared by the
processes of one server; a worker holding more than another leaves the new connection to it,
watching the listening socket until the other has taken it. A worker that is stuck or slow to
wake costs at most HANDOFF_SECONDS: the connection is then accepted anyway. Connections are
long-lived (keep-alive, SSE), so this happens once per connection, not per request.

After a request on a kept-alive connection, its thread waits up to HOLD_SECONDS for the next
one instead of handing the connection back to gunicorn's poller (see `handle`).

`antrian serve` wires `pre_fork` and `child_exit` (master side) and the worker class.
"""

from __future__ import annotations

import mmap
import select
import time

from gunicorn.workers.gthread import ThreadWorker

MAX_WORKERS = 64
HANDOFF_SECONDS = 0.02
WATCH_SECONDS = 0.0005
ALIVE_EVERY_SECONDS = 1.0
ABSENT = -1
# A kept-alive connection stays on its thread this long for its next request (see handle).
HOLD_SECONDS = 1.0
HOLD_SLICE_SECONDS = 0.1

# Created when the master imports the worker class, before it forks: every worker of this
# server maps the same memory. One int per worker slot, written only by that worker (its
# connection count) and by the master (a slot handed out or given back).
_table = memoryview(mmap.mmap(-1, 4 * MAX_WORKERS)).cast("i")
for _slot in range(MAX_WORKERS):
    _table[_slot] = ABSENT


def pre_fork(arbiter, worker) -> None:
    """Master: give the worker about to be forked a free slot of the table."""
    taken = {getattr(w, "balance_slot", None) for w in arbiter.WORKERS.values()}
    free = [slot for slot in range(MAX_WORKERS) if slot not in taken]
    worker.balance_slot = free[0] if free else None
    if worker.balance_slot is not None:
        # Not counted until it runs its loop: nobody waits for a worker that is still booting.
        _table[worker.balance_slot] = ABSENT


def child_exit(arbiter, worker) -> None:
    """Master: a worker is gone; the others stop waiting for it."""
    slot = getattr(worker, "balance_slot", None)
    if slot is not None:
        _table[slot] = ABSENT


def another_holds_fewer(table, slot: int | None, mine: int) -> bool:
    """Does another live worker hold fewer connections than our `mine`?"""
    return slot is not None and any(
        ABSENT < count < mine for other, count in enumerate(table) if other != slot
    )


class BalancedThreadWorker(ThreadWorker):
    balance_slot: int | None = None  # set by pre_fork in the master

    def _publish(self) -> None:
        if self.balance_slot is not None:
            _table[self.balance_slot] = self.nr_conns

    _alive_sent = 0.0

    def notify(self) -> None:
        # Called on every turn of the worker's event loop, i.e. for nearly every request:
        # connections closed since are counted at once, but the "alive" stamp for the master
        # (a file's mtime, one syscall) is renewed once a second; it watches for minutes.
        self._publish()
        now = time.monotonic()
        if now - self._alive_sent >= ALIVE_EVERY_SECONDS:
            self._alive_sent = now
            super().notify()

    def accept(self, listener) -> None:
        # The other workers were woken by this connection too. While one of them holds fewer
        # connections, let it accept; once nothing waits to be accepted, it has.
        deadline = time.monotonic() + HANDOFF_SECONDS
        while another_holds_fewer(_table, self.balance_slot, self.nr_conns):
            if time.monotonic() > deadline:
                break  # it is busy or stuck: the client should not wait for it
            waiting, _, _ = select.select([listener], [], [], WATCH_SECONDS)
            if not waiting:
                return
        super().accept(listener)
        self._publish()

    def handle(self, conn):
        # gthread hands a kept-alive connection back to the main thread's poller after every
        # request, and the poller hands its next request to a pool thread: two thread hops,
        # two epoll_ctl and a pipe write per request, each hop a GIL hand-off. A kiosk (or a
        # benchmark client) sends its next request soon, so the thread waits for it itself,
        # in slices, while the worker has a thread for every connection it holds: a held
        # connection never keeps another from a thread.
        keepalive = super().handle(conn)
        held_until = time.monotonic() + HOLD_SECONDS
        while keepalive is True and self.alive:
            if not conn.parser.unreader.buf.getvalue():
                if self.nr_conns > self.cfg.threads or time.monotonic() > held_until:
                    break
                poll = select.poll()  # not select.select: the socket's fd may be above 1023
                poll.register(conn.sock, select.POLLIN)
                if not poll.poll(HOLD_SLICE_SECONDS * 1000):
                    continue
            keepalive = super().handle(conn)
            held_until = time.monotonic() + HOLD_SECONDS
        return keepalive
