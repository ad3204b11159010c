"""A porter's workflow as a subprocess: known failures, the implementation's name, the badge."""

from __future__ import annotations

import shlex
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conformance import variants

pytestmark = pytest.mark.slow

VARIANT = Path(variants.__file__).with_name("run.py")
CAPITALISED = (
    f"{shlex.quote(sys.executable)} {shlex.quote(str(VARIANT))} t01_hello_capitalised {{port}}"
)


def one_line_error(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr and len(lines) == 1, result.stderr
    return lines[0]


def outcome(result, rid: str, tutorial: int = 1) -> str:
    return next(
        e["outcome"]
        for e in result.document["requirements"]
        if (e["id"], e["tutorial"]) == (rid, tutorial)
    )


def test_a_listed_failure_is_known_and_does_not_fail_the_run(cli, tmp_path):
    (tmp_path / "known.txt").write_text("# accepted\n\n1 root-hello  says Hello World!\n")
    run = ("run", "--tutorial", "1", "--target-cmd", CAPITALISED)
    unlisted = cli(*run, json_name="unlisted.json")
    assert unlisted.status == 1 and outcome(unlisted, "root-hello") == "fail"
    listed = cli(*run, "--known-failures", "known.txt")
    assert listed.status == 0 == listed.document["exit_status"], listed
    assert outcome(listed, "root-hello") == "known"
    assert "says Hello World!" in next(
        e["message"] for e in listed.document["requirements"] if e["id"] == "root-hello"
    )
    (verdict,) = listed.document["verdicts"]
    assert verdict["line"].startswith("tutorial 1: does not conform: MUST failures: 1 (1 known)")
    assert verdict["line"] in listed.stdout


def test_a_listed_requirement_that_passes_is_fixed_and_fails_a_strict_run(cli, tmp_path):
    (tmp_path / "known.txt").write_text("1 root-hello\n")
    lenient = cli("run", "--tutorial", "1", "--known-failures", "known.txt")
    assert lenient.status == 0 and outcome(lenient, "root-hello") == "fixed", lenient
    assert "FIXED root-hello" in lenient.stdout
    strict = cli("run", "--tutorial", "1", "--known-failures", "known.txt", "--strict-known")
    assert strict.status == 1 == strict.document["exit_status"], strict


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("7 rest-nope\n", "line 1: unknown requirement id 'rest-nope'"),
        ("# x\n13 root-hello\n", "line 2: no tutorial 13"),
        ("7 root-hello\n", "root-hello does not apply to tutorial 7"),
        ("seven root-hello\n", "'seven' is not a tutorial number"),
        ("7\n", "expected 'TUTORIAL ID [REASON]'"),
    ],
)
def test_a_bad_known_failures_file_gets_one_line_and_status_2(cli, tmp_path, content, says):
    (tmp_path / "known.txt").write_text(content)
    result = cli("run", "--tutorial", "1", "--known-failures", "known.txt")
    assert result.status == 2 == result.document["exit_status"]
    assert says in one_line_error(result)


def test_a_missing_known_failures_file_gets_one_line_and_status_2(cli):
    result = cli("run", "--tutorial", "1", "--known-failures", "nowhere.txt")
    assert result.status == 2 and "cannot read --known-failures" in one_line_error(result)


def test_the_name_and_the_badge_name_the_implementation(cli, tmp_path):
    derived = cli("run", "--tutorial", "1", "--target-cmd", CAPITALISED, "--badge", "b.svg")
    assert derived.document["target"]["name"] == "run.py"
    badge = ET.parse(tmp_path / "b.svg").getroot()
    assert badge.tag.endswith("svg") and "run.py · tutorial 1: fails MUST" in badge.get(
        "aria-label"
    )
    named = cli(
        "run", "--tutorial", "1", "--name", "my port", "--html", "r.html", "--badge", "b.svg"
    )
    assert named.status == 0 and named.document["target"]["name"] == "my port"
    assert "my port" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "conforms at SHOULD" in (tmp_path / "b.svg").read_text(encoding="utf-8")
