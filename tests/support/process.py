"""Start a server from a ``{port}`` command line, wait for it, stop its group.

A small stand-in for what the kit's ``--target-cmd`` does, for the kit's own
tests of the printed tutorials and of the ports: ``{port}`` substituted
literally, the command run through the shell in its own process group, ready
at the first HTTP answer of any status on ``/``, stopped with SIGTERM to the
group and killed after a grace period.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

READY_TIMEOUT = 15.0
STOP_GRACE = 5.0


def free_port() -> int:
    """A loopback port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def client() -> requests.Session:
    """A ``requests`` session that ignores proxy settings of the environment."""
    session = requests.Session()
    session.trust_env = False
    return session


class ServerFailed(AssertionError):
    """The server exited or did not answer in time."""


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen
    output: object  # the temporary file holding its stdout and stderr
    returncode: int | None = None

    def tail(self, limit: int = 2000) -> str:
        """The end of the server's combined stdout and stderr."""
        self.output.flush()
        self.output.seek(0)
        return self.output.read().decode("utf-8", "replace")[-limit:]

    def stop(self) -> int:
        """SIGTERM the process group; SIGKILL it after the grace period."""
        if self.returncode is not None:
            return self.returncode
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.returncode = self.process.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.returncode = self.process.wait()
            raise ServerFailed(
                f"ignored SIGTERM for {STOP_GRACE}s; killed\n{self.tail()}"
            ) from None
        finally:
            # Whatever the leader did, leave no member of its group behind.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        return self.returncode


def _wait_ready(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with client() as session:
        while True:
            code = server.process.poll()
            if code is not None:
                raise ServerFailed(f"exited with status {code} before answering\n{server.tail()}")
            try:
                session.get(server.base_url + "/", timeout=2)
                return
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise ServerFailed(
                        f"no HTTP answer on / within {timeout}s\n{server.tail()}"
                    ) from None
                time.sleep(0.05)


@contextlib.contextmanager
def running(
    command: str, cwd: Path | str | None = None, timeout: float = READY_TIMEOUT
) -> Iterator[Server]:
    """Run ``command`` (with a literal ``{port}``) until the block ends."""
    port = free_port()
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            command.replace("{port}", str(port)),
            shell=True,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        server = Server(f"http://127.0.0.1:{port}", process, output)
        try:
            _wait_ready(server, timeout)
            yield server
        finally:
            server.stop()
