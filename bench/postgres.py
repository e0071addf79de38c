"""A PostgreSQL for a benchmark: the caller's, or a private throw-away cluster.

with postgres_cluster() as pg:                     # throw-away PostgreSQL 15
    with running_server(database_url=pg.new_database(), workers=4) as srv:
        ...
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench.server import REPO


@dataclass
class PostgresCluster:
    url: str
    owned: bool  # started by us (stopped on exit) or given by the caller

    def new_database(self) -> str:
        """CREATE a fresh, empty database on this cluster and return its URL."""
        import psycopg  # the project's own dependency, in the venv

        name = f"bench_{uuid.uuid4().hex[:10]}"
        parts = urlsplit(self.url)
        admin = parts._replace(scheme="postgresql").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return parts._replace(path=f"/{name}").geturl()


@contextmanager
def postgres_cluster(url: str | None = None) -> Iterator[PostgresCluster]:
    """Use `url` as is, or start a private throw-away cluster with scripts/test_postgres.sh.

    The private cluster gets its own TMPDIR and port, so it never touches a cluster another
    engineer's test run started on the default port.
    """
    if url:
        yield PostgresCluster(url=url, owned=False)
        return
    tmp = Path(tempfile.mkdtemp(prefix="antrian-bench-pg-"))
    tmp.chmod(0o755)  # the cluster runs as OS user postgres, which must reach its directory
    env = dict(os.environ, ANTRIAN_PG_DIR=str(tmp / "cluster"))
    script = REPO / "scripts" / "test_postgres.sh"
    done = subprocess.run(
        ["bash", str(script), "start"], env=env, capture_output=True, text=True, timeout=180
    )
    if done.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise RuntimeError(f"test_postgres.sh start failed:\n{done.stderr}")
    cluster_url = done.stdout.strip().splitlines()[-1]
    try:
        yield PostgresCluster(url=cluster_url, owned=True)
    finally:
        subprocess.run(["bash", str(script), "stop"], env=env, capture_output=True, timeout=120)
        shutil.rmtree(tmp, ignore_errors=True)
