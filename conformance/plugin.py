"""The pytest plugin: options, markers, fixtures and hooks over the kit's core.

Registered through the ``pytest11`` entry point, so ``pytest --pyargs
conformance.checks --tutorial 7 --base-url URL`` works in anyone's CI; the
CLI (``python -m conformance run``) drives the same plugin through
``pytest.main``.  Every option comes from ``run.options``; a run's state,
clock, exit status and reports live in ``run.session.Run``; the plugin only
translates pytest's events into it.  It is inert in test runs that collect no
check.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import re
import shlex
import shutil
import sys
import tempfile
import urllib.parse

import pytest

from .http.browser import Browser, BrowserUnavailable, Visit
from .http.client import Client, Differences, Mirror, Recorder, raw_request
from .http.targets import CommandTarget, Target, TargetError, is_loopback
from .properties import GENERATES_INPUTS, profiles
from .results.model import Check
from .results.reproduce import reproduction
from .run import options
from .run.session import Run, Settings, UsageError
from .spec import catalogue, tutorials

profiles.register()

_RECORDER = pytest.StashKey[Recorder]()
_EVIDENCE = pytest.StashKey[dict]()
_DIFFERENCES = pytest.StashKey[Differences]()
_STATE = pytest.StashKey["RunState"]()
#: Called with ``failed`` when a check's call ends, before its ``Check`` is built.
_AFTER_CALL = pytest.StashKey[list]()

_MARKERS = (
    "requirement(*ids): the catalogue requirement(s) a check verifies.",
    "browser: drives a real browser (Chromium through Playwright).",
    "load: many concurrent clients for a few seconds (--load-clients, --load-time); "
    "runs after the other checks.",
    "lifecycle: stops and starts the server the kit owns (--target-cmd, or the reference "
    "served as a command); runs last.",
    "conformance_unselected: internal; the check applies to no selected tutorial.",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    options.add_to_pytest(parser.getgroup("conformance", "CherryPy tutorial conformance"))


def pytest_configure(config: pytest.Config) -> None:
    for line in _MARKERS:
        config.addinivalue_line("markers", line)
    profiles.select(config.getoption("hypothesis_profile", default=None))
    state = RunState(config)
    config.stash[_STATE] = state
    config.pluginmanager.register(state, "conformance-run")


def settings_from(config: pytest.Config) -> Settings:
    """The run's settings, read from pytest's parsed options."""
    return Settings.from_values({k: config.getoption(k, default=None) for k in Settings.KEYS})


class RunState:
    """pytest's view of a ``Run``: the hooks that feed it (registered as a plugin)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.run = Run(settings_from(config))
        self.active = False

    @property
    def settings(self) -> Settings:
        return self.run.settings

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        if not any(requirement_ids(i) for i in items):
            return
        self.active = True
        profiles.store_caches_per_user()
        try:
            self.settings.validate()
            if self.settings.target_kind != "embedded":
                # An unusable target ends the run before any check: one line, status 2.
                self.run.target(self.settings.selected[0])
        except (TargetError, UsageError) as error:
            self.run.fatal = str(error)
            self.config.hook.pytest_deselected(items=list(items))
            items.clear()
            return
        unselected = [i for i in items if i.get_closest_marker("conformance_unselected")]
        if unselected:
            self.config.hook.pytest_deselected(items=unselected)
            items[:] = [i for i in items if not i.get_closest_marker("conformance_unselected")]
        # Load checks after the others, lifecycle checks (which restart the server) last.
        items.sort(key=_stage)
        if not _is_worker(self.config):
            self.run.clock.start()

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if self.active and self.run.fatal is None:
            # Every selected tutorial's reference starts now, while the first checks run
            # (with --differential, of the tutorials that have checks of generated inputs).
            checks = [i for i in session.items if _is_check(i)]
            if self.settings.target_kind != "embedded":
                checks = [i for i in checks if _generates_inputs(i)]
            self.run.launch_embedded(sorted({i.callspec.params["tutorial"] for i in checks}))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        data = getattr(report, "conformance", None)
        if data is not None:
            # Under xdist the controller collects nothing itself: reports make it active.
            self.active = True
            self.run.checks.append(Check.from_dict(data))

    def pytest_keyboard_interrupt(self) -> None:
        self.run.interrupted = True

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error) -> None:
        """xdist controller: a worker that found the target unusable says so here."""
        fatal = getattr(node, "workeroutput", {}).get("conformance_fatal")
        if fatal and self.run.fatal is None:
            self.run.fatal = fatal
            self.active = True

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        try:
            if _is_worker(self.config):
                self.run.stop_targets()
                if self.run.fatal is not None:
                    self.config.workeroutput["conformance_fatal"] = self.run.fatal
                return
            if not self.active:
                return
            result = self.run.conclude(exitstatus)
            self.run.write_reports(result)
            self.run.stop_targets()
            session.exitstatus = result.exit_status
        finally:
            self.run.clock.finish()

    def pytest_terminal_summary(self, terminalreporter) -> None:
        result = self.run.result
        if _is_worker(self.config) or result is None:
            return
        if result.fatal is not None:
            terminalreporter.write_line(f"conformance: {result.fatal}", red=True)
            return
        terminalreporter.section(
            f"conformance: target {result.target['kind']}, level {result.level}", sep="="
        )
        for line in self.run.terminal_lines():
            terminalreporter.write_line(line)


