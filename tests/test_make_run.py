"""`make run`: it checks its port before touching the database, takes PORT=, and starts the task worker."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_run(port: int, sqlite: Path, **kwargs):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env["SQLITE_PATH"] = str(sqlite)
    # The suite's own interpreter stands in for .venv; `-o setup` skips the installation.
    command = ["make", "-o", "setup", "run", f"PORT={port}", f"BIN={Path(sys.executable).parent}"]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_busy_port_stops_make_run_before_it_migrates_or_loads(tmp_path):
    sqlite = tmp_path / "db.sqlite3"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = make_run(port, sqlite)
        output, _ = process.communicate(timeout=60)
    assert process.returncode != 0
    assert f"Port {port} is in use" in output and "PORT=8001" in output
    assert not sqlite.exists()


def test_make_run_serves_on_the_port_given_with_a_task_worker_beside_it(tmp_path):
    port = free_port()
    process = make_run(port, tmp_path / "db.sqlite3", start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert process.poll() is None, process.stdout.read()
                time.sleep(0.5)
        else:
            raise AssertionError("make run did not answer on its port")
        group = subprocess.run(["ps", "-o", "args=", "-g", str(process.pid)], capture_output=True, text=True).stdout
        assert "manage.py db_worker" in group
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=30)
