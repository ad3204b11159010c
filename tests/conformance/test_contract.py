"""The command-line contract of DESIGN.md, pinned: options, defaults, exit statuses.

Scripts and CI call ``python -m conformance run`` with these options and read
its exit status or its JSON; both must say the same in every way a run can end.
"""

from __future__ import annotations

import json
import select
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conformance.results import SCHEMA_FILE
from conformance.run import options
from tests.conformance import variants
from tests.conformance.conftest import CLI_TIMEOUT, _ignore_sigint, run_cli

pytestmark = pytest.mark.slow

SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
MISBEHAVING = Path(__file__).parent / "servers" / "misbehaving.py"
VARIANT = Path(variants.__file__).with_name("run.py")

#: The options DESIGN.md's contract names (and the ones the README adds), with their metavars.
CONTRACT = {
    "--tutorial": "N",
    "--base-url": "URL",
    "--target-cmd": "CMD",
    "--level": "{must,should,info}",
    "--json": "PATH",
    "--junit": "PATH",
    "--html": "PATH",
    "--profile": "{dev,ci,thorough}",
    "--request-timeout": "S",
    "--start-timeout": "S",
    "--run-timeout": "S",
    "--name": "NAME",
    "--known-failures": "FILE",
    "--badge": "PATH",
    "--targets": "FILE",
    "--jobs": "N",
    "--chromium": "PATH",
    "--browser-output": "DIR",
    "--load-clients": "N",
    "--load-time": "S",
}
#: Flags of the contract (no value).
FLAGS = {"--strict-known", "--headed", "--allow-remote-load", "--differential"}


def test_run_help_lists_every_option_of_the_contract_with_its_default(tmp_path):
    done = run_cli("run", "--help", cwd=tmp_path, json_name=None)
    assert done.status == 0
    text = " ".join(done.stdout.split())
    for name, metavar in CONTRACT.items():
        assert f"{name} {metavar}" in text, name
    assert all(flag in text for flag in FLAGS)
    for default in ("(default: should)", "(default: ci,", "(default 10)", "(default 30)"):
        assert default in text, default
    assert "(default 900)" in text and "-- PYTEST_ARGS" in text
    assert "(default 20)" in text and "(default 2.5)" in text


def test_the_option_table_is_the_contract():
    assert {o.cli for o in options.OPTIONS if o.cli} == set(CONTRACT) | FLAGS
    assert options.LEVEL_NAMES == ("must", "should", "info")


def variant(name: str) -> str:
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(VARIANT))} {name} {{port}}"


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def agrees(result, expected: int) -> dict:
    """The process and its JSON say the same exit status, the expected one."""
    document = result.document
    jsonschema.validate(document, SCHEMA)
    assert (result.status, document["exit_status"]) == (expected, expected), result
    return document


@pytest.mark.parametrize(
    ("case", "args", "expected"),
    [
        ("all pass", ["--tutorial", "1"], 0),
        (
            "a binding failure",
            ["--tutorial", "1", "--target-cmd", variant("t01_hello_capitalised")],
            1,
        ),
        (
            "only failures below the level",
            ["--tutorial", "2", "--target-cmd", variant("t02_catch_all"), "--level", "must"],
            0,
        ),
        ("no check selected", ["--tutorial", "1", "--", "-k", "no_such_check_anywhere"], 2),
        ("an unusable target", ["--tutorial", "7", "--base-url", "http://127.0.0.1:{free}/"], 2),
        ("a pytest usage error", ["--tutorial", "1", "--", "--no-such-pytest-option"], 2),
    ],
)
def test_the_json_says_the_exit_status_the_process_returns(cli, case, args, expected):
    args = [a.replace("{free}", str(unused_port())) for a in args]
    result = cli("run", *args)
    document = agrees(result, expected)
    if expected == 2:
        assert document["fatal"], case
    if case == "only failures below the level":
        failed = [e for e in document["requirements"] if e["outcome"] == "fail"]
        assert [e["id"] for e in failed] == ["unknown-path-404"] and not failed[0]["binding"]


def test_a_run_timeout_says_status_2_in_both(cli):
    cmd = f"{shlex.quote(sys.executable)} {shlex.quote(str(MISBEHAVING))} slow {{port}}"
    result = cli("run", "--tutorial", "7", "--target-cmd", cmd, "--run-timeout", "3")
    assert "exceeded --run-timeout 3 s" in agrees(result, 2)["fatal"]


RUN_T7 = ("--tutorial", "7", "--target-cmd")


@pytest.mark.parametrize("inherited", ["default", "ignored"])
def test_ctrl_c_stops_the_run_with_status_2_and_its_report(tmp_path, inherited):
    # "ignored": started as a CI script's `cmd &` starts it; Ctrl-C still stops it.
    cmd = f"{shlex.quote(sys.executable)} {shlex.quote(str(MISBEHAVING))} slow {{port}}"
    report = tmp_path / "result.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "conformance", "run", "--json", str(report), *RUN_T7, cmd],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_ignore_sigint if inherited == "ignored" else None,
    )
    # The slow server answers each request one second late: once pytest has
    # printed the outcome of a first check, the run is under way.
    ready, _, _ = select.select([process.stdout], [], [], 60)
    assert ready, "the run printed nothing within 60 s"
    process.stdout.read(1)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=CLI_TIMEOUT)
    document = json.loads(report.read_text(encoding="utf-8"))
    jsonschema.validate(document, SCHEMA)
    assert (process.returncode, document["exit_status"]) == (2, 2), stderr
    assert "interrupted" in document["fatal"], stderr[-3000:]