def _stage(item: pytest.Item) -> int:
    if item.get_closest_marker("lifecycle"):
        return 2
    return 1 if item.get_closest_marker("load") else 0


def _state(config: pytest.Config) -> RunState:
    return config.stash[_STATE]


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _is_check(item: pytest.Item) -> bool:
    """Whether ``item`` is a conformance check parametrized by a tutorial."""
    callspec = getattr(item, "callspec", None)
    return callspec is not None and "tutorial" in callspec.params and bool(requirement_ids(item))


def _generates_inputs(item: pytest.Item) -> bool:
    return bool(getattr(getattr(item, "function", None), GENERATES_INPUTS, False))


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
    applicable = set(_state(metafunc.config).settings.selected)
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
    return _state(request.config).run.target(tutorial.number)


@pytest.fixture
def recorder(request: pytest.FixtureRequest) -> Recorder:
    """What this check sends, kept for the reproduction of a failure."""
    rec = Recorder()
    request.node.stash[_RECORDER] = rec
    return rec


@pytest.fixture
def evidence(request: pytest.FixtureRequest) -> dict:
    """What the check observed beyond its verdict (JSON values), kept in the reports."""
    observed: dict = {}
    request.node.stash[_EVIDENCE] = observed
    return observed


@pytest.fixture
def new_client(request: pytest.FixtureRequest, target: Target, recorder: Recorder):
    """A factory of clients, each with its own cookie jar, sharing keep-alive connections."""
    run = _state(request.config).run
    made: list[Client] = []

    def make() -> Client:
        client = Client(
            target.url,
            recorder,
            run.adapter(target.tutorial),
            run.settings.request_timeout,
            mirror=_mirror(request, target.tutorial),
        )
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
    timeout = _state(request.config).settings.request_timeout
    mirror = _mirror(request, target.tutorial)

    def send(method: str, path: str, headers: dict | None = None):
        return raw_request(target.url, recorder, method, path, headers, timeout, mirror)

    return send


def _mirror(request: pytest.FixtureRequest, number: int) -> Mirror | None:
    """The embedded reference beside the target, for a check of generated inputs
    under ``--differential`` (None otherwise)."""
    run = _state(request.config).run
    if not (run.settings.differential and _generates_inputs(request.node)):
        return None
    differences = request.node.stash.setdefault(_DIFFERENCES, Differences())
    reference = run.reference(number)
    return Mirror(
        reference.url,
        differences,
        run.adapter(number, reference=True),
        run.settings.request_timeout,
    )


