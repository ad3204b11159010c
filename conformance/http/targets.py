"""Targets: the server a run checks, however it came to be running.

* ``UrlTarget`` — a server someone else started (``--base-url``).
* ``CommandTarget`` — a command the kit starts on a free port (``--target-cmd``)
  and stops again.
* ``EmbeddedTarget`` (in ``embedded``) — the reference app, which the kit serves
  in a process of its own (``python -m reference_app serve N``).

Every target answers over real HTTP at ``.url``.  A target that cannot be
used raises ``TargetError`` with one line saying what is wrong and what to do.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import ipaddress
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse

import requests

#: Seconds between SIGTERM and SIGKILL when stopping a command.
STOP_GRACE = 5.0


class TargetError(Exception):
    """The target cannot be checked at all; the message is one line for the user."""


def probe(url: str, timeout: float) -> None:
    """Return when ``url`` gives any HTTP answer; raise TargetError saying why it did not."""
    session = requests.Session()
    session.trust_env = False
    try:
        session.get(url, timeout=timeout, allow_redirects=False)
    except requests.exceptions.ConnectTimeout:
        raise TargetError(
            f"cannot reach {url}: connecting timed out; is the address right?"
        ) from None
    except requests.exceptions.ReadTimeout:
        raise TargetError(
            f"{url} accepts connections but sent no answer within {timeout:g} s; "
            "is it an HTTP server, and is it stuck?"
        ) from None
    except requests.exceptions.ConnectionError as error:
        text = str(error)
        if "Refused" in text or "refused" in text:
            raise TargetError(
                f"cannot reach {url}: connection refused; is the server running?"
            ) from None
        if "BadStatusLine" in text or "RemoteDisconnected" in text or "ProtocolError" in text:
            raise TargetError(
                f"{url} does not speak HTTP (its answer is not an HTTP response); check the port"
            ) from None
        raise TargetError(f"cannot reach {url}: {text.splitlines()[0][:200]}") from None
    except requests.exceptions.RequestException as error:
        raise TargetError(f"cannot use {url}: {error}") from None
    finally:
        session.close()


class Target:
    """A server implementing one tutorial, reachable at ``url``."""

    kind = "abstract"
    url: str
    tutorial: int

    def start(self) -> None:
        """Make the target answer at ``url``; raise TargetError when it cannot."""

    def stop(self) -> None:
        """Release what ``start`` took.  Safe to call twice."""

    def describe(self) -> dict:
        return {"kind": self.kind, "url": getattr(self, "url", None), "tutorial": self.tutorial}


class UrlTarget(Target):
    """A server someone else runs; the kit only checks that it answers HTTP."""

    kind = "url"

    def __init__(self, url: str, tutorial: int, *, timeout: float) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TargetError(f"--base-url {url!r} is not an http:// or https:// URL with a host")
        self.url = url.rstrip("/")
        self.tutorial = tutorial
        self.timeout = timeout

    def start(self) -> None:
        probe(self.url + "/", self.timeout)


def is_loopback(url: str) -> bool:
    """Whether ``url``'s host is a loopback address (127.0.0.0/8, ::1) or ``localhost``."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port(host: str = "127.0.0.1") -> int:
    """A port that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


_live_groups: set[int] = set()


def kill_leftovers() -> None:
    """SIGKILL every process group the kit started and has not stopped yet."""
    for pgid in list(_live_groups):
        with contextlib.suppress(OSError):
            os.killpg(pgid, signal.SIGKILL)


atexit.register(kill_leftovers)


def _wait_gone(pgid: int, deadline: float) -> bool:
    """Wait until no process of group ``pgid`` runs, at most until ``deadline``
    (``time.monotonic()``); whether it is gone."""
    while _group_alive(pgid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


def _group_alive(pgid: int) -> bool:
    """Whether a process of group ``pgid`` still runs (a zombie does not count)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return _group_has_runner(pgid)


