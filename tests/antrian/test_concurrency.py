"""No number issued twice, no ticket called by two counters: real threads, real database."""

from collections import Counter as Tally
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func, select

from antrian import operations as ops
from antrian.models import Call, Event, Ticket
from antrian.seed import add_staff

THREADS = 8
PER_THREAD = 200


def test_eight_threads_issue_1600_tickets_without_a_duplicate_number(db, now):
    def issue_many(worker: int) -> list[str]:
        codes = []
        for i in range(PER_THREAD):
            with db.write() as s:
                service = "AB"[i % 2]
                codes.append(ops.issue_ticket(s, service, None, None, now, print_on=None).code)
        return codes

    with ThreadPoolExecutor(THREADS) as pool:
        codes = [c for batch in pool.map(issue_many, range(THREADS)) for c in batch]

    assert len(codes) == THREADS * PER_THREAD
    duplicates = [c for c, n in Tally(codes).items() if n > 1]
    assert duplicates == []
    # Numbers are dense: A-001..A-800 and B-001..B-800, nothing skipped.
    assert sorted(codes) == sorted(
        [f"A-{n:03d}" for n in range(1, 801)] + [f"B-{n:03d}" for n in range(1, 801)]
    )


def test_eight_counters_drain_1600_tickets_and_never_call_one_twice(db, now):
    with db.write() as s:
        for i in range(THREADS * PER_THREAD):
            ops.issue_ticket(s, "ABCDE"[i % 5], None, None, now, print_on=None)
        for n in range(5, 9):  # counters 5-8 join the default 1-4
            from antrian.models import Counter, Service

            s.add(Counter(number=n, name=f"Loket {n}", services=list(s.scalars(select(Service)))))
        staff = [
            add_staff(s, f"petugas{n}", f"Petugas {n}", "x", "front_office", now) for n in range(8)
        ]

    def drain(counter: int) -> list[int]:
        called = []
        while True:
            try:
                with db.write() as s:
                    called.append(ops.call_next(s, counter, staff[counter - 1], now).id)
            except ops.Conflict:
                return called

    with ThreadPoolExecutor(THREADS) as pool:
        called = [t for batch in pool.map(drain, range(1, 9)) for t in batch]

    assert len(called) == len(set(called)) == THREADS * PER_THREAD
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Call)) == THREADS * PER_THREAD
        waiting = s.scalar(select(func.count()).where(Ticket.status == "waiting"))
    assert waiting == 0


def test_a_new_day_starts_numbering_again_under_concurrency(db, now):
    tomorrow = now + timedelta(days=1)

    def one(at):
        with db.write() as s:
            return ops.issue_ticket(s, "C", None, None, at, print_on=None).code

    with ThreadPoolExecutor(4) as pool:
        today = list(pool.map(one, [now] * 20))
        nextday = list(pool.map(one, [tomorrow] * 20))
    assert sorted(today) == sorted(nextday) == [f"C-{n:03d}" for n in range(1, 21)]


def test_one_idempotency_key_from_two_taps_at_once_gives_one_ticket(db, now):
    barrier = __import__("threading").Barrier(6)

    def tap(_):
        barrier.wait()
        with db.write() as s:
            return ops.issue_ticket(s, "A", None, None, now, idempotency_key="kios-1:77").id

    with ThreadPoolExecutor(6) as pool:
        ids = list(pool.map(tap, range(6)))
    assert len(set(ids)) == 1
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 1


def test_events_commit_in_id_order(db, now):
    """A stream reads 'events after id N': a later id must never commit before an earlier one."""
    import threading

    from antrian.events import record_event

    first_recorded, release_first = threading.Event(), threading.Event()
    committed: list[str] = []

    def slow_writer():
        with db.write() as s:
            record_event(s, "test.slow", now, "test")
            s.flush()
            first_recorded.set()
            release_first.wait(5)
        committed.append("test.slow")

    def fast_writer():
        first_recorded.wait(5)
        with db.write() as s:
            record_event(s, "test.fast", now, "test")
        committed.append("test.fast")

    slow = threading.Thread(target=slow_writer)
    fast = threading.Thread(target=fast_writer)
    slow.start()
    fast.start()
    fast.join(0.5)  # give the fast writer every chance to overtake
    release_first.set()
    slow.join()
    fast.join()
    with db.read() as s:
        by_id = [e.kind for e in s.scalars(select(Event).order_by(Event.id))]
    assert by_id == committed == ["test.slow", "test.fast"]


def test_every_kiosk_of_a_rush_is_told_everyone_before_it(db, now):
    """Issued at once on one service, each ticket's people ahead counts every earlier ticket:
    the count is taken after the issuer before it committed, never from an older snapshot."""

    def issue_many(_worker: int) -> list[tuple[int, int, int]]:
        told = []
        for _ in range(40):
            with db.write() as s:
                t = ops.issue_ticket(s, "A", None, None, now, print_on=None)
                told.append((t.number, t.ahead, t.position))
        return told

    with ThreadPoolExecutor(THREADS) as pool:
        told = sorted(t for batch in pool.map(issue_many, range(THREADS)) for t in batch)

    assert [number for number, _, _ in told] == list(range(1, THREADS * 40 + 1))
    wrong = [(number, ahead) for number, ahead, _ in told if ahead != number - 1]
    assert wrong == []
    assert all(position == number for number, _, position in told)


def test_kiosks_issue_while_counters_call_without_a_deadlock_or_a_double_call(db, now):
    """Issuing takes the event-order lock last and the other operations first: side by side
    they must neither deadlock (PostgreSQL would abort one) nor call a ticket twice."""
    import threading

    with db.write() as s:
        staff = [add_staff(s, f"loket{n}", f"Loket {n}", "x", "front_office", now) for n in (1, 2)]
    issuing_done = threading.Event()

    def issue_many(_worker: int) -> list[int]:
        ids = []
        for i in range(60):
            priority = "elderly" if i % 7 == 0 else None
            with db.write() as s:
                ids.append(ops.issue_ticket(s, "A", priority, None, now).id)
        return ids

    def call_until_drained(counter: int) -> list[int]:
        called = []
        while True:
            try:
                with db.write() as s:
                    called.append(ops.call_next(s, counter, staff[counter - 1], now).id)
            except ops.Conflict:  # nobody waiting
                if issuing_done.is_set():
                    return called

    with ThreadPoolExecutor(6) as pool:
        callers = [pool.submit(call_until_drained, n) for n in (1, 2)]
        try:
            issued = [t for batch in pool.map(issue_many, range(4)) for t in batch]
        finally:
            issuing_done.set()  # the counters stop once the queue is empty
        called = [t for c in callers for t in c.result()]

    assert len(issued) == 240
    assert sorted(called) == sorted(issued)  # each called once, none left behind
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Call)) == 240
