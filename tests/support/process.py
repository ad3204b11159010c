"""Start a server from a ``{port}`` command line for the kit's own tests.

A thin layer over the kit's own ``conformance.http.targets.CommandTarget``
(the same start, readiness and stop that ``--target-cmd`` uses), with the
attribute names these tests read: ``url`` (as on ``reference_app.server``'s
``Running``, so that every test reads a server's URL the same way),
``stop()`` returning the exit status, ``tail()``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import requests

from conformance.http.targets import CommandTarget, TargetError
from conformance.run.options import DEFAULT_REQUEST_TIMEOUT

READY_TIMEOUT = 15.0


def client() -> requests.Session:
    """A ``requests`` session that ignores proxy settings of the environment."""
    session = requests.Session()
    session.trust_env = False
    return session


class ServerFailed(AssertionError):
    """The server exited or did not answer in time."""


class Server:
    """A started command: its URL, its output, and a stop that reports its status."""

    def __init__(self, target: CommandTarget) -> None:
        self.target = target
        self.url = target.url
        self.returncode: int | None = None

    def tail(self, limit: int = 2000) -> str:
        """The end of the server's combined stdout and stderr."""
        return self.target.output()[-limit:]

    def stop(self) -> int | None:
        """SIGTERM the process group (SIGKILL after a grace period); the exit status."""
        if self.target.process is not None:
            self.returncode = self.target.stop()
        return self.returncode


@contextlib.contextmanager
def running(
    command: str, cwd: Path | str | None = None, timeout: float = READY_TIMEOUT
) -> Iterator[Server]:
    """Run ``command`` (with a literal ``{port}``) until the block ends."""
    target = CommandTarget(
        command,
        tutorial=0,
        cwd=str(cwd) if cwd else None,
        start_timeout=timeout,
        answer_timeout=DEFAULT_REQUEST_TIMEOUT,
    )
    try:
        target.start()
    except TargetError as error:
        raise ServerFailed(str(error)) from None
    server = Server(target)
    try:
        yield server
    finally:
        server.stop()