def _group_has_runner(pgid: int, proc: str = "/proc") -> bool:
    # When the shell dies first, the server it started is reparented to PID 1
    # and, once it has exited, stays a zombie until PID 1 reaps it: seconds
    # under some inits (seen: 1.9 s of 2.3 for every stop of a CherryPy server).
    # A zombie holds no port and runs no code, so it does not count -- but only
    # once every thread has exited: a killed process's main thread can be a
    # zombie while its other threads still exit, holding its files and its
    # listening socket (seen on a loaded machine: a restart on the same port
    # found the old socket still there).
    try:
        entries = os.listdir(proc)
    except OSError:
        return True  # no /proc (macOS): killpg's answer stands
    for entry in entries:
        if not entry.isdigit():
            continue
        fields = _stat(f"{proc}/{entry}/stat")
        if len(fields) > 2 and fields[2] == str(pgid) and _runs(f"{proc}/{entry}", fields[0]):
            return True
    return False


def _stat(path: str) -> list[str]:
    """The fields of a /proc stat file after ``pid (comm)`` (empty if it is gone)."""
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            stat = f.read()
    except OSError:
        return []
    # pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
    return stat[stat.rfind(")") + 2 :].split()


def _runs(process: str, state: str) -> bool:
    """Whether the process at ``process`` (its /proc folder) has a thread that has not exited."""
    if state not in ("Z", "X"):
        return True
    try:
        tasks = os.listdir(f"{process}/task")
    except OSError:
        return False  # reaped meanwhile
    return any(
        (_stat(f"{process}/task/{task}/stat") or ["X"])[0] not in ("Z", "X") for task in tasks
    )


@dataclasses.dataclass(frozen=True)
class StopReport:
    """How one stop of a command went."""

    #: The command's exit status (negative: ended by that signal), None if it was not running.
    status: int | None
    #: Seconds from the first signal until the whole process group was gone.
    seconds: float
    #: Whether the group outlived the grace period and had to be killed.
    forced: bool