@pytest.fixture
def browser(request: pytest.FixtureRequest) -> Browser:
    """The run's one Chromium (launched by the first visit); the check is skipped,
    in one line saying how to get it, where Playwright or Chromium is missing."""
    chromium = _state(request.config).run.browser()
    try:
        chromium.check()
    except BrowserUnavailable as error:
        pytest.skip(str(error))
    return chromium


@pytest.fixture
def visit(request: pytest.FixtureRequest, browser: Browser, target: Target, recorder, evidence):
    """``visit(client=None)``: a new person (a fresh browser context and page) on the target.

    The page's requests to the target are recorded with ``client``'s id, so
    that a reproduction replays them in that client's cookie jar.  When the
    check fails, each person's page is saved as a screenshot under the
    browser output folder and what the page did (console errors, failed
    requests, its HTTP exchanges) goes into the check's evidence.
    """
    made: list[Visit] = []

    def make(client: Client | None = None) -> Visit:
        try:
            if browser.launch():
                evidence["browser_launch_s"] = browser.launch_s
        except BrowserUnavailable as error:
            pytest.skip(str(error))
        person = browser.visit(target.url, recorder, client.id if client else 0)
        made.append(person)
        return person

    def after_call(failed: bool) -> None:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
        for n, person in enumerate(made, 1):
            prefix = "" if n == 1 else f"person {n} "
            observed = person.evidence()
            if failed:
                shot = person.screenshot(browser.output / f"{name}-{n}.png")
                if shot:
                    evidence[f"{prefix}screenshot"] = shot
            else:
                observed = {
                    k: v
                    for k, v in observed.items()
                    if k in ("routed_to_vendored", "blocked_hosts")
                }
            evidence.update({prefix + k: v for k, v in observed.items()})

    request.node.stash.setdefault(_AFTER_CALL, []).append(after_call)
    yield make
    for person in made:
        person.close()


@dataclasses.dataclass(frozen=True)
class LoadSettings:
    """How hard and how long the load checks may press the target."""

    clients: int
    seconds: float
    request_timeout: float


LOOPBACK_REFUSAL = (
    "refused: the load checks send only to loopback (127.0.0.0/8, ::1), and {host} is not; "
    "pass --allow-remote-load to load it"
)


@pytest.fixture
def load_settings(request: pytest.FixtureRequest, target: Target) -> LoadSettings:
    """The load checks' bounds; skips (one line why) a target outside loopback unless allowed."""
    settings = _state(request.config).settings
    if not settings.allow_remote_load and not is_loopback(target.url):
        host = urllib.parse.urlsplit(target.url).hostname
        pytest.skip(LOOPBACK_REFUSAL.format(host=host))
    return LoadSettings(settings.load_clients, settings.load_time, settings.request_timeout)


def reference_command(number: int, db_path: str) -> str:
    """The shell command that serves the reference tutorial ``number`` on ``{port}``."""
    return (
        f"exec {shlex.quote(sys.executable)} -m reference_app serve {number} "
        f"--port {{port}} --db {shlex.quote(db_path)}"
    )


@pytest.fixture
def owned_target(request: pytest.FixtureRequest, tutorial: tutorials.Tutorial):
    """A server the kit owns and may stop and start again: the run's --target-cmd target,
    or the embedded reference served as its own command (the in-process reference
    cannot be killed without the run).  Skipped, with one line why, for --base-url.

    Afterwards the run's target is running again when it can start at all, and the
    run's pooled connections to the old process are dropped.
    """
    run = _state(request.config).run
    settings = run.settings
    if settings.target_kind == "url":
        pytest.skip(
            "--base-url: the kit does not own this server's process, so it cannot stop "
            "or start it; use --target-cmd to check its lifecycle"
        )
    if settings.target_kind == "command":
        target = run.target(tutorial.number)
        assert isinstance(target, CommandTarget)
        try:
            yield target
        finally:
            run.adapter(tutorial.number).close()
            if target.process is None:
                with contextlib.suppress(TargetError):
                    target.start(same_port=True)
        return
    folder = tempfile.mkdtemp(prefix="conformance-lifecycle-")
    target = CommandTarget(
        reference_command(tutorial.number, f"{folder}/my.db"),
        tutorial.number,
        start_timeout=settings.start_timeout,
        answer_timeout=settings.request_timeout,
        cwd=folder,
    )
    try:
        target.start()
        yield target
    finally:
        # Nothing judges this stop: the next check need not wait for it.
        run.retire(target, then=functools.partial(shutil.rmtree, folder, ignore_errors=True))


