"""Start the production server (scripts/serve) on a database of its own, for make loadtest and the server tests."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GRANIAN = str(Path(sys.executable).parent / "granian")
# Servers started here keep to this range, clear of the development server and of other tools.
PORTS = range(int(os.environ.get("OPS_PORT_MIN", "8100")), int(os.environ.get("OPS_PORT_MAX", "8199")) + 1)


def database_env(*, sqlite_path: Path | None = None, database_url: str = "", redis_url: str = "") -> dict:
    """The environment a production process needs, pointed at one database (and cache)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GRANIAN_")) and key not in {"DATABASE_URL", "REDIS_URL", "SQLITE_PATH"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("OPS_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
        "GRANIAN": GRANIAN,
    }
    # Every virtual learner comes from 127.0.0.1 and clicks faster than a person: the per-address and
    # per-account limits would turn them away, which is not what a load test measures.
    env |= {f"DJANGO_RATE_{name}": "100000/m" for name in ("LOGIN", "SIGNUP", "QUIZ_CREATE", "ANSWER", "NOTE")}
    if database_url:
        env["DATABASE_URL"] = database_url
    if sqlite_path is not None:
        env["SQLITE_PATH"] = str(sqlite_path)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def fresh_database_env(folder: Path, name: str) -> dict:
    """A new, empty database for one run: a SQLite file in `folder`, or with DATABASE_URL a PostgreSQL
    database beside the configured one, named after it with `_<name>` appended (dropped first if there)."""
    url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not url:
        return database_env(sqlite_path=folder / f"{name}.sqlite3", redis_url=redis_url)
    import psycopg

    parts = urllib.parse.urlsplit(url)
    database = f"{parts.path.lstrip('/') or 'prep'}_{name}"
    with psycopg.connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')
    return database_env(database_url=urllib.parse.urlunsplit(parts._replace(path=f"/{database}")), redis_url=redis_url)


def drop_database(env: dict):
    """Drop a PostgreSQL database made by fresh_database_env (a SQLite file goes with its folder)."""
    if not env.get("DATABASE_URL"):
        return
    import psycopg

    parts = urllib.parse.urlsplit(env["DATABASE_URL"])
    with psycopg.connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def manage(env: dict, *args, quiet=True, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=timeout,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def shell(env: dict, code: str) -> str:
    """Run Python in `manage.py shell` against env's database; the last line it printed."""
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return result.stdout.strip().splitlines()[-1]


def collect_static(env: dict):
    """Hashed static names for DEBUG-off pages; collected again only when a source file is newer."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    sources = (p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file())
    if not manifest.exists() or max(sources) > manifest.stat().st_mtime:
        manage(env, "collectstatic", "--no-input", "--clear")


def free_port() -> int:
    start = secrets.randbelow(len(PORTS))
    for offset in range(len(PORTS)):
        port = PORTS[(start + offset) % len(PORTS)]
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {PORTS.start}-{PORTS.stop - 1}.")


class Server:
    """scripts/serve on 127.0.0.1 and a free port; a context manager that always stops it."""

    def __init__(self, env: dict, *, workers: int = 2, port: int | None = None, extra=(), log=None):
        self.port = port or free_port()
        self.workers = workers
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env | {"GRANIAN_HOST": "127.0.0.1", "GRANIAN_PORT": str(self.port), "GRANIAN_WORKERS": str(workers)}
        self.extra = ["--log-level", "error", *extra]
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30, *, healthy: bool = True) -> "Server":
        """Start and wait until every worker answers /healthz (with any status when not `healthy`)."""
        self.process = subprocess.Popen(
            [str(ROOT / "scripts" / "serve"), *self.extra],
            cwd=ROOT,
            env=self.env,
            stdout=self.log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT if self.log else None,
            start_new_session=True,  # its workers can be stopped as one group
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The server exited with {self.process.returncode} at start-up.")
            try:
                # Several answers in a row on new connections: every worker has finished starting.
                for _ in range(4 * self.workers):
                    try:
                        urllib.request.urlopen(f"{self.url}/healthz", timeout=2).close()
                    except urllib.error.HTTPError:
                        if healthy:
                            raise
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("The server did not answer /healthz in time.")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