class CommandTarget(Target):
    """A server the kit starts with a shell command and stops again.

    ``{port}`` in the command is replaced literally (commands have braces of
    their own).  The command runs through the shell in ``cwd``, in its own
    process group; stopping sends SIGTERM to the group, then SIGKILL after
    ``STOP_GRACE`` seconds.  Its output goes to a log whose tail explains a
    failed start.
    """

    kind = "command"

    def __init__(
        self,
        command: str,
        tutorial: int,
        *,
        start_timeout: float,
        answer_timeout: float,
        cwd: str | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        if "{port}" not in command:
            raise TargetError(
                "--target-cmd must contain {port} where the server's port goes, "
                'e.g. --target-cmd "python app.py --port {port}"'
            )
        self.command = command
        self.tutorial = tutorial
        self.cwd = cwd or os.getcwd()
        self.start_timeout = start_timeout
        self.answer_timeout = answer_timeout
        self.host = host
        self.port: int | None = None
        self.process: subprocess.Popen | None = None
        #: Whether the running command has answered HTTP since it was launched.
        self.ready = False
        #: How the last ``stop`` went, or None before the first one.
        self.last_stop: StopReport | None = None
        # The log outlives restarts; it is closed with the process that owns it.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115

    @property
    def url(self) -> str:  # type: ignore[override]
        return f"http://{self.host}:{self.port}"

    def describe(self) -> dict:
        return super().describe() | {"command": self.command}

    def start(self, same_port: bool = False) -> None:
        """Start the command and return once it answers HTTP.

        With ``same_port`` the command starts again on the port of its last
        start (a restarted service keeps its address), in the same working
        directory; otherwise on a port that is free now.
        """
        self.launch(same_port)
        self.wait_until_ready()

    def launch(self, same_port: bool = False) -> None:
        """Start the command without waiting for it (see ``wait_until_ready``)."""
        if self.process is not None:
            return
        if not (same_port and self.port is not None):
            self.port = free_port(self.host)
        self._log.seek(0)
        self._log.truncate()
        self.process = subprocess.Popen(
            self.command.replace("{port}", str(self.port)),
            shell=True,
            cwd=self.cwd,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _live_groups.add(self.process.pid)

    def wait_until_ready(self) -> None:
        """Return once the launched command answers HTTP; else stop it and raise TargetError."""
        if self.ready:
            return
        if self.process is None:
            raise TargetError("the target command is not running: it was stopped")
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        self.ready = True

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        delay = 0.02
        while True:
            code = self.process.poll()
            if code is not None:
                raise TargetError(
                    f"the target command exited with status {code} before answering HTTP"
                    f"{self._tail()}"
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TargetError(
                    f"the target command did not answer HTTP on port {self.port} within "
                    f"{self.start_timeout:g} s; does it listen on {{port}}?{self._tail()}"
                )
            if self._port_open():
                # Something listens: any HTTP answer means ready, anything else is final,
                # but a reset while the server is still coming up (CherryPy's engine
                # between binding and serving) is tried again, and so is a refusal (what
                # accepted was a listener going away, e.g. a killed predecessor's).
                try:
                    probe(self.url + "/", self.answer_timeout)
                except TargetError as error:
                    transient = "reset" in str(error) or "refused" in str(error)
                    if not transient or time.monotonic() >= deadline:
                        raise
                    time.sleep(delay)
                    continue
                return
            time.sleep(delay)
            delay = min(delay * 1.5, 0.25)

    def _port_open(self) -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(1.0)
            return s.connect_ex((self.host, self.port)) == 0

    def output(self) -> str:
        """Everything the command printed (stdout and stderr) since its last start."""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def tail(self) -> str:
        """``"; its output ends: ..."``: the last lines the command printed, for a message."""
        return self._tail()

    def _tail(self, lines: int = 3) -> str:
        text = self.output().strip().splitlines()
        tail = " | ".join(line.strip() for line in text[-lines:] if line.strip())
        return f"; its output ends: {tail[-300:]}" if tail else "; it printed nothing"

    def stop(self, kill: bool = False) -> int | None:
        """Stop the whole process group: SIGTERM (or SIGKILL when ``kill``), then SIGKILL.

        Returns the exit status of the command (negative: killed by that
        signal), or None when it was not running; ``last_stop`` says how
        long it took and whether the grace period ran out.
        """
        process, self.process = self.process, None
        self.ready = False
        if process is None:
            return None
        pgid = process.pid
        began = time.monotonic()
        with contextlib.suppress(OSError):
            os.killpg(pgid, signal.SIGKILL if kill else signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_GRACE)
        # The shell may be gone while the server it started still cleans up.
        forced = not _wait_gone(pgid, began + STOP_GRACE) or process.poll() is None
        with contextlib.suppress(OSError):
            os.killpg(pgid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_GRACE)
        # Killed is not gone: until the kernel has reaped the server, its listening
        # socket still accepts, and a start on the same port would probe a dying server.
        _wait_gone(pgid, time.monotonic() + STOP_GRACE)
        _live_groups.discard(pgid)
        self.last_stop = StopReport(process.returncode, time.monotonic() - began, forced)
        return process.returncode

    def settle(self, timeout: float = 2.0) -> None:
        """Wait (at most ``timeout`` s) until a CherryPy server logs that its bus has started.

        CherryPy exits 70 on a SIGTERM that arrives before ``Bus STARTED``,
        skipping its stop listeners; a server that logs no ``ENGINE`` line
        is taken as settled once it answers.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.alive:
            text = self.output()
            if "ENGINE" not in text or "Bus STARTED" in text:
                return
            time.sleep(0.02)

    @property
    def alive(self) -> bool:
        """Whether the command started last is still running."""
        return self.process is not None and self.process.poll() is None
