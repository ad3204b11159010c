"""The pytest plugin: options, markers and fixtures over the conformance core.

Registered through the ``pytest11`` entry point, so ``pytest --pyargs
conformance.checks --tutorial 7 --base-url URL`` works in anyone's CI; the
CLI (``python -m conformance run``) drives the same plugin through
``pytest.main``.  The plugin is inert in test runs that collect no check.
"""

from __future__ import annotations

import _thread
import json
import os
import threading
import time

import pytest
import requests.adapters

from . import catalogue, profiles, results, tutorials
from .httpclient import DEFAULT_TIMEOUT, Client, Recorder, raw_request
from .reproduce import reproduction
from .targets import CommandTarget, Target, TargetError, UrlTarget

profiles.register()

_RECORDER = pytest.StashKey[Recorder]()
_STATE = pytest.StashKey["RunState"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "CherryPy tutorial conformance")
    group.addoption(
        "--tutorial",
        action="append",
        type=int,
        default=[],
        metavar="N",
        help="tutorial the target implements (1-12); repeat to select several for the "
        "embedded reference. Default: all, against the embedded reference.",
    )
    group.addoption(
        "--target-cmd",
        metavar="CMD",
        default=None,
        help="shell command that starts the target; {port} is replaced by a free port.",
    )
    group.addoption(
        "--level",
        choices=("must", "should", "info"),
        default="should",
        help="lowest level whose failures fail the run (default: should).",
    )
    group.addoption(
        "--conformance-json", metavar="PATH", default=None, help="write the JSON result here."
    )
    group.addoption(
        "--conformance-html", metavar="PATH", default=None, help="write the HTML report here."
    )
    group.addoption(
        "--request-timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"seconds to wait for each answer (default {DEFAULT_TIMEOUT:g}).",
    )
    group.addoption(
        "--start-timeout",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds a --target-cmd server gets to answer (default 30).",
    )
    group.addoption(
        "--run-timeout",
        type=float,
        default=0.0,
        metavar="S",
        help="stop the whole run after this many seconds (default: no limit).",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "requirement(*ids): the catalogue requirement(s) a check verifies."
    )
    config.addinivalue_line(
        "markers", "browser: drives a real browser (Chromium through Playwright)."
    )
    config.addinivalue_line("markers", "load: drives many concurrent clients against the target.")
    config.addinivalue_line("markers", "lifecycle: stops and restarts a --target-cmd target.")
    config.addinivalue_line(
        "markers", "conformance_unselected: internal; the check applies to no selected tutorial."
    )
    state = RunState(config)
    config.stash[_STATE] = state
    config.pluginmanager.register(state, "conformance-run")


