"""The printing package in a fresh interpreter: escpos quirks handled, no web imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROBE = """
import json, logging, os, sys
import hardware.printing
from hardware.printing import render_bytes
root = logging.getLogger()
print(json.dumps({
    "pickle_dir": os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR"),
    "handlers": len(root.handlers),
    "format": root.handlers[0].formatter._fmt if root.handlers else None,
    "web": sorted(m for m in sys.modules if m.split(".")[0] in ("flask", "antrian")),
}))
"""


def _probe(env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(out.stdout)


def test_fresh_import_sets_the_pickle_dir_and_logging_first() -> None:
    env = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    seen = _probe(env)
    assert seen["pickle_dir"].startswith(tempfile.gettempdir())
    assert "antrian-escpos" in seen["pickle_dir"]
    assert any(p.name.endswith(".capabilities.pickle") for p in Path(seen["pickle_dir"]).iterdir())
    assert seen["handlers"] == 1 and "%(asctime)s" in seen["format"]  # ours, not escpos' bare one
    assert seen["web"] == []  # the hardware layer never pulls in Flask or the core


def test_an_explicit_pickle_dir_is_respected(tmp_path: Path) -> None:
    seen = _probe({**os.environ, "ESCPOS_CAPABILITIES_PICKLE_DIR": str(tmp_path)})
    assert seen["pickle_dir"] == str(tmp_path)
    assert list(tmp_path.glob("*.capabilities.pickle"))
