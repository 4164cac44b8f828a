"""A throwaway PostgreSQL cluster for tests, started from the server binaries on this machine.

PostgreSQL refuses to run as root, so as root every server command runs as the `postgres`
user through `runuser`; as anyone else it runs directly.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

# Overrides the search below, e.g. POSTGRES_BIN_DIR=/usr/lib/postgresql/16/bin.
BIN_DIR_ENV = "POSTGRES_BIN_DIR"
# Debian's layout: one folder per major version, several may be installed side by side.
DEBIAN_ROOT = Path("/usr/lib/postgresql")
SERVER_USER = "postgres"
COMMAND_TIMEOUT_S = 120


class PostgresUnavailableError(RuntimeError):
    """The PostgreSQL server binaries are not installed (or not where we look)."""


def find_bin_dir() -> Path:
    """Folder holding `initdb` and `pg_ctl`: $POSTGRES_BIN_DIR, newest Debian version, or PATH."""
    if override := os.environ.get(BIN_DIR_ENV):
        candidates = [Path(override)]
    else:
        versions = DEBIAN_ROOT.glob("*/bin") if DEBIAN_ROOT.is_dir() else []
        # Newest major version first; numeric so that 10 sorts after 9.
        candidates = sorted(versions, key=_major_version, reverse=True)
        if initdb := shutil.which("initdb"):
            candidates.append(Path(initdb).resolve().parent)
    for candidate in candidates:
        if (candidate / "initdb").is_file() and (candidate / "pg_ctl").is_file():
            return candidate
    msg = (
        "PostgreSQL server binaries (initdb, pg_ctl) not found under "
        f"{DEBIAN_ROOT}/<version>/bin or on PATH; install the `postgresql` package "
        f"or set {BIN_DIR_ENV}."
    )
    raise PostgresUnavailableError(msg)


def _major_version(bin_dir: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", bin_dir.parent.name)) or (0,)


def free_port() -> int:
    """A loopback port that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """One running cluster: where it listens, how to log in, and how to stop it."""

    bin_dir: Path
    base_dir: Path
    port: int
    password: str
    host: str = "127.0.0.1"
    user: str = "postgres"
    database: str = "postgres"
    run_as: str | None = field(default=None, repr=False)  # `postgres` when we are root

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base_dir / "socket"

    @property
    def log_file(self) -> Path:
        return self.base_dir / "server.log"

    def target_postgres_env(self, schema: str) -> dict[str, str]:
        """Environment variables that point Meltano's target-postgres at this cluster."""
        return {
            "TARGET_POSTGRES_HOST": self.host,
            "TARGET_POSTGRES_PORT": str(self.port),
            "TARGET_POSTGRES_USER": self.user,
            "TARGET_POSTGRES_PASSWORD": self.password,
            "TARGET_POSTGRES_DATABASE": self.database,
            "TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA": schema,
        }

    def connect(
        self, database: str | None = None, *, autocommit: bool = True
    ) -> psycopg.Connection:
        """A new psycopg connection over TCP to `database` (default: the server's own); close it."""
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=database or self.database,
            autocommit=autocommit,
            connect_timeout=10,
        )

    def tables(self, schema: str) -> list[str]:
        """Names of the tables in a schema (empty when the schema does not exist)."""
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = %s AND table_type = 'BASE TABLE' ORDER BY table_name",
                (schema,),
            ).fetchall()
        return [row[0] for row in rows]

    def count_rows(self, schema: str, table: str) -> int:
        """Number of rows in schema.table."""
        query = sql.SQL("SELECT count(*) FROM {}.{}").format(
            sql.Identifier(schema), sql.Identifier(table)
        )
        with self.connect() as conn:
            row = conn.execute(query).fetchone()
        assert row is not None
        return int(row[0])

    def duplicate_keys(self, schema: str, table: str, key: str = "id") -> list[object]:
        """Values of `key` that occur more than once in schema.table."""
        query = sql.SQL(
            "SELECT {key} FROM {schema}.{table} GROUP BY {key} HAVING count(*) > 1"
        ).format(
            key=sql.Identifier(key), schema=sql.Identifier(schema), table=sql.Identifier(table)
        )
        with self.connect() as conn:
            return [row[0] for row in conn.execute(query).fetchall()]

    def rows_containing(self, schema: str, table: str, column: str, text: str) -> int:
        """Rows of schema.table whose `column`, as text, contains `text` (e.g. a leaked secret)."""
        query = sql.SQL("SELECT count(*) FROM {}.{} WHERE {}::text LIKE %s").format(
            sql.Identifier(schema), sql.Identifier(table), sql.Identifier(column)
        )
        with self.connect() as conn:
            row = conn.execute(query, (f"%{text}%",)).fetchone()
        assert row is not None
        return int(row[0])

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its files."""
        if (self.data_dir / "postmaster.pid").exists():
            _run(
                self.run_as,
                [
                    str(self.bin_dir / "pg_ctl"),
                    "-D",
                    str(self.data_dir),
                    "-m",
                    "fast",
                    "-w",
                    "stop",
                ],
                cwd=self.base_dir,
                check=False,
            )
        shutil.rmtree(self.base_dir, ignore_errors=True)


def start_postgres(*, attempts: int = 3) -> PostgresServer:
    """Create a cluster in a new temporary folder and start it on a free loopback port."""
    bin_dir = find_bin_dir()
    run_as = SERVER_USER if os.geteuid() == 0 else None
    # Not under pytest's tmp_path: that tree is private to root and `postgres` could not enter it.
    base_dir = Path(tempfile.mkdtemp(prefix="pg-test-"))
    password = secrets.token_hex(16)
    try:
        _prepare_base_dir(base_dir, run_as, password)
        server = PostgresServer(bin_dir, base_dir, 0, password, run_as=run_as)
        _run(
            run_as,
            [
                str(bin_dir / "initdb"),
                "-D",
                str(server.data_dir),
                "--username",
                server.user,
                "--pwfile",
                str(base_dir / "pwfile"),
                "--auth-host",
                "trust",
                "--auth-local",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C",
                "--no-sync",
            ],
            cwd=base_dir,
        )
        (base_dir / "pwfile").unlink()
        _start_on_free_port(server, attempts)
    except BaseException:
        shutil.rmtree(base_dir, ignore_errors=True)
        raise
    return server


def _start_on_free_port(server: PostgresServer, attempts: int) -> None:
    failures = []
    for _ in range(attempts):
        server.port = free_port()
        # Throwaway data: durability settings off make every write faster.
        options = (
            f"-p {server.port} -k {server.socket_dir} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        started = _run(
            server.run_as,
            [
                str(server.bin_dir / "pg_ctl"),
                "-D",
                str(server.data_dir),
                "-l",
                str(server.log_file),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ],
            cwd=server.base_dir,
            check=False,
        )
        if started.returncode == 0:
            return
        # Most likely another process took the port between the probe and the bind.
        failures.append(started.stdout + started.stderr)
    log = server.log_file.read_text() if server.log_file.exists() else ""
    msg = f"pg_ctl start failed {attempts} times: {failures[-1]}\n{log}"
    raise RuntimeError(msg)


def _prepare_base_dir(base_dir: Path, run_as: str | None, password: str) -> None:
    (base_dir / "socket").mkdir()
    pwfile = base_dir / "pwfile"
    pwfile.write_text(password + "\n")
    pwfile.chmod(0o600)
    if run_as is not None:
        try:
            account = pwd.getpwnam(run_as)
        except KeyError as missing:
            msg = f"running as root needs the `{run_as}` user (the postgresql package creates it)"
            raise PostgresUnavailableError(msg) from missing
        for path in (base_dir, base_dir / "socket", pwfile):
            os.chown(path, account.pw_uid, account.pw_gid)


def _run(
    run_as: str | None, command: list[str], *, cwd: Path, check: bool = True
) -> subprocess.CompletedProcess[str]:
    if run_as is not None:
        command = ["runuser", "-u", run_as, "--", *command]
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, check=False
    )
    if check and result.returncode != 0:
        msg = f"{' '.join(command)} failed ({result.returncode}): {result.stdout}{result.stderr}"
        raise RuntimeError(msg)
    return result
