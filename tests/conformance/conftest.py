"""Helpers for the tests of the conformance kit: the CLI as users run it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

#: Seconds any single CLI invocation in these tests may take before it is a hang.
CLI_TIMEOUT = 300


class CLIResult:
    def __init__(self, completed: subprocess.CompletedProcess, json_path: Path | None) -> None:
        self.status = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.json_path = json_path

    def run_facts(self) -> dict:
        """What ``from_facts`` needs to build this result again (the JSON stays in its file)."""
        return {"status": self.status, "stdout": self.stdout, "stderr": self.stderr}

    @classmethod
    def from_facts(cls, facts: dict, folder: Path, json_name: str = "result.json") -> CLIResult:
        done = subprocess.CompletedProcess([], facts["status"], facts["stdout"], facts["stderr"])
        return cls(done, folder / json_name)

    @property
    def document(self) -> dict:
        assert self.json_path is not None and self.json_path.exists(), "the run wrote no JSON"
        return json.loads(self.json_path.read_text(encoding="utf-8"))

    def outcomes(self) -> dict[tuple[str, int], str]:
        return {(e["id"], e["tutorial"]): e["outcome"] for e in self.document["requirements"]}

    def failed_ids(self, levels=("MUST", "SHOULD")) -> set[str]:
        return {
            e["id"]
            for e in self.document["requirements"]
            if e["outcome"] in ("fail", "error") and e["level"] in levels
        }

    def __repr__(self) -> str:
        return f"<CLIResult status={self.status} stderr={self.stderr[-500:]!r} stdout={self.stdout[-2000:]!r}>"


def unmeasured(env: dict[str, str]) -> dict[str, str]:
    """``env`` without what makes coverage measure a subprocess (its subprocess patch)."""
    return {k: v for k, v in env.items() if not k.startswith("COVERAGE_PROCESS_")}


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_cli(
    *args: str,
    cwd: Path,
    json_name: str | None = "result.json",
    timeout: float = CLI_TIMEOUT,
    sigint_ignored: bool = False,
    measured: bool = True,
) -> CLIResult:
    """``python -m conformance ARGS`` in a subprocess, as a user types it.

    ``sigint_ignored``: start it as a CI script's ``cmd &`` does, with SIGINT
    ignored (the process inherits that disposition).  ``measured=False``: the
    process and the servers it starts are not measured by coverage, for a run
    that repeats code an earlier, measured run of the same test has reached.
    """
    json_path = cwd / json_name if json_name else None
    argv = [sys.executable, "-m", "conformance", *args]
    if json_path is not None and args and args[0] == "run":
        argv[4:4] = ["--json", str(json_path)]
    if args and args[0] == "run" and "--browser-output" not in args:
        # A failed browser check's screenshots (kept for the user by design) go
        # to the test's folder, not to a new folder in /tmp per run.  TMPDIR is
        # left alone: under it `chromium` would find no room for its socket
        # (TEMPORARY_FOLDER_ROOM).
        argv[4:4] = ["--browser-output", str(cwd / "screenshots")]
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    if not measured:
        env = unmeasured(env)
    completed = subprocess.run(
        argv,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        preexec_fn=_ignore_sigint if sigint_ignored else None,
    )
    return CLIResult(completed, json_path)


@pytest.fixture
def cli(tmp_path):
    """``cli("run", "--tutorial", "7", ...)``: the CLI in a subprocess, in a fresh directory."""

    def call(*args: str, **kwargs) -> CLIResult:
        kwargs.setdefault("cwd", tmp_path)
        return run_cli(*args, **kwargs)

    return call
