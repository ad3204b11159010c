"""One run: its settings, its targets, what its checks found, and how it ends.

``Run`` knows nothing of pytest: the plugin feeds it ``Check``s and pytest's
exit status, and it builds the ``Result`` once (``conclude``), writes the
reports, and keeps the run clock.  Every front door (the CLI, ``pytest
--pyargs conformance.checks``, an xdist controller) ends a run through here.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import functools
import json
import os
import shlex
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import requests.adapters

from ..http.browser import Browser
from ..http.client import KeepAliveAdapter
from ..http.embedded import EmbeddedTarget
from ..http.targets import STOP_GRACE, CommandTarget, Target, UrlTarget, kill_leftovers
from ..results import badge, html, terminal
from ..results.model import Check, Result
from ..spec import tutorials as tutorial_facts
from . import known, options, status
from .clock import RunClock


class UsageError(Exception):
    """A selection no run can make sense of; the message is one line for the user."""


@dataclasses.dataclass(frozen=True)
class Settings:
    """What the user asked for, as the option table parsed it."""

    tutorials: tuple[int, ...] = ()
    base_url: str | None = None
    command: str | None = None
    level: str = options.DEFAULT_LEVEL
    request_timeout: float = options.DEFAULT_REQUEST_TIMEOUT
    start_timeout: float = options.DEFAULT_START_TIMEOUT
    run_timeout: float = options.DEFAULT_RUN_TIMEOUT
    json_path: str | None = None
    html_path: str | None = None
    badge_path: str | None = None
    name: str | None = None
    known_failures: str | None = None
    strict_known: bool = False
    chromium: str | None = None
    headed: bool = False
    browser_output: str | None = None
    load_clients: int = options.DEFAULT_LOAD_CLIENTS
    load_time: float = options.DEFAULT_LOAD_TIME
    allow_remote_load: bool = False
    differential: bool = False

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> Settings:
        """Settings from option values keyed by their pytest names (``run.options``)."""
        return cls(
            tutorials=tuple(values.get("tutorial") or ()),
            base_url=values.get("base_url"),
            command=values.get("target_cmd"),
            level=str(values.get("level") or options.DEFAULT_LEVEL).lower(),
            request_timeout=values.get("request_timeout", options.DEFAULT_REQUEST_TIMEOUT),
            start_timeout=values.get("start_timeout", options.DEFAULT_START_TIMEOUT),
            run_timeout=values.get("run_timeout", options.DEFAULT_RUN_TIMEOUT),
            json_path=values.get("conformance_json"),
            html_path=values.get("conformance_html"),
            badge_path=values.get("conformance_badge"),
            name=values.get("conformance_name"),
            known_failures=values.get("known_failures"),
            strict_known=bool(values.get("strict_known")),
            chromium=values.get("chromium"),
            headed=bool(values.get("headed")),
            browser_output=values.get("browser_output"),
            load_clients=values.get("load_clients") or options.DEFAULT_LOAD_CLIENTS,
            load_time=values.get("load_time") or options.DEFAULT_LOAD_TIME,
            allow_remote_load=bool(values.get("allow_remote_load")),
            differential=bool(values.get("differential")),
        )

    #: The option names ``from_values`` may read: every pytest-side option of the table.
    KEYS: ClassVar[tuple[str, ...]] = tuple(o.pytest_dest for o in options.OPTIONS if o.pytest)

    @property
    def selected(self) -> list[int]:
        """The tutorials this run checks: those asked for, or all of them."""
        return sorted(set(self.tutorials)) or sorted(tutorial_facts.TUTORIALS)

    @property
    def target_kind(self) -> str:
        return "url" if self.base_url else "command" if self.command else "embedded"

    def validate(self) -> None:
        """Raise UsageError for a selection no run can make sense of."""
        for n in self.tutorials:
            if n not in tutorial_facts.TUTORIALS:
                raise UsageError(f"--tutorial {n}: no such tutorial; choose 1 to 12")
        if self.base_url and self.command:
            raise UsageError("give either --base-url or --target-cmd, not both")
        if (self.base_url or self.command) and len(set(self.tutorials)) != 1:
            kind = "--base-url" if self.base_url else "--target-cmd"
            raise UsageError(
                f"{kind} needs exactly one --tutorial N: the tutorial that server implements"
            )
        if self.differential and self.target_kind == "embedded":
            raise UsageError(
                "--differential compares a target with the embedded reference: "
                "give --base-url or --target-cmd"
            )
        if str(self.level).lower() not in options.LEVEL_NAMES:
            raise UsageError(f"--level {self.level}: choose must, should or info")
        self.accepted_failures()

    def accepted_failures(self) -> dict[tuple[str, int], str]:
        """The accepted failures of ``--known-failures`` (UsageError for a bad file)."""
        if not self.known_failures:
            return {}
        try:
            return known.load(self.known_failures)
        except known.KnownFailuresError as error:
            raise UsageError(str(error)) from None

    @property
    def display_name(self) -> str:
        """The implementation's name: ``--name``, else from the command, URL or kind."""
        if self.name:
            return self.name
        if self.command:
            return name_of_command(self.command)
        if self.base_url:
            parts = urllib.parse.urlsplit(self.base_url)
            return parts.netloc or self.base_url
        return "reference"

    def target_arguments(self) -> list[str]:
        """The command-line options that name this run's target."""
        if self.base_url:
            return ["--base-url", self.base_url]
        if self.command:
            return ["--target-cmd", self.command]
        return []

    def describe_target(self) -> dict[str, Any]:
        described: dict[str, Any] = {"kind": self.target_kind, "name": self.display_name}
        if self.base_url:
            described["url"] = self.base_url
        if self.command:
            described["command"] = self.command
        return described