class RunState:
    """Everything one run shares: the selection, the targets, the records."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.level = config.getoption("level")
        self.base_url = config.getoption("base_url", default=None)
        self.command = config.getoption("target_cmd")
        self.selected = sorted(set(config.getoption("tutorial")))
        self.timeout = config.getoption("request_timeout")
        self.records: list[results.CheckRecord] = []
        self.targets: dict[int, Target] = {}
        self.adapters: dict[int, requests.adapters.HTTPAdapter] = {}
        self.fatal: str | None = None
        self.started = time.time()
        self.active = False
        self.document: dict | None = None
        self._timer: threading.Timer | None = None

    # -- selection ---------------------------------------------------------
    def validate(self) -> None:
        """Raise UsageError for a selection no run can make sense of."""
        for n in self.selected:
            if n not in tutorials.TUTORIALS:
                raise pytest.UsageError(f"--tutorial {n}: no such tutorial; choose 1 to 12")
        if self.base_url and self.command:
            raise pytest.UsageError("give either --base-url or --target-cmd, not both")
        if (self.base_url or self.command) and len(self.selected) != 1:
            kind = "--base-url" if self.base_url else "--target-cmd"
            raise pytest.UsageError(
                f"{kind} needs exactly one --tutorial N: the tutorial that server implements"
            )
        level = str(self.level).lower()
        if level not in ("must", "should", "info"):
            raise pytest.UsageError(f"--level {self.level}: choose must, should or info")

    @property
    def tutorials(self) -> list[int]:
        return self.selected or sorted(tutorials.TUTORIALS)

    @property
    def target_kind(self) -> str:
        return "url" if self.base_url else "command" if self.command else "embedded"

    # -- targets -----------------------------------------------------------
    def target(self, number: int) -> Target:
        """The running target for tutorial ``number``, started on first use."""
        if number not in self.targets:
            target = self._make_target(number)
            target.start()
            self.targets[number] = target
        return self.targets[number]

    def _make_target(self, number: int) -> Target:
        if self.base_url:
            return UrlTarget(self.base_url, number, timeout=self.timeout)
        if self.command:
            return CommandTarget(
                self.command,
                number,
                start_timeout=self.config.getoption("start_timeout"),
                answer_timeout=self.timeout,
            )
        from .embedded import EmbeddedTarget

        return EmbeddedTarget(number)

    def adapter(self, number: int) -> requests.adapters.HTTPAdapter:
        """One connection pool per target: every client of a run reuses keep-alive connections."""
        if number not in self.adapters:
            self.adapters[number] = requests.adapters.HTTPAdapter(pool_maxsize=16)
        return self.adapters[number]

    def stop_all(self) -> None:
        for adapter in self.adapters.values():
            adapter.close()
        for target in self.targets.values():
            target.stop()
        self.targets.clear()

    def target_arguments(self) -> list[str]:
        """The command-line options that name this run's target."""
        if self.base_url:
            return ["--base-url", self.base_url]
        if self.command:
            return ["--target-cmd", self.command]
        return []

    def describe_target(self) -> dict:
        described = {"kind": self.target_kind}
        if self.base_url:
            described["url"] = self.base_url
        if self.command:
            described["command"] = self.command
        return described

    # -- the run clock -----------------------------------------------------
    def arm_timer(self, seconds: float) -> None:
        if seconds <= 0:
            return

        def expire() -> None:
            self.fatal = f"the run exceeded --run-timeout {seconds:g} s and was stopped"
            _thread.interrupt_main()

        self._timer = threading.Timer(seconds, expire)
        self._timer.daemon = True
        self._timer.start()

    def disarm_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    # -- results -----------------------------------------------------------
    def finish(self) -> dict:
        if self.document is None:
            framework = None
            if self.target_kind == "embedded" and self.active:
                from .embedded import framework_version

                framework = framework_version()
            self.document = results.build(
                self.records,
                self.tutorials,
                self.describe_target(),
                self.level,
                self.started,
                time.time(),
                fatal=self.fatal,
                framework=framework,
            )
        return self.document

    # -- hooks (this object is registered as a plugin) --------------------
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        if not any(requirement_ids(i) for i in items):
            return
        self.active = True
        try:
            self.validate()
            if self.target_kind != "embedded":
                # An unusable target ends the run before any check: one line, status 2.
                self.target(self.tutorials[0])
        except (TargetError, pytest.UsageError) as error:
            self.fatal = str(error)
            self.config.hook.pytest_deselected(items=list(items))
            items.clear()
            return
        unselected = [i for i in items if i.get_closest_marker("conformance_unselected")]
        if unselected:
            self.config.hook.pytest_deselected(items=unselected)
            items[:] = [i for i in items if not i.get_closest_marker("conformance_unselected")]
        self.arm_timer(self.config.getoption("run_timeout"))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        data = getattr(report, "conformance", None)
        if data is not None:
            # Under xdist the controller collects nothing itself: reports make it active.
            self.active = True
            self.records.append(results.CheckRecord(**data))

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error) -> None:
        """xdist controller: a worker that found the target unusable says so here."""
        fatal = getattr(node, "workeroutput", {}).get("conformance_fatal")
        if fatal and self.fatal is None:
            self.fatal = fatal
            self.active = True

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self.disarm_timer()
        self.stop_all()
        if _is_worker(self.config):
            if self.fatal is not None:
                self.config.workeroutput["conformance_fatal"] = self.fatal
            return
        if not self.active:
            return
        document = self.finish()
        document["exit_status"] = _exit_status(document, exitstatus)
        if self.fatal is not None:
            session.exitstatus = 2
        path = self.config.getoption("conformance_json")
        if path:
            _write(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        path = self.config.getoption("conformance_html")
        if path:
            from .report import render

            _write(path, render([document]))

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if _is_worker(self.config) or not self.active:
            return
        document = self.finish()
        if document["fatal"] is not None:
            terminalreporter.write_line(f"conformance: {document['fatal']}", red=True)
            return
        terminalreporter.section(
            f"conformance: target {document['target']['kind']}, level {document['level']}", sep="="
        )
        for line in results.table(document):
            terminalreporter.write_line(line)


def _state(config: pytest.Config) -> RunState:
    return config.stash[_STATE]


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def requirement_ids(item: pytest.Item) -> list[str]:
    """The requirement ids an item cites, in order, without repeats."""
    ids: list[str] = []
    for mark in item.iter_markers("requirement"):
        ids.extend(i for i in mark.args if i not in ids)
    return ids


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    ids = [i for m in metafunc.definition.iter_markers("requirement") for i in m.args]
    if not ids or "tutorial" not in metafunc.fixturenames:
        return  # not a conformance check: leave other tests' parameters alone
    state = _state(metafunc.config)
    applicable = set(state.tutorials)
    for rid in ids:
        applicable &= set(catalogue.get(rid).tutorials)
    if not applicable:
        metafunc.parametrize(
            "tutorial", [pytest.param(0, marks=pytest.mark.conformance_unselected)], indirect=True
        )
        return
    numbers = sorted(applicable)
    metafunc.parametrize("tutorial", numbers, indirect=True, ids=[f"t{n:02d}" for n in numbers])


@pytest.fixture
def tutorial(request: pytest.FixtureRequest) -> tutorials.Tutorial:
    """The tutorial this check runs for (parametrized by the selection)."""
    return tutorials.get(request.param)


@pytest.fixture
def target(request: pytest.FixtureRequest, tutorial: tutorials.Tutorial) -> Target:
    """The running server for ``tutorial`` (one per tutorial for the whole run)."""
    return _state(request.config).target(tutorial.number)


@pytest.fixture
def recorder(request: pytest.FixtureRequest) -> Recorder:
    """What this check sends, kept for the reproduction of a failure."""
    rec = Recorder()
    request.node.stash[_RECORDER] = rec
    return rec


@pytest.fixture
def new_client(request: pytest.FixtureRequest, target: Target, recorder: Recorder):
    """A factory of clients, each with its own cookie jar, sharing keep-alive connections."""
    state = _state(request.config)
    made: list[Client] = []

    def make() -> Client:
        client = Client(target.url, recorder, state.adapter(target.tutorial), state.timeout)
        made.append(client)
        return client

    yield make
    for client in made:
        client.session.cookies.clear()


@pytest.fixture
def client(new_client) -> Client:
    """A fresh client: a browser with an empty cookie jar."""
    return new_client()


@pytest.fixture
def raw(request: pytest.FixtureRequest, target: Target, recorder: Recorder):
    """``raw(method, path, headers=None)``: send the path exactly as given (no ``..`` folding)."""
    timeout = _state(request.config).timeout

    def send(method: str, path: str, headers: dict | None = None):
        return raw_request(target.url, recorder, method, path, headers, timeout)

    return send


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    ids = requirement_ids(item)
    if not ids or not hasattr(item, "callspec") or "tutorial" not in item.callspec.params:
        return
    if report.when != "call" and not (report.when == "setup" and not report.passed):
        return
    state = _state(item.config)
    record = results.CheckRecord(
        check=item.nodeid.split("::", 1)[-1],
        ids=ids,
        tutorial=item.callspec.params["tutorial"],
        outcome="pass",
        duration=round(call.duration, 4),
    )
    rec = item.stash.get(_RECORDER, None)
    record.requests = rec.sent if rec else 0
    if report.skipped:
        record.outcome = "skip"
        record.message = _skip_reason(report)
    elif report.failed:
        exc = call.excinfo.value if call.excinfo else None
        if isinstance(exc, AssertionError) and report.when == "call":
            record.outcome = "fail"
            record.message = _one_line(exc) or "assertion failed"
        else:
            record.outcome = "error"
            record.message = (
                f"kit error, not a verdict on the target: {type(exc).__name__}: {_one_line(exc)}"
            )
        record.reproduction = reproduction(
            rec.exchanges if rec else [],
            record.tutorial,
            state.target_arguments(),
            item.originalname,
        )
    report.conformance = record.as_dict()
    level = catalogue.strictest(ids)
    # On the item, so that the JUnit writer finds them on the teardown report.
    item.user_properties += [
        ("requirement", " ".join(ids)),
        ("level", level),
        ("tutorial", str(record.tutorial)),
    ]
    if record.outcome == "fail" and not any(catalogue.get(i).binding_at(state.level) for i in ids):
        # Below the --level threshold a failure is reported, never fatal to the run.
        report.outcome = "skipped"
        report.wasxfail = f"{level} (below --level {state.level}): {record.message}"


def _one_line(exc: BaseException | None) -> str:
    text = str(exc).strip() if exc is not None else ""
    return text.splitlines()[0][:300] if text else ""


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr or "skipped")


def _exit_status(document: dict, pytest_status: int) -> int:
    """The CLI contract's status: 0 pass, 1 a binding check failed, 2 unusable target or usage."""
    if document["fatal"] is not None or int(pytest_status) in (2, 3, 4):
        return 2
    return 0 if results.passed(document) else 1


def _write(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
