"""``python -m conformance``: run the checks, print the catalogue, merge reports.

The command line contract (scripts and CI rely on it; keep it stable)::

    python -m conformance run [--tutorial N]... [--base-url URL | --target-cmd CMD]
                              [--level must|should|info] [--json PATH] [--junit PATH]
                              [--html PATH] [-- PYTEST_ARGS...]
    python -m conformance spec [--json]
    python -m conformance report MERGED.html RESULT.json...

``run`` exits 0 when every selected check at or above ``--level`` passed, 1
when one failed, 2 on a usage error or an unusable target (one line on
stderr, never a traceback).  It builds pytest arguments and calls
``pytest.main``: the plugin does the work, so the two front doors agree.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

from . import catalogue, profiles
from .report import load, render

PACKAGE = Path(__file__).resolve().parent
#: pytest's exit codes that mean "the run itself could not be made".
_UNUSABLE = {
    2: "the run was interrupted",
    3: "internal error in pytest or the kit",
    4: "usage error",
    5: "no check matched the selection",
}


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m conformance", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="check a target (default: every tutorial, embedded reference)")
    run.add_argument(
        "--tutorial",
        type=int,
        action="append",
        default=[],
        metavar="N",
        help="tutorial the target implements (1-12); repeatable. Default: all.",
    )
    where = run.add_mutually_exclusive_group()
    where.add_argument("--base-url", metavar="URL", help="check a server someone else started")
    where.add_argument(
        "--target-cmd",
        metavar="CMD",
        help="start the target with this shell command; {port} becomes a free port",
    )
    run.add_argument(
        "--level",
        choices=("must", "should", "info"),
        default="should",
        help="lowest level whose failures fail the run (default: should)",
    )
    run.add_argument("--json", metavar="PATH", help="write the JSON result here")
    run.add_argument("--junit", metavar="PATH", help="write JUnit XML here")
    run.add_argument("--html", metavar="PATH", help="write a self-contained HTML report here")
    run.add_argument(
        "--profile",
        choices=profiles.NAMES,
        default="ci",
        help="Hypothesis settings profile (default: ci, derandomized, no database)",
    )
    run.add_argument(
        "--request-timeout",
        type=float,
        default=10.0,
        metavar="S",
        help="seconds to wait for each answer (default 10)",
    )
    run.add_argument(
        "--start-timeout",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds a --target-cmd server gets to answer (default 30)",
    )
    run.add_argument(
        "--run-timeout",
        type=float,
        default=900.0,
        metavar="S",
        help="stop the whole run after this many seconds (default 900)",
    )
    run.add_argument(
        "pytest_args",
        nargs="*",
        metavar="-- PYTEST_ARGS",
        help="passed to pytest as they are, after --",
    )

    spec = sub.add_parser("spec", help="print the requirement catalogue")
    spec.add_argument("--json", action="store_true", help="as JSON")

    report = sub.add_parser("report", help="merge result files into one HTML matrix")
    report.add_argument("output", metavar="MERGED.html")
    report.add_argument("results", nargs="+", metavar="RESULT.json")
    return parser


def pytest_arguments(options: argparse.Namespace) -> list[str]:
    """The pytest command line equivalent to a ``run``."""
    args = [
        "-c",
        str(PACKAGE / "pytest.ini"),
        "--rootdir",
        str(PACKAGE),
        "--pyargs",
        "conformance.checks",
        "-q",
        "--no-header",
        "--tb=no",
        "-p",
        "no:cacheprovider",
        f"--hypothesis-profile={options.profile}",
        f"--level={options.level}",
        f"--request-timeout={options.request_timeout}",
        f"--start-timeout={options.start_timeout}",
        f"--run-timeout={options.run_timeout}",
    ]
    args += [f"--tutorial={n}" for n in options.tutorial]
    if options.base_url:
        args.append(f"--base-url={options.base_url}")
    if options.target_cmd:
        args.append(f"--target-cmd={options.target_cmd}")
    if options.json:
        args.append(f"--conformance-json={os.path.abspath(options.json)}")
    if options.html:
        args.append(f"--conformance-html={os.path.abspath(options.html)}")
    if options.junit:
        args.append(f"--junit-xml={os.path.abspath(options.junit)}")
    return args + list(options.pytest_args)


class _Outcome:
    """Keeps the run's result document where the CLI can read it after pytest returns."""

    config = None

    def pytest_configure(self, config) -> None:
        self.config = config

    def document(self) -> dict | None:
        if self.config is None:
            return None
        from .plugin import _STATE

        state = self.config.stash.get(_STATE, None)
        return state.document if state is not None else None


def run(options: argparse.Namespace) -> int:
    import pytest

    # SIGTERM to the kit stops the run like Ctrl-C: servers are stopped, reports written.
    signal.signal(signal.SIGTERM, lambda *_: signal.default_int_handler(signal.SIGINT, None))
    outcome = _Outcome()
    status = int(pytest.main(pytest_arguments(options), plugins=[outcome]))
    document = outcome.document()
    if document is not None and document.get("fatal"):
        sys.stderr.write(f"conformance: {document['fatal']}\n")
        return 2
    if status in _UNUSABLE:
        if status in (2, 3, 5):
            sys.stderr.write(f"conformance: {_UNUSABLE[status]}\n")
        return 2
    if document is None:
        return 2
    return document["exit_status"]


def spec(options: argparse.Namespace) -> int:
    requirements = catalogue.requirements().values()
    if options.json:
        data = {
            "spec_version": catalogue.spec_version(),
            "requirements": [r.as_dict() for r in requirements],
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    width = max(len(r.id) for r in requirements)
    for r in requirements:
        tuts = ",".join(str(t) for t in r.tutorials)
        print(f"{r.id:<{width}}  {r.level:<6}  tutorials {tuts}")
        print(f"{'':<{width}}  {r.statement}")
    counts = {lvl: sum(1 for r in requirements if r.level == lvl) for lvl in catalogue.LEVELS}
    print(f"{len(requirements)} requirements: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


def report(options: argparse.Namespace) -> int:
    try:
        documents = [load(p) for p in options.results]
    except ValueError as error:
        sys.stderr.write(f"conformance report: {error}\n")
        return 2
    try:
        Path(options.output).write_text(render(documents), encoding="utf-8")
    except OSError as error:
        sys.stderr.write(f"conformance report: cannot write {options.output}: {error.strerror}\n")
        return 2
    print(f"wrote {options.output}: {len(documents)} result(s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    try:
        return {"run": run, "spec": spec, "report": report}[options.command](options)
    except KeyboardInterrupt:
        sys.stderr.write("conformance: interrupted\n")
        return 2
