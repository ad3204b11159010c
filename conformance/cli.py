"""``python -m conformance``: run the checks, print the catalogue, merge reports.

The command line contract (scripts and CI rely on it; keep it stable)::

    python -m conformance run [--tutorial N]... [--base-url URL | --target-cmd CMD]
                              [--level must|should|info] [--json PATH] [--junit PATH]
                              [--html PATH] [-- PYTEST_ARGS...]
    python -m conformance spec [--json]
    python -m conformance report MERGED.html RESULT.json...
    python -m conformance load --tutorial N (--base-url URL | --target-cmd CMD)
                               [--users U] [--time T] [--workers W] [--json PATH]

``run`` exits 0 when every selected check at or above ``--level`` passed, 1
when one failed, 2 on a usage error or an unusable target (one line on
stderr, never a traceback).  It builds pytest arguments and calls
``pytest.main``: the plugin does the work, so the two front doors agree.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import signal
import sys
from pathlib import Path

from . import results
from .load import command as load_command
from .results import html
from .run import many, options, status
from .run.session import Run, Settings
from .spec import catalogue

PACKAGE = Path(__file__).resolve().parent


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m conformance", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="check a target (default: every tutorial, embedded reference)")
    options.add_to_argparse(run)
    run.add_argument(
        "pytest_args",
        nargs="*",
        metavar="-- PYTEST_ARGS",
        help="passed to pytest as they are, after --",
    )

    spec = sub.add_parser("spec", help="print the requirement catalogue")
    spec.add_argument("--json", action="store_true", help="as JSON")

    load = sub.add_parser("load", help="the load scenario through Locust, headless")
    load_command.add_arguments(load)

    report = sub.add_parser("report", help="merge result files into one HTML matrix")
    report.add_argument("output", metavar="MERGED.html")
    report.add_argument("results", nargs="+", metavar="RESULT.json")
    return parser


def pytest_arguments(namespace: argparse.Namespace) -> list[str]:
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
    ]
    return args + options.pytest_arguments(namespace) + list(namespace.pytest_args)


class _Outcome:
    """Keeps the run where the CLI can read its result after pytest returns."""

    config = None

    def pytest_configure(self, config) -> None:
        self.config = config

    def _state(self):
        if self.config is None:
            return None
        from .plugin import _STATE

        return self.config.stash.get(_STATE, None)

    def run(self) -> Run | None:
        """The run pytest's plugin took part in (concluded or not), if any."""
        state = self._state()
        return state.run if state is not None and getattr(state, "active", False) else None

    def interrupt(self, *_) -> None:
        """Ctrl-C or SIGTERM: the run was stopped by its user, wherever pytest was."""
        state = self._state()
        if state is not None:
            state.run.interrupted = True
        raise KeyboardInterrupt


def run_targets(namespace: argparse.Namespace) -> int:
    """``run --targets FILE``: every target in its own run, then the matrix."""
    clashing = [
        name
        for name, value in (
            ("--tutorial", namespace.tutorial),
            ("--base-url", namespace.base_url),
            ("--target-cmd", namespace.target_cmd),
            ("--known-failures", namespace.known_failures),
            ("--name", namespace.name),
            ("--badge", namespace.badge),
            ("-- PYTEST_ARGS", namespace.pytest_args),
        )
        if value
    ]
    if clashing:
        sys.stderr.write(
            f"conformance: --targets names every target itself; drop {', '.join(clashing)}\n"
        )
        return status.UNUSABLE
    try:
        specs = many.load(namespace.targets)
    except many.TargetsError as error:
        sys.stderr.write(f"conformance: {error}\n")
        return status.UNUSABLE
    folder = namespace.json or "conformance-results"
    worst, reports = many.run_all(
        specs, folder, namespace.jobs or many.default_jobs(), options.cli_arguments(namespace)
    )
    loaded = []
    for report in reports:
        try:
            loaded.append(results.load(report))
        except results.NotAResult as error:
            print(f"conformance: {error}")
    if namespace.html and loaded:
        Path(namespace.html).parent.mkdir(parents=True, exist_ok=True)
        Path(namespace.html).write_text(html.render(loaded), encoding="utf-8")
    print(
        f"{len(specs)} target(s): one JSON each in {folder}"
        + (f", matrix {namespace.html}" if namespace.html else "")
    )
    return worst


