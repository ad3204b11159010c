"""The command line: ``python -m reference_app list`` and ``serve``."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
import requests

from reference_app import TITLES
from reference_app.__main__ import main

READY_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


def one_line_error(capsys, argv) -> str:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith("python -m reference_app: error: ")
    return err


def test_list_prints_each_number_and_title(capsys):
    assert main(["list"]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines() == [f"{n:>2}  {title}" for n, title in TITLES.items()]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "required"),
        (["frobnicate"], "invalid choice"),
        (["serve"], "required"),
        (["serve", "13"], "unknown tutorial '13'"),
        (["serve", "0"], "unknown tutorial"),
        (["serve", "x"], "unknown tutorial"),
        (["serve", "\u0661"], "unknown tutorial"),
        (["serve", "1", "--port", "65536"], "invalid port"),
        (["serve", "1", "--port", "-1"], "invalid port"),
        (["serve", "1", "--port", "http"], "invalid port"),
        (["serve", "1", "--bogus"], "unrecognized arguments"),
        (["serve", "5", "--db", "my.db"], "tutorial 5 has no database"),
    ],
)
def test_bad_input_is_one_line_and_status_2(capsys, argv, message):
    assert message in one_line_error(capsys, argv)


def test_a_busy_port_is_one_line_and_status_2(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        error = one_line_error(capsys, ["serve", "1", "--port", str(port)])
    assert f"cannot listen on 127.0.0.1:{port}" in error


def test_a_database_sqlite_cannot_open_is_one_line_and_status_2(capsys, tmp_path):
    error = one_line_error(capsys, ["serve", "9", "--db", str(tmp_path / "no" / "my.db")])
    assert "unable to open database file" in error


# -------------------------------------------------- serving, in a subprocess --


class Served:
    """``python -m reference_app serve ARGS`` in its own process group, ready
    when it logs "Serving on URL" on stderr."""

    def __init__(self, *args: str, cwd, env=None) -> None:
        self.session = requests.Session()
        self.session.trust_env = False
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reference_app", "serve", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.url = self._wait_until_serving()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.stderr.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def _wait_until_serving(self) -> str:
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                raise AssertionError("not serving in time:\n" + "".join(self.stderr)) from None
            if line is None:
                raise AssertionError("exited before serving:\n" + "".join(self.stderr))
            match = re.search(r"Serving on (http://\S+)", line)
            if match:
                return match.group(1)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.session.request(method, self.url + path, timeout=10, **kwargs)

    def stop(self, signum: int = signal.SIGTERM) -> int:
        self.session.close()
        self.process.send_signal(signum)
        status = self.process.wait(STOP_TIMEOUT)
        self.reader.join(STOP_TIMEOUT)
        return status

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(STOP_TIMEOUT)
        self.reader.join(STOP_TIMEOUT)
        self.session.close()

    @property
    def log(self) -> str:
        return "".join(self.stderr)


@pytest.fixture
def serve(tmp_path):
    """``serve(*args, cwd=..., env=...)``: start a server; kill it at the end
    of the test if the test did not stop it."""
    started: list[Served] = []

    def start(*args: str, cwd=tmp_path, env=None) -> Served:
        started.append(Served(*args, cwd=cwd, env=env))
        return started[-1]

    yield start
    for served in started:
        if served.process.poll() is None:
            served.kill()


@pytest.mark.slow
def test_serve_serves_tutorial_7_and_stops_cleanly_on_sigterm(serve):
    # The service itself (its transcript) is test_reference_rest.py's business.
    served = serve("7", "--port", "0")
    assert served.url.startswith("http://127.0.0.1:")
    generated = served.request("POST", "/").text
    assert served.request("GET", "/").text == generated
    assert served.stop() == 0
    assert "Bus EXITED" in served.log


@pytest.mark.slow
def test_serve_works_from_any_folder_with_its_static_files(serve, tmp_path):
    (tmp_path / "public").mkdir()
    served = serve("10", "--port", "0", cwd=tmp_path / "public")
    assert served.request("GET", "/static/js/gen.js").status_code == 200
    assert "React" in served.request("GET", "/").text
    assert served.stop() == 0


@pytest.mark.slow
def test_serve_runs_tutorial_9_hooks_and_restarts_after_a_crash(serve, tmp_path):
    db_path = tmp_path / "my.db"

    def tables() -> set[str]:
        with contextlib.closing(sqlite3.connect(db_path)) as connection:
            rows = connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            return {name for (name,) in rows}

    crashed = serve("9", "--port", "0", "--db", str(db_path))
    assert tables() == {"user_string"}
    crashed.request("POST", "/generator")
    assert crashed.stop(signal.SIGKILL) == -signal.SIGKILL
    assert tables() == {"user_string"}

    restarted = serve("9", "--port", "0", "--db", str(db_path))
    assert restarted.request("GET", "/generator").text == ""
    posted = restarted.request("POST", "/generator").text
    assert restarted.request("GET", "/generator").text == posted
    assert restarted.stop() == 0
    assert tables() == set()


@pytest.mark.slow
def test_serve_removes_its_temporary_database_at_exit(serve, tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    served = serve("11", "--port", "0", env={**os.environ, "TMPDIR": str(temporary)})
    (folder,) = temporary.iterdir()
    assert (folder / "my.db").exists()
    assert served.request("PUT", "/library/1/book/2", data={"title": "t"}).status_code == 201
    assert served.stop() == 0
    assert list(temporary.iterdir()) == []


@pytest.mark.slow
def test_serve_production_hides_tracebacks(serve):
    served = serve("5", "--port", "0", "--production", "--host", "127.0.0.1")
    response = served.request("GET", "/display")
    assert response.status_code == 500
    assert "Traceback" not in response.text
    assert served.stop() == 0


@pytest.mark.slow
def test_the_module_runs_as_a_program(tmp_path):
    listed = subprocess.run(
        [sys.executable, "-m", "reference_app", "list"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert (listed.returncode, listed.stderr) == (0, "")
    assert listed.stdout.splitlines()[6] == " 7  Give us a REST"
    refused = subprocess.run(
        [sys.executable, "-m", "reference_app", "serve", "13"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr.count("\n") == 1
