"""The wake-up sockets between processes on one SQLite file carry what a commit wrote."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time

from antrian.peer_wake import PeerWake

LISTENER = """
import sys, threading
from antrian.peer_wake import PeerWake
stop = threading.Event()
def heard(events, printers):
    print(events, ",".join(sorted(printers)) or "-", flush=True)
PeerWake(sys.argv[1], heard, stop).start()
print("ready", flush=True)
sys.stdin.read()  # until the test closes our stdin
"""


def start_listener(database: str) -> subprocess.Popen:
    """Another process on the database, printing each wake-up it hears as a line."""
    return subprocess.Popen(
        [sys.executable, "-c", LISTENER, database],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )


def line_from(child: subprocess.Popen, timeout: float = 5.0) -> str:
    """The child's next line, or "" if it says nothing in time (a lost wake-up)."""
    if not hasattr(child, "lines"):
        child.lines = queue.Queue()
        threading.Thread(
            target=lambda: [child.lines.put(line.strip()) for line in child.stdout], daemon=True
        ).start()
    try:
        return child.lines.get(timeout=timeout)
    except queue.Empty:
        return ""


def test_another_process_hears_whether_events_were_written_and_which_printers_got_jobs(
    tmp_path,
):
    database = str(tmp_path / "antrian.sqlite3")
    child = start_listener(database)
    stop = threading.Event()
    heard_here: list[tuple[bool, frozenset[str]]] = []
    me = PeerWake(database, lambda events, printers: heard_here.append((events, printers)), stop)
    me.start()
    try:
        assert line_from(child) == "ready"
        me.ring(True, ())  # a call: screens look again, no printer has anything new
        assert line_from(child) == "True -"
        me.ring(False, {"kiosk"})  # a reprint on the kiosk printer only
        assert line_from(child) == "False kiosk"
        me.ring(True, {"loket", "kiosk"})  # a ticket and a receipt in one commit
        assert line_from(child) == "True kiosk,loket"
        # Rings that queue up while the process is busy are answered as one wake-up.
        me.ring(False, {"loket"})
        me.ring(True, ())
        heard = line_from(child)
        assert heard == "True loket" or [heard, line_from(child)] == ["False loket", "True -"]
        time.sleep(0.2)
        assert heard_here == []  # a process does not wake itself
    finally:
        stop.set()
        child.stdin.close()
        child.wait(timeout=10)


def test_a_process_started_after_a_ring_hears_the_next_one(tmp_path):
    database = str(tmp_path / "antrian.sqlite3")
    stop = threading.Event()
    me = PeerWake(database, lambda *_: None, stop)
    me.start()
    me.ring(True, ())  # nobody else yet: the folder is read and remembered
    child = start_listener(database)
    try:
        assert line_from(child) == "ready"
        me.ring(False, {"kiosk"})  # at once, not after a re-read on a timer
        assert line_from(child) == "False kiosk"
    finally:
        stop.set()
        child.stdin.close()
        child.wait(timeout=10)