def run(namespace: argparse.Namespace) -> int:
    if namespace.targets:
        return run_targets(namespace)
    import pytest

    outcome = _Outcome()
    # SIGTERM to the kit stops the run like Ctrl-C: servers are stopped, reports written.
    signal.signal(signal.SIGINT, outcome.interrupt)
    signal.signal(signal.SIGTERM, outcome.interrupt)
    try:
        pytest_status = int(pytest.main(pytest_arguments(namespace), plugins=[outcome]))
    except Exception:
        # pytest itself broke while unwinding (rendering an interrupted frame can
        # raise): the run still ends here, with its servers stopped and its reports.
        pytest_status = 3
    finished = outcome.run()
    if finished is not None and finished.result is None:
        finished.stop_targets()
        finished.write_reports(finished.conclude(pytest_status))
    if finished is None:
        # pytest stopped before the plugin could conclude (a usage error, or no
        # check was collected): the same conclusion, from the CLI's options.
        finished = conclude_alone(namespace, pytest_status)
    result = finished.result
    assert result is not None
    if result.fatal is not None:
        sys.stderr.write(f"conformance: {result.fatal}\n")
    return result.exit_status


def conclude_alone(
    namespace: argparse.Namespace, pytest_status: int, fatal: str | None = None
) -> Run:
    """A run concluded without the plugin (pytest never reached it, or never ran),
    from the CLI's options, its reports written: they say the exit status it returns."""
    finished = Run(Settings.from_values(options.cli_values(namespace)))
    finished.fatal = fatal
    finished.write_reports(finished.conclude(pytest_status))
    return finished


def spec(namespace: argparse.Namespace) -> int:
    requirements = catalogue.requirements().values()
    if namespace.json:
        data = {
            "spec_version": catalogue.spec_version(),
            "requirements": [r.as_dict() for r in requirements],
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    width = max(len(r.id) for r in requirements)
    for r in requirements:
        print(f"{r.id:<{width}}  {r.level:<6}  tutorials {r.tutorial_range}  {' '.join(r.checks)}")
        print(f"{'':<{width}}  {r.statement}")
    counts = {lvl: sum(1 for r in requirements if r.level == lvl) for lvl in catalogue.LEVELS}
    print(f"{len(requirements)} requirements: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


def report(namespace: argparse.Namespace) -> int:
    try:
        loaded = [results.load(p) for p in namespace.results]
    except results.NotAResult as error:
        sys.stderr.write(f"conformance report: {error}\n")
        return 2
    try:
        Path(namespace.output).write_text(html.render(loaded), encoding="utf-8")
    except OSError as error:
        sys.stderr.write(f"conformance report: cannot write {namespace.output}: {error.strerror}\n")
        return 2
    print(f"wrote {namespace.output}: {len(loaded)} result(s)")
    return 0


#: What ``run`` and ``load`` say from a checkout that was never installed: ``conformance``
#: is found in the current folder, but not the fixtures (installed as ``tutorial_fixtures``),
#: the pytest plugin's entry point nor the package the subprocesses import.
NOT_INSTALLED = (
    "the kit is not installed (no module tutorial_fixtures): "
    "run pip install -e . in the repository, then try again"
)


def main(argv: list[str] | None = None) -> int:
    namespace = build_parser().parse_args(argv)
    if (
        namespace.command in ("run", "load")
        and importlib.util.find_spec("tutorial_fixtures") is None
    ):
        sys.stderr.write(f"conformance: {NOT_INSTALLED}\n")
        if namespace.command == "load":
            return status.UNUSABLE
        # pytest never runs; the reports still say why, with the status returned.
        return conclude_alone(namespace, status.UNUSABLE, NOT_INSTALLED).result.exit_status
    try:
        commands = {"run": run, "spec": spec, "report": report, "load": load_command.main}
        return commands[namespace.command](namespace)
    except KeyboardInterrupt:
        sys.stderr.write("conformance: interrupted\n")
        return status.UNUSABLE
    except BrokenPipeError:
        # The reader went away (`... | head`): nothing left to say, and no traceback.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