class Run:
    """The state one run shares: targets, connection pools, checks, the clock."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.checks: list[Check] = []
        self.targets: dict[int, Target] = {}
        #: The embedded reference beside the target, for ``--differential``.
        self.references: dict[int, EmbeddedTarget] = {}
        self.adapters: dict[int, requests.adapters.HTTPAdapter] = {}
        self.fatal: str | None = None
        #: Set when the user stops the run (Ctrl-C, SIGTERM), wherever pytest was.
        self.interrupted = False
        self.started = time.time()
        self.result: Result | None = None
        self._browser: Browser | None = None
        #: Stops under way in the background (``retire``), awaited by ``stop_targets``.
        self._stopping: list[concurrent.futures.Future] = []
        self._stopper: concurrent.futures.ThreadPoolExecutor | None = None
        self._written = threading.Lock()
        self.clock = RunClock(
            settings.run_timeout,
            grace=settings.request_timeout + STOP_GRACE,
            on_expire=self._expire,
            on_overrun=self._overrun,
        )

    # -- targets -----------------------------------------------------------
    def target(self, number: int) -> Target:
        """The running target for tutorial ``number``, started on first use."""
        if number not in self.targets:
            target = self._make_target(number)
            self.targets[number] = target
            try:
                target.start()
            except BaseException:
                del self.targets[number]
                raise
        target = self.targets[number]
        # Launched ahead by launch_embedded; one a lifecycle check stopped and could not
        # start again stays stopped, and the checks that use it say the target is down.
        if isinstance(target, CommandTarget) and target.process is not None:
            target.wait_until_ready()
        return target

    def launch_embedded(self, numbers: list[int]) -> None:
        """Start the reference's servers for ``numbers`` at once, without waiting for them
        (the targets of an embedded run, the references of a differential one)."""
        if self.settings.target_kind == "embedded":
            for number in numbers:
                if number not in self.targets:
                    target = self._make_target(number)
                    target.launch()
                    self.targets[number] = target
        elif self.settings.differential:
            for number in numbers:
                self._reference(number)

    def _reference(self, number: int) -> EmbeddedTarget:
        if number not in self.references:
            s = self.settings
            reference = EmbeddedTarget(
                number, start_timeout=s.start_timeout, answer_timeout=s.request_timeout
            )
            reference.launch()
            self.references[number] = reference
        return self.references[number]

    def reference(self, number: int) -> EmbeddedTarget:
        """The embedded reference for tutorial ``number``, running (``--differential``)."""
        reference = self._reference(number)
        reference.wait_until_ready()
        return reference

    def _make_target(self, number: int) -> Target:
        s = self.settings
        if s.base_url:
            return UrlTarget(s.base_url, number, timeout=s.request_timeout)
        if s.command:
            return CommandTarget(
                s.command,
                number,
                start_timeout=s.start_timeout,
                answer_timeout=s.request_timeout,
            )
        return EmbeddedTarget(
            number, start_timeout=s.start_timeout, answer_timeout=s.request_timeout
        )

    def adapter(self, number: int, reference: bool = False) -> requests.adapters.HTTPAdapter:
        """One connection pool per server: every client of a run reuses keep-alive connections."""
        key = -number if reference else number
        if key not in self.adapters:
            self.adapters[key] = KeepAliveAdapter(pool_maxsize=16)
        return self.adapters[key]

    def browser(self) -> Browser:
        """The run's one browser (launched by its first visit, closed with the targets)."""
        if self._browser is None:
            s = self.settings
            self._browser = Browser(s.chromium, s.headed, s.browser_output, s.request_timeout)
        return self._browser

    def retire(self, target: Target, then: Callable[[], object]) -> None:
        """Stop ``target`` (then call ``then``) while the run goes on: a server that
        nothing judges any more needs no one to wait for its stop but ``stop_targets``."""
        self._stopping.append(self._stops().submit(_stop_then, target, then))

    def stop_targets(self) -> None:
        """Close the browser and the pools, and stop every server, all at once: each
        stop waits out its own server (a CherryPy server takes about 0.6 s), and
        when this returns, every server the run started has stopped."""
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        for adapter in self.adapters.values():
            adapter.close()
        targets = [*self.targets.values(), *self.references.values()]
        stopping = [self._stops().submit(target.stop) for target in targets] + self._stopping
        self._stopping = []
        self.targets.clear()
        self.references.clear()
        try:
            for stop in stopping:
                stop.result()
        finally:
            if self._stopper is not None:
                self._stopper.shutdown()
                self._stopper = None

    def _stops(self) -> concurrent.futures.ThreadPoolExecutor:
        if self._stopper is None:
            self._stopper = concurrent.futures.ThreadPoolExecutor(
                max_workers=16, thread_name_prefix="conformance-stop"
            )
        return self._stopper

    # -- the end -----------------------------------------------------------
    def conclude(self, pytest_status: int) -> Result:
        """The run's result, built once: the checks so far and how the run ended."""
        if self.result is None:
            s = self.settings
            framework = None
            if s.target_kind == "embedded" and self.checks:
                from ..http.embedded import framework_version

                framework = framework_version()
            self.result = Result.build(
                list(self.checks),
                s.selected,
                s.describe_target(),
                s.level,
                self.started,
                time.time(),
                conclude=lambda failures: status.conclude(
                    pytest_status, self.fatal or self._interruption(), failures
                ),
                framework=framework,
                known=self.known_failures,
                strict_known=s.strict_known,
            )
        return self.result

    def write_reports(self, result: Result) -> None:
        """Write the JSON and HTML reports the settings ask for (once per run)."""
        if not self._written.acquire(blocking=False):
            return
        if self.settings.json_path:
            write(
                self.settings.json_path,
                json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n",
            )
        if self.settings.html_path:
            write(self.settings.html_path, html.render([result]))
        if self.settings.badge_path:
            write(self.settings.badge_path, badge.svg(result))

    def terminal_lines(self) -> list[str]:
        assert self.result is not None
        return terminal.table(self.result)

    @functools.cached_property
    def known_failures(self) -> dict[tuple[str, int], str]:
        """The accepted failures of ``--known-failures`` (empty for a bad file, which
        is already the run's fatal error)."""
        try:
            return self.settings.accepted_failures()
        except UsageError:
            return {}

    def _interruption(self) -> str | None:
        return status.INTERRUPTED if self.interrupted else None

    def _expire(self) -> None:
        self.fatal = (
            f"the run exceeded --run-timeout {self.settings.run_timeout:g} s and was stopped"
        )

    def _overrun(self) -> None:
        # The main thread did not unwind in time: finish the run from this thread.
        result = self.conclude(status.UNUSABLE)
        self.write_reports(result)
        sys.stderr.write(f"conformance: {result.fatal}\n")
        kill_leftovers()


_INTERPRETERS = {"python", "python3", "node", "ruby", "php", "java", "deno", "bun", "uv", "exec"}


def name_of_command(command: str) -> str:
    """A short name for a start command: its script (``app.py``) or its program."""
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    for word in words:
        base = os.path.basename(word)
        if "=" in word or base.startswith("-") or base == "{port}":
            continue
        if base.split(".")[0].rstrip("0123456789.") in _INTERPRETERS or base in _INTERPRETERS:
            continue
        return base
    return os.path.basename(words[0]) if words else command


def write(path: str, text: str) -> None:
    """Write a report file, creating its folder."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def _stop_then(target: Target, then: Callable[[], object]) -> None:
    try:
        target.stop()
    finally:
        then()
