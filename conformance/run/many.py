"""Many targets in one run (``python -m conformance run --targets FILE``).

FILE is TOML with one ``[[target]]`` table per target::

    [[target]]
    name = "alice"
    tutorial = 7
    cmd = "python alice/tut07.py {port}"      # or: url = "http://127.0.0.1:8001/"
    known_failures = "alice/known.txt"        # optional

Every target is checked by its own ``python -m conformance run`` process, so
that one's crash or hang never stops another, ``jobs`` at a time (a thread
pool that only waits on those processes).  Each writes ``NAME.json`` (and its
output to ``NAME.log``) into the results folder; the matrix of them all goes
to the HTML page.  The exit status is the worst of the targets'.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from ..spec import tutorials as tutorial_facts

# tomllib from Python 3.11; the same parser as tomli before.
tomllib = importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")


class TargetsError(ValueError):
    """A targets file that cannot be used; the message is one line."""


@dataclasses.dataclass(frozen=True)
class TargetSpec:
    name: str
    tutorial: int
    cmd: str | None = None
    url: str | None = None
    known_failures: str | None = None

    @property
    def file_name(self) -> str:
        """The name as a file name: letters, digits, ``.``, ``_`` and ``-`` only."""
        return re.sub(r"[^A-Za-z0-9._-]", "_", self.name)

    def arguments(self) -> list[str]:
        args = ["--tutorial", str(self.tutorial), "--name", self.name]
        args += ["--target-cmd", self.cmd] if self.cmd else ["--base-url", str(self.url)]
        if self.known_failures:
            args += ["--known-failures", self.known_failures]
        return args


_KEYS = {"name", "tutorial", "cmd", "url", "known_failures"}


def load(path: str) -> list[TargetSpec]:
    """The targets of a TOML file; TargetsError names the table that is wrong."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise TargetsError(f"cannot read --targets {path}: {error.strerror}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise TargetsError(f"--targets {path} is not TOML ({error})") from None
    tables = data.get("target")
    if not isinstance(tables, list) or not tables:
        raise TargetsError(f"--targets {path} has no [[target]] table")
    specs: list[TargetSpec] = []
    for index, table in enumerate(tables, start=1):
        where = f"--targets {path}, target {index}"
        unknown = sorted(set(table) - _KEYS)
        if unknown:
            raise TargetsError(f"{where}: unknown key(s) {', '.join(unknown)}")
        name, tutorial = table.get("name"), table.get("tutorial")
        if not isinstance(name, str) or not name.strip():
            raise TargetsError(f"{where}: needs a name")
        if not isinstance(tutorial, int) or tutorial not in tutorial_facts.TUTORIALS:
            raise TargetsError(f"{where} ({name}): tutorial must be a number from 1 to 12")
        if ("cmd" in table) == ("url" in table):
            raise TargetsError(f"{where} ({name}): give either cmd or url")
        known = table.get("known_failures")
        if known is not None:
            known = str((Path(path).parent / known).resolve())
        spec = TargetSpec(name, tutorial, table.get("cmd"), table.get("url"), known)
        if any(s.file_name == spec.file_name for s in specs):
            raise TargetsError(f"{where}: the name {name!r} is used twice")
        specs.append(spec)
    return specs


def run_one(spec: TargetSpec, folder: Path, common: Sequence[str]) -> int:
    """Check one target in a process of its own; its exit status."""
    report = folder / f"{spec.file_name}.json"
    command = [sys.executable, "-m", "conformance", "run", *spec.arguments(), "--json", str(report)]
    command += list(common)
    with open(folder / f"{spec.file_name}.log", "wb") as log:
        done = subprocess.run(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    return done.returncode


def run_all(
    specs: Sequence[TargetSpec], folder: str, jobs: int, common: Sequence[str]
) -> tuple[int, list[Path]]:
    """Check every target, ``jobs`` at a time; the worst exit status and the reports."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        statuses = list(pool.map(lambda spec: run_one(spec, out, common), specs))
    reports = [out / f"{spec.file_name}.json" for spec in specs]
    for spec, status, report in zip(specs, statuses, reports):
        lines = _verdict_lines(report)
        print(f"{spec.name}: exit status {status}; " + ("; ".join(lines) or f"see {report}"))
    return max(statuses), reports


def _verdict_lines(report: Path) -> list[str]:
    try:
        document = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if document.get("fatal"):
        return [str(document["fatal"])]
    return [v["line"] for v in document.get("verdicts", [])]


def default_jobs() -> int:
    return os.cpu_count() or 1
