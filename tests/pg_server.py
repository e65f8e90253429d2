"""A throwaway PostgreSQL server for the test suite: initdb into a temp dir, start on a free loopback port.

PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` OS user (``runuser``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

CANDIDATE_BIN_DIRS = (
    "/usr/lib/postgresql/15/bin",
    "/usr/lib/postgresql/16/bin",
    "/usr/lib/postgresql/17/bin",
)


def find_bin_dir() -> Path:
    explicit = os.environ.get("JOBATLAS_TEST_PG_BIN")
    candidates = [explicit] if explicit else list(CANDIDATE_BIN_DIRS)
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise RuntimeError(
        "PostgreSQL server binaries not found (looked in "
        f"{', '.join(c for c in candidates if c)}); install them with `apt-get install -y postgresql` "
        "or point JOBATLAS_TEST_PG_BIN at their directory"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class TestPostgres:
    __test__ = False  # a server, not a test class, wherever a test module imports it

    root: Path
    port: int
    bin_dir: Path

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *args], check=True, capture_output=True, text=True, timeout=120)

    @classmethod
    def start(cls) -> TestPostgres:
        bin_dir = find_bin_dir()
        root = Path(tempfile.mkdtemp(prefix="jobatlas-pg-"))
        root.chmod(0o755)
        pgdata = root / "data"
        pgdata.mkdir()
        if os.geteuid() == 0:
            shutil.chown(root, "postgres")
            shutil.chown(pgdata, "postgres")
        server = cls(root=root, port=free_port(), bin_dir=bin_dir)
        server._run(
            str(bin_dir / "initdb"),
            "-D",
            str(pgdata),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-p {server.port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        server._run(
            str(bin_dir / "pg_ctl"),
            "-D",
            str(pgdata),
            "-o",
            options,
            "-l",
            str(root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        return server

    def stop(self) -> None:
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def create_database(server_url: str) -> str:
    """A new, empty database on the server of ``server_url`` (any database URL of it); returns its URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'create database "{name}"'))
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def seeded_database(server_url: str, seed: Callable[[sa.Engine], None]) -> str:
    """A new database on the server, migrated to the newest schema and filled by ``seed``; returns its URL."""
    from pipeline.store import migrate
    from pipeline.store.database import create_store_engine

    url = create_database(server_url)
    engine = create_store_engine(url)
    try:
        migrate.upgrade(engine)
        seed(engine)
    finally:
        engine.dispose()
    return url