@pytest.fixture
def owned_client(request: pytest.FixtureRequest, owned_target: CommandTarget, recorder: Recorder):
    """A factory of clients of ``owned_target``, each with its own cookie jar and connections."""
    timeout = _state(request.config).settings.request_timeout
    made: list[Client] = []

    def make() -> Client:
        assert owned_target.alive, (
            f"the target's command is not running (a lifecycle check stopped it and it did "
            f"not start again){owned_target.tail()}"
        )
        client = Client(owned_target.url, recorder, None, timeout)
        made.append(client)
        return client

    yield make
    for client in made:
        client.session.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        for after_call in item.stash.get(_AFTER_CALL, []):
            after_call(report.failed)
    if not _is_check(item):
        return
    ids = requirement_ids(item)
    if report.when != "call" and not (report.when == "setup" and not report.passed):
        return
    run = _state(item.config).run
    settings = run.settings
    check = _check(item, call, report, ids, settings)
    report.conformance = check.to_dict()
    level = catalogue.strictest(ids)
    # On the item, so that the JUnit writer finds them on the teardown report.
    item.user_properties += [
        ("requirement", " ".join(ids)),
        ("level", level),
        ("tutorial", str(check.tutorial)),
    ]
    if check.outcome != "fail":
        return
    binding = [i for i in ids if catalogue.get(i).binding_at(settings.level)]
    if not binding:
        # Below the --level threshold a failure is reported, never fatal to the run.
        report.outcome = "skipped"
        report.wasxfail = f"{level} (below --level {settings.level}): {check.message}"
    elif all((i, check.tutorial) in run.known_failures for i in binding):
        # Listed in --known-failures: reported as known, and pytest says xfailed, not FAILED.
        report.outcome = "skipped"
        report.wasxfail = f"known failure: {check.message}"


def _check(item, call, report, ids: list[str], settings: Settings) -> Check:
    """The ``Check`` of one finished check: its outcome, message and reproduction."""
    rec = item.stash.get(_RECORDER, None)
    check = Check(
        check=item.nodeid.split("::", 1)[-1],
        ids=ids,
        tutorial=item.callspec.params["tutorial"],
        outcome="pass",
        duration=round(call.duration, 4),
        requests=rec.sent if rec else 0,
        evidence=dict(item.stash.get(_EVIDENCE, {})) or None,
    )
    differences = item.stash.get(_DIFFERENCES, None)
    found = differences.evidence() if differences is not None else None
    if found is not None:
        check.evidence = {**(check.evidence or {}), "differences": found}
    if report.skipped:
        check.outcome = "skip"
        check.message = _skip_reason(report)
    elif report.failed:
        exc = call.excinfo.value if call.excinfo else None
        if isinstance(exc, AssertionError) and report.when == "call":
            check.outcome = "fail"
            check.message = _one_line(exc) or "assertion failed"
        else:
            check.outcome = "error"
            check.message = (
                f"kit error, not a verdict on the target: {type(exc).__name__}: {_one_line(exc)}"
            )
        check.reproduction = reproduction(
            rec.exchanges if rec else [],
            check.tutorial,
            settings.target_arguments(),
            item.originalname,
        )
    return check


def _one_line(exc: BaseException | None) -> str:
    text = str(exc).strip() if exc is not None else ""
    return text.splitlines()[0][:300] if text else ""


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr or "skipped")
