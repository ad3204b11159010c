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
    # pytest's own summary agrees: an expected failure, not a FAILED check.
    assert "FAILED" not in listed.stdout and "xfailed" in listed.stdout, listed
    assert "FAILED" in unlisted.stdout
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


def targets_file(folder: Path, count: int = 6) -> Path:
    """``count`` targets: the reference's tutorial 1 and 2 served as commands, one variant."""
    serve = f"{shlex.quote(sys.executable)} -m reference_app serve"
    tables = []
    for n in range(count - 1):
        tutorial = 1 + n % 2
        tables.append(
            f'[[target]]\nname = "ref {n}"\ntutorial = {tutorial}\n'
            f'cmd = "{serve} {tutorial} --port {{port}}"\n'
        )
    tables.append(f'[[target]]\nname = "capitalised"\ntutorial = 1\ncmd = "{CAPITALISED}"\n')
    path = folder / "targets.toml"
    path.write_text("\n".join(tables), encoding="utf-8")
    return path


def test_many_targets_are_checked_in_parallel_into_one_json_each_and_one_matrix(cli, tmp_path):
    targets_file(tmp_path)
    result = cli(
        "run",
        "--targets",
        "targets.toml",
        "--json",
        "out",
        "--html",
        "matrix.html",
        "--jobs",
        "2",
        json_name=None,
    )
    assert result.status == 1, result  # the variant fails root-hello; the others pass
    reports = sorted(p.name for p in (tmp_path / "out").glob("*.json"))
    assert reports == ["capitalised.json"] + [f"ref_{n}.json" for n in range(5)]
    page = (tmp_path / "matrix.html").read_text(encoding="utf-8")
    assert all(f"ref {n}" in page for n in range(5)) and "capitalised" in page
    assert "capitalised: exit status 1" in result.stdout
    assert "ref 0: exit status 0; tutorial 1: conforms at SHOULD" in result.stdout


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("[[target]]\nname = 'a'\ntutorial = 7\n", "give either cmd or url"),
        ("[[target]]\ntutorial = 7\nurl = 'http://x/'\n", "needs a name"),
        ("[[target]]\nname = 'a'\ntutorial = 13\nurl = 'http://x/'\n", "tutorial must be a number"),
        (
            "[[target]]\nname = 'a'\ntutorial = 7\nurl = 'http://x/'\nport = 1\n",
            "unknown key(s) port",
        ),
        ("name = 'a'\n", "has no [[target]] table"),
        ("[[target]\n", "is not TOML"),
        (
            "[[target]]\nname = 'a b'\ntutorial = 7\nurl = 'http://x/'\n"
            "[[target]]\nname = 'a_b'\ntutorial = 7\nurl = 'http://y/'\n",
            "used twice",
        ),
    ],
)
def test_a_bad_targets_file_gets_one_line_and_status_2(cli, tmp_path, content, says):
    (tmp_path / "targets.toml").write_text(content)
    result = cli("run", "--targets", "targets.toml", json_name=None)
    assert result.status == 2 and says in one_line_error(result)


def test_targets_name_their_own_tutorial_and_target(cli, tmp_path):
    targets_file(tmp_path)
    result = cli("run", "--targets", "targets.toml", "--tutorial", "7", json_name=None)
    assert result.status == 2 and "drop --tutorial" in one_line_error(result)


def test_targets_that_cannot_be_checked_are_each_reported_in_one_line(cli, tmp_path):
    (tmp_path / "targets.toml").write_text(
        "[[target]]\nname = 'gone'\ntutorial = 1\nurl = 'http://127.0.0.1:9/'\n"
        "[[target]]\nname = 'no port'\ntutorial = 1\ncmd = 'python app.py'\n"
    )
    result = cli("run", "--targets", "targets.toml", "--json", "out", json_name=None)
    assert result.status == 2, result
    lines = result.stdout.splitlines()
    assert lines[0].startswith("gone: exit status 2; cannot reach http://127.0.0.1:9/")
    assert lines[1].startswith("no port: exit status 2; --target-cmd must contain {port}")
    assert lines[2] == "2 target(s): one JSON each in out"
    assert sorted(p.name for p in (tmp_path / "out").glob("*.json")) == [
        "gone.json",
        "no_port.json",
    ]
