"""The command line as users run it: a subprocess, its exit status, its reports."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conformance.http.targets import STOP_GRACE
from conformance.results import SCHEMA_FILE
from conformance.spec import catalogue

pytestmark = pytest.mark.slow

SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
MISBEHAVING = Path(__file__).parent / "servers" / "misbehaving.py"


def one_line_error(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1, f"expected one line on stderr, got {lines}"
    return lines[0]


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_spec_prints_every_requirement_with_its_level(cli):
    result = cli("spec")
    assert result.status == 0
    for req in catalogue.requirements().values():
        assert req.id in result.stdout
    assert f"{len(catalogue.requirements())} requirements" in result.stdout


def test_spec_json_is_the_catalogue(cli):
    result = cli("spec", "--json")
    data = json.loads(result.stdout)
    assert [r["id"] for r in data["requirements"]] == list(catalogue.requirements())


def test_run_against_the_embedded_tutorial_7_passes_and_writes_every_report(cli, tmp_path):
    result = cli("run", "--tutorial", "7", "--junit", "junit.xml", "--html", "report.html")
    assert result.status == 0, result
    document = result.document
    jsonschema.validate(document, SCHEMA)
    assert document["target"]["kind"] == "embedded" and document["tutorials"] == [7]
    assert document["environment"]["framework"].startswith("CherryPy")
    assert {e["outcome"] for e in document["requirements"]} == {"pass"}
    assert "rest-transcript" in result.stdout and "binding failure" in result.stdout
    tree = ET.parse(tmp_path / "junit.xml")
    properties = {p.get("value") for p in tree.iter("property") if p.get("name") == "requirement"}
    assert "rest-transcript" in properties
    page = (tmp_path / "report.html").read_text()
    assert (
        "rest-transcript" in page
        and "<script" not in page
        and "http://" not in page.replace("http://127.0.0.1", "")
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["run", "--bogus"], "unrecognized arguments"),
        (["run", "--tutorial", "seven"], "invalid int value"),
        (["run", "--tutorial", "13"], "no such tutorial"),
        (["run", "--level", "may"], "invalid choice"),
        (["run", "--base-url", "http://127.0.0.1:1/"], "needs exactly one --tutorial"),
        (
            ["run", "--tutorial", "7", "--base-url", "http://x/", "--target-cmd", "y {port}"],
            "not allowed with",
        ),
        (["run", "--tutorial", "7", "--target-cmd", "python app.py"], "must contain {port}"),
        (["run", "--tutorial", "7", "--base-url", "ftp://example/"], "not an http"),
        (["report", "out.html", "missing.json"], "cannot read missing.json"),
        (["frobnicate"], "invalid choice"),
        (["run", "--load-clients", "0"], "not a positive integer"),
        (["load", "--tutorial", "3", "--base-url", "http://127.0.0.1:1/"], "needs a store"),
        (["load", "--tutorial", "9", "--base-url", "http://10.0.0.1:1/"], "not on loopback"),
        (["load", "--tutorial", "9"], "one of the arguments"),
        (["load", "--tutorial", "9", "--base-url", "http://127.0.0.1:1/", "--users", "0"], "not a"),
        (
            ["load", "--tutorial", "9", "--base-url", "http://x/", "--workers", "two"],
            "whole number",
        ),
        (["load", "--tutorial", "9", "--base-url", "http://x/", "--time", "soon"], "of seconds"),
        (["run", "--tutorial", "7", "--differential"], "give --base-url or --target-cmd"),
    ],
)
def test_bad_input_gets_one_line_and_status_2(cli, args, says):
    result = cli(*args)
    assert result.status == 2, result
    assert says in one_line_error(result)


def test_an_unreachable_url_is_reported_in_one_line(cli):
    result = cli("run", "--tutorial", "7", "--base-url", f"http://127.0.0.1:{unused_port()}/")
    assert result.status == 2
    assert "connection refused" in one_line_error(result)
    assert result.document["fatal"] and result.document["exit_status"] == 2


def test_a_command_that_exits_is_reported_with_its_output(cli):
    cmd = f"{shlex.quote(sys.executable)} -c 'import sys; print(\"no database\", file=sys.stderr); sys.exit(3)' {{port}}"
    result = cli("run", "--tutorial", "7", "--target-cmd", cmd)
    assert result.status == 2
    line = one_line_error(result)
    assert "exited with status 3" in line and "no database" in line


def test_a_command_that_never_listens_times_out_in_bounded_time(cli):
    started = time.monotonic()
    result = cli(
        "run", "--tutorial", "7", "--target-cmd", "sleep 60 # {port}", "--start-timeout", "2"
    )
    assert result.status == 2
    assert "did not answer HTTP" in one_line_error(result)
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    ("kind", "says"), [("garbage", "does not speak HTTP"), ("silent", "sent no answer")]
)
def test_a_server_that_misbehaves_is_reported_in_one_line(cli, kind, says):
    cmd = f"{shlex.quote(sys.executable)} {shlex.quote(str(MISBEHAVING))} {kind} {{port}}"
    result = cli("run", "--tutorial", "7", "--target-cmd", cmd, "--request-timeout", "2")
    assert result.status == 2, result
    assert says in one_line_error(result)


def test_report_merges_results_into_one_matrix(cli, tmp_path):
    first = cli("run", "--tutorial", "1", json_name="one.json")
    second = cli("run", "--tutorial", "2", json_name="two.json")
    assert first.status == second.status == 0
    merged = cli("report", "merged.html", "one.json", "two.json")
    assert merged.status == 0, merged
    page = (tmp_path / "merged.html").read_text()
    assert "root-hello" in page and "generate-alphabet" in page
    unwritable = cli("report", "no/such/folder/merged.html", "one.json")
    assert unwritable.status == 2
    assert "cannot write no/such/folder/merged.html" in one_line_error(unwritable)


def test_a_reader_that_goes_away_ends_the_output_quietly(tmp_path):
    # `python -m conformance spec | head -1`: no traceback, status 0.
    reader = subprocess.Popen(
        [sys.executable, "-m", "conformance", "spec"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )
    assert reader.stdout.read(10)
    reader.stdout.close()
    _, stderr = reader.communicate(timeout=60)
    assert (reader.returncode, stderr) == (0, b"")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("[1, 2]", "not a conformance result"),
        ("{not json", "is not JSON"),
        ('{"spec_version": "0", "requirements": []}', "spec version '0'"),
        ('{"spec_version": "1", "requirements": [{"id": "x"}]}', "not a complete"),
    ],
)
def test_report_refuses_a_file_that_is_not_a_result_of_this_spec(cli, tmp_path, content, says):
    (tmp_path / "x.json").write_text(content)
    result = cli("report", "out.html", "x.json")
    assert result.status == 2 and says in one_line_error(result)
    assert not (tmp_path / "out.html").exists()


def test_a_parallel_run_reports_what_a_serial_run_reports(cli):
    serial = cli("run", "--tutorial", "6", "--tutorial", "7", json_name="serial.json")
    parallel = cli(
        "run",
        "--tutorial",
        "6",
        "--tutorial",
        "7",
        "--",
        "-n",
        "2",
        "-p",
        "xdist",
        json_name="parallel.json",
    )
    assert serial.status == parallel.status == 0, parallel
    assert serial.outcomes() == parallel.outcomes()


def test_an_unusable_target_under_xdist_is_still_one_line_and_status_2(cli):
    url = f"http://127.0.0.1:{unused_port()}/"
    result = cli("run", "--tutorial", "7", "--base-url", url, "--", "-n", "2", "-p", "xdist")
    assert result.status == 2, result
    assert "connection refused" in one_line_error(result)


@pytest.fixture
def busy_cores():
    """Every core kept busy by other processes for the length of the test."""
    spinners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(os.cpu_count() or 2)
    ]
    yield
    for spinner in spinners:
        spinner.kill()
        spinner.wait()


#: The run timeout, request timeout and stop grace of the bounded run below.
RUN_TIMEOUT, REQUEST_TIMEOUT = 4, 2
#: Seconds the kit may take beyond its bound to start Python and pytest on a loaded machine.
START_UP = 15


@pytest.mark.parametrize("sigint", ["default", "ignored"])
def test_the_whole_run_stops_at_its_timeout_with_cores_busy_and_still_writes_its_report(
    cli, busy_cores, sigint
):
    cmd = f"{shlex.quote(sys.executable)} {shlex.quote(str(MISBEHAVING))} slow {{port}}"
    started = time.monotonic()
    result = cli(
        "run",
        "--tutorial",
        "7",
        "--target-cmd",
        cmd,
        "--run-timeout",
        str(RUN_TIMEOUT),
        "--request-timeout",
        str(REQUEST_TIMEOUT),
        # A CI script's `cmd &` starts the kit with SIGINT ignored (271 s in CI once).
        sigint_ignored=sigint == "ignored",
    )
    took = time.monotonic() - started
    bound = RUN_TIMEOUT + REQUEST_TIMEOUT + STOP_GRACE + START_UP
    assert took < bound, f"the run took {took:.1f} s, beyond its bound of {bound} s"
    assert result.status == 2, result
    assert f"exceeded --run-timeout {RUN_TIMEOUT} s" in one_line_error(result)
    assert result.document["fatal"] and result.document["exit_status"] == 2


def test_a_run_leaves_no_hypothesis_folder_where_it_starts_and_caches_per_user(
    cli, tmp_path, monkeypatch
):
    # The first text() Hypothesis draws computes its Unicode tables (seconds of
    # CPU); under the ci profile they are cached per user, not in the cwd.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HYPOTHESIS_STORAGE_DIRECTORY", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    result = cli("run", "--tutorial", "7", "--", "-k", "any_string_put", cwd=work)
    assert result.status == 0, result
    assert sorted(p.name for p in work.iterdir()) == ["result.json"]
    tables = tmp_path / "cache" / "cherrypy-tutorial-conformance" / "hypothesis" / "unicode_data"
    assert list(tables.rglob("*.json.gz")), f"no Unicode table cached under {tables}"


def test_without_chromium_the_browser_checks_are_skipped_in_one_line(cli):
    result = cli("run", "--tutorial", "8", "--chromium", "/nonexistent", "--", "-k", "browser")
    assert result.status == 0, result
    pages = [e for e in result.document["requirements"] if e["id"].startswith("page-")]
    assert pages and {e["outcome"] for e in pages} == {"skip"}
    for entry in pages:
        assert "apt-get install chromium-headless-shell" in entry["message"], entry
        assert "\n" not in entry["message"]
    assert "no Chromium at /nonexistent" in result.stdout


def test_load_runs_locust_with_two_workers_on_loopback_and_writes_its_verdict(cli, tmp_path):
    # Never import it here: `import locust` patches this process with gevent.
    if importlib.util.find_spec("locust") is None:
        pytest.skip("locust is not installed (pip install '.[load]')")
    command = f"exec {shlex.quote(sys.executable)} -m reference_app serve 9 --port {{port}}"
    verdict_path = tmp_path / "load.json"
    args = ["load", "--tutorial", "9", "--target-cmd", command, "--users", "4", "--time", "2"]
    result = cli(*args, "--workers", "2", "--json", str(verdict_path), json_name=None)
    assert result.status == 0, result
    document = json.loads(verdict_path.read_text(encoding="utf-8"))
    verdict = document["verdict"]
    assert document["exit_status"] == 0 and document["workers"] == 2
    assert verdict["workers"] == 2 and verdict["master_exit_code"] == 0
    assert verdict["requests"] > 0 and verdict["requests_per_second"] > 0
    assert set(verdict["violations"].values()) == {0}
    assert {"POST generate", "GET read", "PUT replace", "DELETE delete"} <= set(
        verdict["operations"]
    )
    assert "no violation" in result.stdout


def test_the_requests_of_a_load_check_count_once_in_the_run_s_timings(cli):
    # Four checks judge one load run; its requests count once, in the one that sent them.
    result = cli("run", "--tutorial", "5", "--load-time", "0.5", "--", "-m", "load")
    assert result.status == 0, result
    entries = [e for e in result.document["requirements"] if e["outcome"] == "pass"]
    assert {e["id"] for e in entries} >= {"load-answers", "load-isolation", "load-latest"}
    sent = {e["evidence"]["requests"] for e in entries}
    assert len(sent) == 1 and min(sent) > 0, entries
    assert result.document["timings"]["requests"] == sent.pop()


def test_load_in_one_process_finds_a_store_that_keeps_the_first_string(cli):
    if importlib.util.find_spec("locust") is None:
        pytest.skip("locust is not installed (pip install '.[load]')")
    variant = Path(__file__).with_name("variants") / "run.py"
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(variant))} t06_keeps_first {{port}}"
    # 3 s: a lost update shows from a user's second round on; with the cores busy a
    # 1 s run once sent 4 requests in all (one round each).
    args = ["load", "--tutorial", "6", "--target-cmd", command, "--users", "2", "--time", "3"]
    result = cli(*args, json_name=None)
    assert result.status == 1, result
    assert re.search(r"violations: \{'lost_update': [1-9]\d*\}$", result.stdout.strip()), result


def test_lifecycle_checks_skip_a_base_url_saying_why(cli):
    from reference_app import server

    with server.running(9) as running:
        result = cli("run", "--tutorial", "9", "--base-url", running.url, "--", "-k", "clean_stop")
    assert result.status == 0, result
    entry = next(e for e in result.document["requirements"] if e["id"] == "lifecycle-stop-start")
    assert entry["outcome"] == "skip" and "--base-url" in entry["message"], entry


def test_a_run_stops_the_servers_of_its_lifecycle_checks_and_removes_their_folders(
    cli, tmp_path, monkeypatch
):
    # Each lifecycle check serves the reference from a folder of its own and stops
    # it in the background once the check is over; the run ends with them gone.
    folders = tmp_path / "tmp"
    folders.mkdir()
    monkeypatch.setenv("TMPDIR", str(folders))
    result = cli("run", "--tutorial", "9", "--", "-m", "lifecycle")
    assert result.status == 0, result
    assert len([e for e in result.document["requirements"] if e["outcome"] == "pass"]) == 3
    left = [p.name for p in folders.iterdir() if p.name.startswith("conformance-lifecycle-")]
    assert left == [], left
    running = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(folders).encode() in cmdline.read_bytes():
                running.append(cmdline.parent.name)
        except OSError:  # the process ended while we looked
            pass
    assert running == [], f"still running from {folders}: {running}"


#: The checks of generated inputs of tutorial 7 (what --differential mirrors).
GENERATED_7 = "406_exactly or put_reads_back or length_is_honoured_exactly or interleaving"


def differences(result) -> dict[str, dict]:
    return {
        e["id"]: e["evidence"]["differences"]
        for e in result.document["requirements"]
        if (e["evidence"] or {}).get("differences")
    }


def test_differential_finds_no_difference_between_the_reference_and_itself(cli):
    # Served as a command, the reference is compared with the embedded one: a
    # random string or a framework's error page must not count as a difference.
    reference = f"{shlex.quote(sys.executable)} -m reference_app serve 7 --port {{port}}"
    args = ["run", "--tutorial", "7", "--target-cmd", reference, "--differential"]
    result = cli(*args, "--", "-k", GENERATED_7)
    assert result.status == 0, result
    passed = {e["id"] for e in result.document["requirements"] if e["outcome"] == "pass"}
    assert passed >= {"rest-accept-rfc-property", "rest-put-roundtrip", "store-model"}, result
    assert differences(result) == {}, result
    assert "DIFFERS" not in result.stdout


def test_differential_reports_the_inputs_a_failing_target_answers_otherwise(cli):
    variant = Path(__file__).with_name("variants") / "run.py"
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(variant))} "
    command += "prop_t07_accept_literal_zero {port}"
    args = ["run", "--tutorial", "7", "--target-cmd", command, "--differential"]
    result = cli(*args, "--", "-k", "406_exactly")
    assert result.status == 1, result  # the verdicts are those of a run without it
    found = differences(result)["rest-accept-rfc-property"]
    first = found["first"][0]
    assert first["request"] == "GET / Accept: text/plain;q=0.0", first
    assert (first["target"]["status"], first["reference"]["status"]) == (200, 406), first
    assert first["differs"] == ["status", "media type"], first
    assert "DIFFERS rest-accept-rfc-property (tutorial 7, fail)" in result.stdout


def test_differential_differences_of_a_passing_port_are_info(cli):
    pytest.importorskip("flask")
    # The Flask port answers a PUT with 204 where the reference says 200: both
    # pass rest-put-roundtrip, and the difference is reported, not judged.
    port = Path(__file__).parents[1] / "ports" / "flask_tutorials.py"
    command = f"exec {shlex.quote(sys.executable)} {shlex.quote(str(port))} 7 --port {{port}}"
    args = ["run", "--tutorial", "7", "--target-cmd", command, "--differential"]
    result = cli(*args, "--", "-k", "put_reads_back")
    assert result.status == 0, result
    found = differences(result)["rest-put-roundtrip"]
    assert found["count"] >= len(found["first"]) >= 1, found
    assert all(d["differs"] == ["status"] for d in found["first"]), found
    assert {(d["target"]["status"], d["reference"]["status"]) for d in found["first"]} == {
        (204, 200)
    }, found
    assert re.search(
        r"DIFFERS rest-put-roundtrip \(tutorial 7, pass\): \d+ generated", result.stdout
    )


def test_the_benchmark_takes_every_option_the_readme_shows(tmp_path):
    # The benchmark is no part of the pass/fail, but its documented command must run.
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"^ {4}python bench/bench\.py (.*)$", readme, re.MULTILINE)
    options = set(re.findall(r"--[a-z-]+", " ".join(shown)))
    assert {"--repeat", "--parallel", "--browser", "--tutorial", "--target-cmd"} <= options
    bench = Path(__file__).parents[2] / "bench" / "bench.py"
    done = subprocess.run(
        [sys.executable, str(bench), "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    for option in options:
        assert option in done.stdout, option


def test_a_checkout_that_was_never_installed_helps_and_says_what_to_do(tmp_path):
    # From the repository root, conformance is importable but tutorial_fixtures is not
    # (a None in sys.modules hides the installed one): --help and spec work, run and
    # load say in one line to install the kit.
    hide = "import sys; sys.modules['tutorial_fixtures'] = None; from conformance.cli import main"

    def call(*args: str) -> subprocess.CompletedProcess:
        code = f"{hide}; sys.exit(main({list(args)!r}))"
        return subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
        )

    helped = call("run", "--help")
    assert helped.returncode == 0 and "--target-cmd" in helped.stdout, helped.stderr
    assert call("spec").returncode == 0
    for args in (["run", "--tutorial", "1"], ["load", "--tutorial", "7", "--base-url", "x"]):
        refused = call(*args)
        assert refused.returncode == 2, refused
        assert "Traceback" not in refused.stderr
        assert refused.stderr.strip().splitlines() == [
            "conformance: the kit is not installed (no module tutorial_fixtures): "
            "run pip install -e . in the repository, then try again"
        ]
    # Its report says so too, with the status the process returns.
    report = tmp_path / "r.json"
    refused = call("run", "--tutorial", "1", "--json", str(report))
    document = json.loads(report.read_text(encoding="utf-8"))
    jsonschema.validate(document, SCHEMA)
    assert refused.returncode == 2 == document["exit_status"], refused
    assert document["fatal"].startswith("the kit is not installed"), document["fatal"]
