"""Every option of a run, declared once.

``OPTIONS`` is the table both front doors are built from: the CLI's argparse
parser (``add_to_argparse``) and the pytest plugin's ``pytest_addoption``
(``add_to_pytest``), and ``pytest_arguments`` turns a parsed CLI namespace into
the equivalent pytest command line.  A default, a help text or a choice list
lives here and nowhere else.

Some options belong to another plugin on the pytest side (``--base-url`` to
pytest-base-url, ``--junit-xml`` to pytest, ``--hypothesis-profile`` to
Hypothesis); the table says so (``owner``) and the kit registers only its own.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Sequence
from typing import Any

from ..spec.catalogue import LEVELS

#: The level names as the command line spells them, most binding first.
LEVEL_NAMES = tuple(level.lower() for level in LEVELS)
#: The Hypothesis profiles the kit registers (``properties.profiles``).
PROFILE_NAMES = ("dev", "ci", "thorough")

DEFAULT_LEVEL = "should"
DEFAULT_PROFILE = "ci"
#: Seconds to wait for any single answer.
DEFAULT_REQUEST_TIMEOUT = 10.0
#: Seconds a started command gets to answer its first request.
DEFAULT_START_TIMEOUT = 30.0
#: Seconds the whole run may take, reports included (0: no limit).
DEFAULT_RUN_TIMEOUT = 900.0
#: Where browser checks save their screenshots when no --browser-output is given.
DEFAULT_BROWSER_OUTPUT_HELP = "a new conformance-browser-* folder in the system's temporary folder"
#: Concurrent clients of the load checks (each in its own thread, with its own session).
DEFAULT_LOAD_CLIENTS = 20
#: Seconds the load checks keep their clients busy, per tutorial.
DEFAULT_LOAD_TIME = 2.5


@dataclasses.dataclass(frozen=True)
class Option:
    """One option: its CLI spelling, its pytest spelling, and how it parses."""

    cli: str | None
    pytest: str | None
    help: str
    default: Any = None
    type: Any = None
    choices: tuple[str, ...] | None = None
    metavar: str | None = None
    action: str | None = None
    #: Who registers the pytest option: the kit, or another plugin (then only passed on).
    owner: str = "conformance"
    #: A path the CLI makes absolute before pytest (which may change directory) sees it.
    path: bool = False
    #: A mutually exclusive group on the CLI.
    group: str | None = None

    @property
    def dest(self) -> str:
        """The attribute name on the CLI's namespace."""
        return (self.cli or self.pytest).lstrip("-").replace("-", "_")

    @property
    def pytest_dest(self) -> str:
        """The name pytest's ``config.getoption`` knows the option by."""
        return (self.pytest or self.cli).lstrip("-").replace("-", "_")

    def _kwargs(self, help_text: str) -> dict:
        kwargs: dict[str, Any] = {"help": help_text}
        if self.action:
            kwargs["action"] = self.action
        if self.type is not None:
            kwargs["type"] = self.type
        if self.choices is not None:
            kwargs["choices"] = self.choices
        if self.metavar is not None:
            kwargs["metavar"] = self.metavar
        kwargs["default"] = [] if self.action == "append" else self.default
        if self.action == "store_true":
            kwargs.pop("metavar", None)
        return kwargs


def _seconds(default: float, what: str) -> str:
    return f"{what} (default {default:g})"


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive integer")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


