"""The wake-up sockets between processes on one SQLite file carry what a commit wrote."""

from __future__ import annotations

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


def test_another_process_hears_whether_events_were_written_and_which_printers_got_jobs(
    tmp_path,
):
    database = str(tmp_path / "antrian.sqlite3")
    child = subprocess.Popen(
        [sys.executable, "-c", LISTENER, database],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    stop = threading.Event()
    heard_here: list[tuple[bool, frozenset[str]]] = []
    me = PeerWake(database, lambda events, printers: heard_here.append((events, printers)), stop)
    me.start()
    try:
        assert child.stdout.readline().strip() == "ready"
        me.ring(True, ())  # a call: screens look again, no printer has anything new
        me.ring(False, {"kiosk"})  # a reprint on the kiosk printer only
        me.ring(True, {"loket", "kiosk"})  # a ticket and a receipt in one commit
        lines = [child.stdout.readline().strip() for _ in range(3)]
        assert lines == ["True -", "False kiosk", "True kiosk,loket"]
        time.sleep(0.2)
        assert heard_here == []  # a process does not wake itself
    finally:
        stop.set()
        child.stdin.close()
        child.wait(timeout=10)
