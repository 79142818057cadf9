"""The production server as scripts/serve starts it: no starving on idle connections, and it heals."""

import http.client
import os
import signal
import socket
import threading
import time

import pytest

from scripts.prodserver import Server, collect_static, database_env, manage

pytestmark = [
    pytest.mark.server,
    # The server's own behaviour (SQLite here) does not depend on the suite's database: run it once, in the SQLite pass.
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs in the SQLite pass of the suite"),
]


@pytest.fixture(scope="module")
def prod_env(tmp_path_factory):
    env = database_env(sqlite_path=tmp_path_factory.mktemp("prod") / "prod.sqlite3")
    manage(env, "migrate", "--no-input")
    collect_static(env)
    return env


def get(port, path="/healthz", timeout=5.0) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def wait_for(condition, message="timed out", timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    pytest.fail(message)


def test_idle_keep_alive_connections_do_not_lock_out_a_new_client(prod_env):
    with Server(prod_env) as server:
        idle = []
        try:
            # Browsers that loaded a page and keep the connection open for the next click.
            for _ in range(200):
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                response.read()
                assert response.status == 200 and response.getheader("Connection") != "close"
                idle.append(connection)
            # And browsers that opened a connection ahead of time and have sent nothing yet.
            idle += [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(200)]
            started = time.perf_counter()
            assert get(server.port, timeout=5) == 200
            assert time.perf_counter() - started < 1.0
        finally:
            for connection in idle:
                connection.close()


def test_an_idle_keep_alive_connection_is_closed_after_five_seconds(prod_env):
    with Server(prod_env) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("GET", "/healthz")
        connection.getresponse().read()
        started = time.monotonic()
        assert connection.sock.recv(1) == b""  # the server hung up
        assert 4 < time.monotonic() - started < 9
        connection.close()


def test_a_killed_worker_is_replaced_and_service_continues(prod_env):
    results = []  # (monotonic time, status or None for a failed connection)
    stop = threading.Event()

    def learner(port, path):
        connection = None
        while not stop.is_set():
            try:
                connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                results.append((time.monotonic(), response.status))
            except (OSError, http.client.HTTPException):
                results.append((time.monotonic(), None))
                connection.close()
                connection = None
            time.sleep(0.01)
        if connection:
            connection.close()

    with Server(prod_env) as server:
        paths = ["/healthz", "/accounts/login/", "/questions/", "/"]
        threads = [threading.Thread(target=learner, args=(server.port, path)) for path in paths]
        for thread in threads:
            thread.start()
        try:
            time.sleep(2)
            workers = wait_for(lambda: pids if len(pids := server.worker_pids()) == 2 else None)
            os.kill(workers[0], signal.SIGKILL)
            killed = time.monotonic()
            wait_for(lambda: len(now := server.worker_pids()) == 2 and workers[0] not in now, "no new worker")
            respawned = time.monotonic()
            time.sleep(3)
            assert server.process.poll() is None, "the server exited"
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=10)
    failed = [t for t, status in results if status is None or status >= 500]
    after = [status for t, status in results if t > respawned]
    print(f"KILLED_WORKER failed {len(failed)} of {len(results)} requests; replaced in {respawned - killed:.1f}s")
    assert len(after) > 20 and all(status == 200 for status in after)
    # Only requests in flight on the killed worker (one per learner at most) may fail.
    assert len(failed) <= len(paths)


def test_metrics_add_up_every_worker_and_need_the_token(prod_env):
    token = "metrics-token-0123456789abcdef"
    with Server(prod_env | {"METRICS_TOKEN": token}) as server:
        for _ in range(40):  # new connections, so both workers answer some
            assert get(server.port) == 200
        assert get(server.port, "/metrics") == 404
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        connection.request("GET", "/metrics", headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        text = response.read().decode()
        connection.close()
    assert response.status == 200
    counts = [
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("prep_request_duration_seconds_count") and 'view="interviews:healthz"' in line
    ]
    assert sum(counts) >= 41  # the 40 probes and the start-up check, whichever worker served them