OPTIONS: tuple[Option, ...] = (
    Option(
        "--tutorial",
        "--tutorial",
        "tutorial the target implements (1-12); repeatable. Default: all.",
        type=int,
        metavar="N",
        action="append",
    ),
    Option(
        "--base-url",
        "--base-url",
        "check a server someone else started",
        metavar="URL",
        owner="pytest-base-url",
        group="target",
    ),
    Option(
        "--target-cmd",
        "--target-cmd",
        "start the target with this shell command; {port} becomes a free port",
        metavar="CMD",
        group="target",
    ),
    Option(
        "--level",
        "--level",
        f"lowest level whose failures fail the run (default: {DEFAULT_LEVEL})",
        default=DEFAULT_LEVEL,
        choices=LEVEL_NAMES,
    ),
    Option(
        "--json",
        "--conformance-json",
        "write the JSON result here",
        metavar="PATH",
        path=True,
    ),
    Option(
        "--junit", "--junit-xml", "write JUnit XML here", metavar="PATH", owner="pytest", path=True
    ),
    Option(
        "--html",
        "--conformance-html",
        "write a self-contained HTML report here",
        metavar="PATH",
        path=True,
    ),
    Option(
        "--name",
        "--conformance-name",
        "the implementation's name in every report (default: from the command's script, "
        "the URL's host and port, or 'reference')",
        metavar="NAME",
    ),
    Option(
        "--known-failures",
        "--known-failures",
        "a file of accepted failures, one 'TUTORIAL ID [REASON]' per line: reported "
        "'known', they do not fail the run",
        metavar="FILE",
        path=True,
    ),
    Option(
        "--strict-known",
        "--strict-known",
        "a listed failure that now passes ('fixed') fails the run",
        action="store_true",
        default=False,
    ),
    Option(
        "--badge",
        "--conformance-badge",
        "write the verdict as a small self-contained SVG badge here",
        metavar="PATH",
        path=True,
    ),
    Option(
        "--profile",
        "--hypothesis-profile",
        f"Hypothesis settings profile (default: {DEFAULT_PROFILE}, derandomized, no database)",
        default=DEFAULT_PROFILE,
        choices=PROFILE_NAMES,
        owner="hypothesis",
    ),
    Option(
        "--targets",
        None,
        "check every target of this TOML file ([[target]] with name, tutorial, cmd or url, "
        "known_failures), each in its own process; --json names the folder for NAME.json",
        metavar="FILE",
        path=True,
    ),
    Option(
        "--jobs",
        None,
        "with --targets: how many targets are checked at once (default: the number of cores)",
        type=int,
        metavar="N",
    ),
    Option(
        "--request-timeout",
        "--request-timeout",
        _seconds(DEFAULT_REQUEST_TIMEOUT, "seconds to wait for each answer"),
        default=DEFAULT_REQUEST_TIMEOUT,
        type=float,
        metavar="S",
    ),
    Option(
        "--start-timeout",
        "--start-timeout",
        _seconds(DEFAULT_START_TIMEOUT, "seconds a --target-cmd server gets to answer"),
        default=DEFAULT_START_TIMEOUT,
        type=float,
        metavar="S",
    ),
    Option(
        "--run-timeout",
        "--run-timeout",
        _seconds(
            DEFAULT_RUN_TIMEOUT, "stop the whole run, reports written, after this many seconds"
        ),
        default=DEFAULT_RUN_TIMEOUT,
        type=float,
        metavar="S",
    ),
    Option(
        "--chromium",
        "--chromium",
        "the Chromium the browser checks drive (default: chromium-headless-shell on PATH, "
        "else chromium on PATH, else /usr/bin/chromium; --headed: chromium)",
        metavar="PATH",
    ),
    Option(
        "--headed",
        "--headed",
        "show the browser window of the browser checks (pytest-playwright's spelling)",
        action="store_true",
        default=False,
    ),
    Option(
        "--browser-output",
        "--browser-output",
        f"folder for the screenshots of failed browser checks (default: {DEFAULT_BROWSER_OUTPUT_HELP})",
        metavar="DIR",
        path=True,
    ),
    Option(
        "--load-clients",
        "--load-clients",
        f"concurrent clients of the load checks, each its own thread and session "
        f"(default {DEFAULT_LOAD_CLIENTS})",
        default=DEFAULT_LOAD_CLIENTS,
        type=_positive_int,
        metavar="N",
    ),
    Option(
        "--load-time",
        "--load-time",
        _seconds(
            DEFAULT_LOAD_TIME, "seconds the load checks keep their clients busy, per tutorial"
        ),
        default=DEFAULT_LOAD_TIME,
        type=_positive_float,
        metavar="S",
    ),
    Option(
        "--allow-remote-load",
        "--allow-remote-load",
        "let the load checks send to a target outside the loopback range",
        action="store_true",
        default=False,
    ),
    Option(
        "--differential",
        "--differential",
        "send every generated input to the embedded reference too, and report (INFO) "
        "the inputs the target answers differently, with both answers",
        action="store_true",
        default=False,
    ),
)


def add_to_argparse(parser: argparse.ArgumentParser) -> None:
    """Add every CLI option of the table to ``parser`` (the ``run`` sub-command)."""
    groups: dict[str, Any] = {}
    for option in OPTIONS:
        if option.cli is None:
            continue
        where: Any = parser
        if option.group:
            if option.group not in groups:
                groups[option.group] = parser.add_mutually_exclusive_group()
            where = groups[option.group]
        where.add_argument(option.cli, dest=option.dest, **option._kwargs(option.help))


def add_to_pytest(group: Any) -> None:
    """Add the kit's own options of the table to a pytest option group."""
    for option in OPTIONS:
        if option.owner != "conformance" or option.pytest is None:
            continue
        group.addoption(option.pytest, dest=option.pytest_dest, **option._kwargs(option.help + "."))


def pytest_arguments(namespace: argparse.Namespace) -> list[str]:
    """The pytest arguments equivalent to the CLI options in ``namespace``."""
    args: list[str] = []
    for option in OPTIONS:
        if option.cli is None or option.pytest is None:
            continue
        value = getattr(namespace, option.dest)
        if option.action == "store_true":
            if value:
                args.append(option.pytest)
            continue
        values: Sequence[Any] = value if option.action == "append" else [value]
        for item in values:
            if item is None or item is False:
                continue
            if item is True:
                args.append(option.pytest)
                continue
            text = os.path.abspath(item) if option.path else str(item)
            args.append(f"{option.pytest}={text}")
    return args


def cli_values(namespace: argparse.Namespace) -> dict[str, Any]:
    """The CLI's parsed options by their pytest names (what ``Settings`` reads)."""
    return {o.pytest_dest: getattr(namespace, o.dest) for o in OPTIONS if o.cli and o.pytest}


#: The options a run of many targets passes on to each target's run.
SHARED = (
    "--level",
    "--profile",
    "--request-timeout",
    "--start-timeout",
    "--run-timeout",
    "--strict-known",
)


def cli_arguments(namespace: argparse.Namespace, names: Sequence[str] = SHARED) -> list[str]:
    """The CLI arguments that give another run the same ``names`` options."""
    args: list[str] = []
    for option in OPTIONS:
        if option.cli not in names:
            continue
        value = getattr(namespace, option.dest)
        if value is True:
            args.append(option.cli)
        elif value is not None and value is not False:
            args.append(f"{option.cli}={value}")
    return args
