"""``python -m conformance load``: the load scenario through Locust, beyond one process.

Locust runs headless in subprocesses only (``import locust`` patches the whole
process with gevent): with ``--workers 0`` one local process, otherwise one
master bound to the loopback address (Locust binds every interface by
default) and W workers connected to it.  The verdict (violations by kind,
requests, failures, percentiles) is the file the Locust file writes when the
master quits; the exit status is 0 when it found no violation, 1 when it found
one, 2 when the run could not be made (one line on stderr).  Every wait is
bounded: the master gets ``--time`` plus ``GRACE`` seconds, then everything is
killed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..http.targets import CommandTarget, TargetError, UrlTarget, free_port, is_loopback
from ..spec import tutorials

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
#: Seconds beyond ``--time`` the Locust processes get to finish and report.
GRACE = 60.0
#: The tutorials with a string store the scenario goes round.
STORE_TUTORIALS = tuple(range(5, 12))
SPEC_VERSION = "1"


class LoadError(Exception):
    """The load run cannot be made; the message is one line for the user."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``load`` sub-command's options."""
    parser.add_argument("--tutorial", type=int, required=True, metavar="N", help="5 to 11")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--base-url", metavar="URL", help="a server someone else started")
    where.add_argument("--target-cmd", metavar="CMD", help="start it with this; {port} is free")
    parser.add_argument("--users", type=_positive, default=20, metavar="U", help="default 20")
    parser.add_argument("--time", type=_seconds, default=10.0, metavar="T", help="seconds (10)")
    parser.add_argument(
        "--workers", type=_count, default=0, metavar="W", help="Locust workers (0: one process)"
    )
    parser.add_argument("--json", metavar="PATH", help="write the verdict here")
    parser.add_argument("--request-timeout", type=_seconds, default=10.0, metavar="S")
    parser.add_argument("--start-timeout", type=_seconds, default=30.0, metavar="S")
    parser.add_argument(
        "--allow-remote-load", action="store_true", help="let it load a non-loopback target"
    )


def _positive(text: str) -> int:
    if not (text.isascii() and text.isdecimal()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive integer")
    return int(text)


def _count(text: str) -> int:
    if not (text.isascii() and text.isdecimal()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 86_400:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds")
    return value


def main(namespace: argparse.Namespace) -> int:
    """Run the load test the options ask for; return the exit status."""
    try:
        document = run(namespace)
    except (LoadError, TargetError) as error:
        sys.stderr.write(f"conformance load: {error}\n")
        return 2
    status = document["exit_status"]
    if namespace.json:
        Path(namespace.json).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    verdict = document["verdict"]
    found = {k: n for k, n in verdict["violations"].items() if n}
    print(
        f"tutorial {namespace.tutorial}: {verdict['requests']} requests, "
        f"{verdict['requests_per_second']} requests/s, p50 {verdict['p50_ms']} ms, "
        f"p99 {verdict['p99_ms']} ms, {verdict['resets']} resets; "
        + (f"violations: {found}" if found else "no violation")
    )
    return status


def run(namespace: argparse.Namespace) -> dict:
    """The verdict document of one load run (raises LoadError when none can be made)."""
    if namespace.tutorial not in STORE_TUTORIALS:
        raise LoadError(f"--tutorial {namespace.tutorial}: the scenario needs a store (5 to 11)")
    tutorial = tutorials.get(namespace.tutorial)
    if namespace.base_url:
        target = UrlTarget(namespace.base_url, tutorial.number, timeout=namespace.request_timeout)
        if not namespace.allow_remote_load and not is_loopback(target.url):
            raise LoadError(
                f"refused: {target.url} is not on loopback (127.0.0.0/8, ::1); "
                "pass --allow-remote-load to load it"
            )
    else:
        target = CommandTarget(
            namespace.target_cmd,
            tutorial.number,
            start_timeout=namespace.start_timeout,
            answer_timeout=namespace.request_timeout,
        )
    target.start()
    try:
        with tempfile.TemporaryDirectory(prefix="conformance-load-") as folder:
            verdict = _locust(namespace, target.url, Path(folder))
    finally:
        target.stop()
    bad = sum(verdict["violations"].values())
    return {
        "spec_version": SPEC_VERSION,
        "kind": "load",
        "tutorial": tutorial.number,
        "target": target.describe(),
        "users": namespace.users,
        "workers": namespace.workers,
        "seconds": namespace.time,
        "verdict": verdict,
        "exit_status": 1 if bad else 0,
    }


def _locust(namespace: argparse.Namespace, url: str, folder: Path) -> dict:
    verdict_path = folder / "verdict.json"
    common = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--skip-log-setup"]
    env = dict(
        os.environ,
        CONFORMANCE_TUTORIAL=str(namespace.tutorial),
        CONFORMANCE_REQUEST_TIMEOUT=str(namespace.request_timeout),
    )
    run_args = [
        "--headless",
        "--users",
        str(namespace.users),
        "--spawn-rate",
        str(namespace.users),
        "--run-time",
        f"{max(1, round(namespace.time))}s",
        "--stop-timeout",
        "2",
        "--host",
        url,
        "--only-summary",
    ]
    processes: list[subprocess.Popen] = []
    logs = []

    def start(args: list[str], name: str, **extra: str) -> subprocess.Popen:
        log = open(folder / f"{name}.log", "wb")  # noqa: SIM115
        logs.append(log)
        process = subprocess.Popen(
            args,
            env=dict(env, **extra),
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append(process)
        return process

    try:
        if namespace.workers == 0:
            master = start(common + run_args, "master", CONFORMANCE_VERDICT=str(verdict_path))
        else:
            port = free_port()
            master = start(
                common
                + run_args
                + [
                    "--master",
                    "--master-bind-host",
                    "127.0.0.1",
                    "--master-bind-port",
                    str(port),
                    "--expect-workers",
                    str(namespace.workers),
                    "--expect-workers-max-wait",
                    "30",
                ],
                "master",
                CONFORMANCE_VERDICT=str(verdict_path),
            )
            for i in range(1, namespace.workers + 1):
                start(
                    [*common, "--worker", "--master-host", "127.0.0.1", "--master-port", str(port)],
                    f"worker{i}",
                    CONFORMANCE_WORKER=str(i),
                )
        try:
            code = master.wait(timeout=namespace.time + GRACE)
        except subprocess.TimeoutExpired:
            raise LoadError(
                f"Locust did not finish within {namespace.time + GRACE:g} s; stopped"
            ) from None
        deadline = time.monotonic() + 10
        for process in processes[1:]:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
    finally:
        for process in processes:
            if process.poll() is None:
                with contextlib.suppress(OSError):
                    os.killpg(process.pid, 9)
                process.wait(timeout=10)
        for log in logs:
            log.close()
    if not verdict_path.exists():
        tail = (folder / "master.log").read_text("utf-8", "replace").strip().splitlines()[-3:]
        raise LoadError(
            f"Locust exited with status {code} and wrote no verdict; its output ends: "
            + shlex.quote(" | ".join(tail))[:300]
        )
    verdict = json.loads(verdict_path.read_text("utf-8"))
    verdict["master_exit_code"] = code
    return verdict
