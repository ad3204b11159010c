"""The property-based and stateful checks: their oracles, strategies, profiles,
and how they behave in a run.

Fast: the length oracle on hand-picked values; the strategies reach every
class of input the checks distinguish; the profiles and ``http_settings``.
Slow (the CLI as a subprocess): two runs under the ci profile give identical
results; a failure reports the shrunk example, the same way every time, as a
reproduction of that example alone (for the stateful model, the whole shrunk
sequence); the example database lives where the user runs the kit, or where
``HYPOTHESIS_STORAGE_DIRECTORY`` says, never in the package.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis.errors import NoSuchExample

import conformance
from conformance.checks.test_generate import length_verdict
from conformance.oracles import accept
from conformance.properties import profiles, strategies
from tests.support import process

VARIANTS = Path(__file__).with_name("variants")
#: Search for an example, without shrinking it (only its existence matters).
FIND = settings(database=None, max_examples=5000, derandomize=True, phases=[Phase.generate])


def variant_command(name: str) -> str:
    run = shlex.quote(str(VARIANTS / "run.py"))
    return f"{shlex.quote(sys.executable)} {run} {name} {{port}}"


# ------------------------------------------------------------ the oracles --


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        ("8", ("required", 8)),
        ("1", ("required", 1)),
        ("22", ("required", 22)),
        ("0", ("open", 0)),
        ("-0", ("open", 0)),
        ("+8", ("open", 8)),
        (" 8", ("open", 8)),
        ("8\n", ("open", 8)),
        ("\u0668", ("open", 8)),  # Arabic-Indic eight
        ("\uff11\uff16", ("open", 16)),  # fullwidth sixteen
        ("08", ("open", None)),
        ("00", ("open", None)),
        ("1_0", ("open", None)),
        ("23", ("forbidden", None)),
        ("+23", ("forbidden", None)),
        ("\u0662\u0663", ("forbidden", None)),  # Arabic-Indic 23
        ("-1", ("forbidden", None)),
        ("4294967304", ("forbidden", None)),  # 2**32 + 8
        ("99999999999999999999", ("forbidden", None)),
        ("", ("forbidden", None)),
        ("abc", ("forbidden", None)),
        ("1.5", ("forbidden", None)),
        ("8.0", ("forbidden", None)),
        ("1e1", ("forbidden", None)),
        ("0x8", ("forbidden", None)),
        ("\u00bd", ("forbidden", None)),
        ("8\x00", ("forbidden", None)),
        ("_8", ("forbidden", None)),
    ],
)
def test_length_verdict_on_hand_picked_values(value, verdict):
    assert length_verdict(value) == verdict


# -------------------------------------------------------- the strategies --


@pytest.mark.parametrize("kind", ["required", "forbidden", "open"])
def test_lengths_reach_every_kind_of_value(kind):
    find(strategies.lengths(), lambda v: length_verdict(v)[0] == kind, settings=FIND)


@pytest.mark.parametrize(
    "wanted",
    [
        lambda v: v == "0",
        lambda v: v.strip() != v and length_verdict(v)[0] == "open",
        lambda v: v.startswith("+"),
        lambda v: any(not c.isascii() for c in v) and length_verdict(v)[0] == "open",
        lambda v: length_verdict(v)[0] == "forbidden" and v.isdigit() and len(v) > 9,
        lambda v: v == str(strategies.MAX_LENGTH + 1),
    ],
    ids=["zero", "padded", "plus", "non-ascii", "huge", "23"],
)
def test_lengths_reach_the_boundaries_and_open_forms(wanted):
    find(strategies.lengths(), wanted, settings=FIND)


@pytest.mark.parametrize("oracle", [accept.rfc_verdict, accept.agreed_verdict])
@pytest.mark.parametrize("verdict", list(accept.Verdict))
def test_accept_headers_reach_every_verdict(oracle, verdict):
    find(strategies.accept_headers(), lambda h: oracle(h) is verdict, settings=FIND)


@pytest.mark.parametrize("zero", ["0.", "0.0", "0.00", "0.000"])
def test_accept_headers_spell_a_zero_weight_every_way(zero):
    weight = re.compile(f";[ \t]*q={re.escape(zero)}(?![0-9])")
    find(strategies.accept_headers(), lambda h: h is not None and weight.search(h), settings=FIND)


FILES = ("css/style.css", "js/gen.js")


def test_static_requests_spell_files_canonically_and_otherwise():
    requests = strategies.static_requests(FILES)
    find(requests, lambda r: r.canonical and r.target == "/static/css/style.css", settings=FIND)
    find(requests, lambda r: r.file == "js/gen.js" and not r.canonical, settings=FIND)
    find(requests, lambda r: r.file is not None and r.target.endswith("/"), settings=FIND)


@pytest.mark.parametrize("dot_dot", strategies.DOT_DOTS)
def test_static_requests_escape_with_every_spelling_of_dot_dot(dot_dot):
    find(
        strategies.static_requests(FILES),
        lambda r: r.escapes and f"/{dot_dot}/" in r.target,
        settings=FIND,
    )


@pytest.mark.parametrize(
    "feature",
    ["\\", "%5c", "%00", "%c0%af", "/static//", "/static/%2f", "etc/passwd", "%2fetc%2fpasswd"],
)
def test_static_requests_use_backslashes_nul_overlong_and_absolute_paths(feature):
    find(
        strategies.static_requests(FILES),
        lambda r: r.escapes and feature in r.target,
        settings=FIND,
    )


def test_static_request_targets_are_sendable_as_they_are():
    # http.client refuses spaces and control characters in a request target.
    with pytest.raises(NoSuchExample):
        find(
            strategies.static_requests(FILES),
            lambda r: not re.fullmatch(r"/[!-~]+", r.target),
            settings=settings(FIND, max_examples=1000),
        )


def test_stored_values_carry_sql_fragments_and_very_long_values():
    values = strategies.stored_values()
    find(values, lambda s: "'; DROP TABLE" in s, settings=FIND)
    find(values, lambda s: "'" in s and '"' in s, settings=FIND)
    find(values, lambda s: len(s) >= 5_000, settings=FIND)
    with pytest.raises(NoSuchExample):
        find(
            values,
            lambda s: len(s) > strategies.LONG_VALUE,
            settings=settings(FIND, max_examples=300),
        )


def test_unicode_strings_carry_non_ascii_and_special_characters():
    text = strategies.unicode_strings()
    find(text, lambda s: any(ord(c) > 0xFFFF for c in s), settings=FIND)
    find(text, lambda s: "&" in s and "=" in s, settings=FIND)
    find(text, lambda s: "\x00" in s, settings=FIND)
    with pytest.raises(NoSuchExample):
        find(
            text,
            lambda s: any(0xD800 <= ord(c) <= 0xDFFF for c in s),
            settings=settings(FIND, max_examples=1000),
        )


# ------------------------------------------------------------- profiles --


def test_profiles_are_registered_with_no_deadline_and_safe_fixtures():
    profiles.register()
    for name in profiles.NAMES:
        profile = settings.get_profile(name)
        assert profile.deadline is None, name
        assert HealthCheck.function_scoped_fixture in profile.suppress_health_check, name
        assert profile.report_multiple_bugs is False, name
    ci = settings.get_profile("ci")
    assert ci.derandomize and ci.database is None
    dev, thorough = settings.get_profile("dev"), settings.get_profile("thorough")
    assert dev.max_examples < ci.max_examples < thorough.max_examples
    assert dev.stateful_step_count < ci.stateful_step_count < thorough.stateful_step_count


@pytest.mark.parametrize("name", profiles.NAMES)
def test_check_settings_keep_the_selected_profile_and_make_it_safe_for_http(name):
    profiles.register()
    profile = settings.get_profile(name)
    try:
        profiles.select(name)
        made = profiles.for_checks()
        assert made.max_examples == profile.max_examples
        assert made.derandomize == profile.derandomize
        assert profiles.for_checks(scale=4).max_examples == 4 * profile.max_examples
        assert profiles.for_checks(scale=0.5).max_examples == round(profile.max_examples / 2)
        assert made.deadline is None and made.report_multiple_bugs is False
        assert HealthCheck.function_scoped_fixture in made.suppress_health_check
    finally:
        profiles.select(None)


def test_checks_run_under_the_kits_ci_profile_when_none_is_named():
    profiles.register()
    profiles.select(None)
    made = profiles.for_checks()
    assert made.derandomize and made.database is None
    assert made.max_examples == settings.get_profile("ci").max_examples


@pytest.mark.parametrize(
    ("profile", "storage", "cache", "moved"),
    [
        ("ci", None, "writable", True),
        ("dev", None, "writable", False),  # its example database stays where the run starts
        ("ci", "chosen", "writable", False),  # $HYPOTHESIS_STORAGE_DIRECTORY: the user's choice
        ("ci", None, "a file", False),  # a cache folder that cannot be made
    ],
)
def test_hypothesis_caches_go_to_the_users_cache_only_without_a_database(
    profile, storage, cache, moved, tmp_path, monkeypatch
):
    import hypothesis.configuration

    homes = []
    monkeypatch.setattr(hypothesis.configuration, "set_hypothesis_home_dir", homes.append)
    if storage:
        monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(tmp_path / "chosen"))
    else:
        monkeypatch.delenv("HYPOTHESIS_STORAGE_DIRECTORY", raising=False)
    base = tmp_path / "cache"
    if cache == "a file":
        base.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(base))
    try:
        profiles.select(profile)
        profiles.store_caches_per_user()
    finally:
        profiles.select(None)
    assert homes == ([profiles.cache_folder()] if moved else [])
    assert profiles.cache_folder().is_relative_to(base)


# ------------------------------------------------------- runs of the CLI --


def _outcomes(result) -> list[tuple]:
    return [
        (e["id"], e["tutorial"], e["outcome"], e["message"])
        for e in result.document["requirements"]
    ]


@pytest.mark.slow
def test_two_runs_under_the_ci_profile_give_identical_results(cli, tmp_path):
    # Tutorial 6 has lengths, static paths and the store of 5-6; 7 the service's.  The
    # load checks send as many requests as their time bound allows, so they are left out.
    args = ("run", "--tutorial", "6", "--tutorial", "7", "--", "-m", "not load")
    first = cli(*args, json_name="first.json")
    second = cli(*args, json_name="second.json")
    assert first.status == second.status == 0, (first, second)
    assert _outcomes(first) == _outcomes(second)
    assert first.document["timings"]["requests"] == second.document["timings"]["requests"]


def _port_free(text: str) -> str:
    return re.sub(r"127\.0\.0\.1:\d+|'127\.0\.0\.1', \d+", "HOST", text)


@pytest.mark.slow
def test_a_failure_reports_the_shrunk_example_the_same_way_every_time(cli):
    args = (
        "run",
        "--tutorial",
        "4",
        "--target-cmd",
        variant_command("prop_t04_zero_means_default"),
        "--",
        "-k",
        "test_any_length_is_honoured_exactly_or_refused",
    )
    runs = [cli(*args, json_name=f"run{i}.json") for i in (1, 2)]
    reproductions = []
    for result in runs:
        assert result.status == 1, result
        (failure,) = [e for e in result.document["requirements"] if e["outcome"] == "fail"]
        assert failure["id"] == "generate-length-property"
        assert "length='0'" in failure["message"], failure["message"]
        curl = failure["reproduction"]["curl"].splitlines()
        assert len(curl) == 1 and "/generate?length=0'" in curl[0], curl
        reproductions.append(_port_free(failure["reproduction"]["curl"]))
    assert reproductions[0] == reproductions[1]


@pytest.mark.slow
def test_a_stateful_failure_replays_its_whole_run_and_nothing_before_it(cli, tmp_path):
    # prop_t08_put_mojibake fails the second of the store model's spelt-out runs
    # (SEQUENCES): the reproduction must hold that run, every client's requests
    # in order, and none of the first run's (the recorder restarts with each run
    # of the machine, spelt out or generated).
    name = "prop_t08_put_mojibake"
    result = cli(
        "run",
        "--tutorial",
        "8",
        "--target-cmd",
        variant_command(name),
        "--",
        "-k",
        "test_every_client_reads_its_own_string_under_any_interleaving",
    )
    assert result.status == 1, result
    (failure,) = [e for e in result.document["requirements"] if e["outcome"] == "fail"]
    assert failure["id"] == "store-model"
    script = failure["reproduction"]["python"]
    sessions = re.findall(r"^(s\d+) = requests\.Session\(\)$", script, re.MULTILINE)
    assert len(sessions) == 3, script
    requests_ = re.findall(r"^r = (s\d+)\.request\('(\w+)'", script, re.MULTILINE)
    first, second, _ = sessions
    reads = [(s, "GET") for s in sessions]
    # Every client reads, client 1 POSTs, all read, client 2 POSTs, all read,
    # client 1 PUTs and reads back what the variant mangled.
    expected = [
        *reads,
        (first, "POST"),
        *reads,
        (second, "POST"),
        *reads,
        (first, "PUT"),
        (first, "GET"),
    ]
    assert requests_ == expected, script
    with process.running(variant_command(name), cwd=tmp_path) as server:
        replayed = subprocess.run(
            [sys.executable, "-c", re.sub(r"http://127\.0\.0\.1:\d+", server.url, script)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
    assert replayed.returncode == 0, replayed.stderr
    # The replay's last read shows the PUT's string mangled exactly as the variant mangles it.
    (put,) = re.findall(r"'PUT', .*data=b'another_string=([^']*)'", script)
    stored = urllib.parse.unquote_plus(put)
    assert stored != stored.encode("utf-8").decode("latin-1"), stored
    mangled = stored.encode("utf-8").decode("latin-1")[:200]
    assert replayed.stdout.endswith(f" {mangled}\n"), replayed.stdout


@pytest.mark.slow
def test_the_example_database_is_where_the_user_runs_the_kit(cli, tmp_path, monkeypatch):
    args = (
        "run",
        "--tutorial",
        "4",
        "--target-cmd",
        variant_command("prop_t04_zero_means_default"),
        "--",
        "-k",
        "test_any_length_is_honoured_exactly_or_refused",
    )
    package = Path(conformance.__file__).resolve().parent
    ci_dir, dev_dir, chosen_dir = (tmp_path / n for n in ("ci", "dev", "chosen"))
    for folder in (ci_dir, dev_dir):
        folder.mkdir()
    assert cli(*args, cwd=ci_dir).status == 1
    assert not (ci_dir / ".hypothesis" / "examples").exists(), "ci keeps no example database"
    assert cli("run", "--profile", "dev", *args[1:], cwd=dev_dir).status == 1
    assert any((dev_dir / ".hypothesis" / "examples").iterdir()), "dev saves the failing example"
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(chosen_dir))
    assert cli("run", "--profile", "dev", *args[1:], cwd=ci_dir).status == 1
    assert any((chosen_dir / "examples").iterdir()), "the user's storage directory is used"
    assert not (ci_dir / ".hypothesis" / "examples").exists()
    assert not list(package.rglob(".hypothesis")), "nothing is stored in the package"


class _Recorder:
    def restart(self) -> None:
        pass


def test_property_check_runs_its_explicit_examples_first_and_in_order():
    from hypothesis import strategies as st

    from conformance.properties import property_check

    seen: list[int] = []

    @property_check(value=st.integers(0, 10), examples=[{"value": 99}, {"value": 98}])
    def check(value):
        seen.append(value)

    check(recorder=_Recorder())
    assert seen[:2] == [99, 98]
    assert all(0 <= value <= 10 for value in seen[2:]) and len(seen) > 2


def test_property_check_refuses_an_example_that_names_other_values():
    from hypothesis import strategies as st

    from conformance.properties import property_check

    with pytest.raises(TypeError, match="expected"):
        property_check(value=st.integers(), examples=[{"other": 1}])


def test_the_decisive_accept_examples_are_pinned_where_the_variants_need_them():
    from conformance.checks.test_rest import ACCEPT_EXAMPLES

    headers = [values["header"] for values in ACCEPT_EXAMPLES]
    # Every one is pinned by RFC 9110 (rest-accept-rfc-property) ...
    assert all(accept.rfc_verdict(h) is not accept.OPEN for h in headers)
    # ... and those a MUST variant needs by the agreed verdict too.
    for header in ("text/plain;q=0.0", "text/plain;q=0.000, text/html", "image/*"):
        assert accept.agreed_verdict(header) is accept.UNACCEPTABLE
    assert accept.agreed_verdict("application/json, text/plain") is accept.ACCEPTABLE
    # CherryPy's tools.accept departs from the RFC on these (t09_cherrypy_accept).
    for header in ("TEXT/PLAIN", "text/plain;q=0, */*"):
        assert accept.agreed_verdict(header) is accept.OPEN
