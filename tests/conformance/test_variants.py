"""Every check can fail: each broken variant is caught with exactly the ids it breaks.

A variant (see ``variants/``) is served as its own process through
``--target-cmd``.  The suite must report exactly its ``BREAKS`` among the MUST
and SHOULD requirements; each failure's re-run command must fail again on the
variant, the same requirements must pass on the reference (whose results are
computed once per tutorial and shared by its variants), and each requests
script must run against both.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conformance.spec import catalogue
from conformance.spec import tutorials as tutorial_facts
from reference_app import server
from tests.conformance import variants
from tests.conformance.conftest import CLIResult, run_cli, unmeasured
from tests.support import process

pytestmark = pytest.mark.slow

RUN = Path(variants.__file__).with_name("run.py")
BINDING = ("MUST", "SHOULD")
#: The variants whose first run is measured by coverage.  Every variant's run
#: reaches the code of the checks that pass on the reference; what only a failure
#: reaches, these reach.  Chosen as a greedy cover: with each variant's run
#: measured alone against a suite run with no variant measured, 33 lines and
#: branches of `conformance` were reached by variant runs only, all by these
#: (`python bench/measured_variants.py` checks it again).  The others are not
#: measured: coverage makes a tutorial-11 run a third longer (t11_text_html
#: alone: 19.4 s, 25.7 s measured).
MEASURED = frozenset(
    {
        "t11_shared_connection",  # load: a refused request, a 5xx read, a 5xx book read
        "t05_cookie_domain",  # load: a read that finds nothing after a write
        "t10_script_fails_to_load",  # a page's console error and failed request
        "prop_t10_put_last_poster",  # load: another client's value known by its text
        "t06_static_get_only",  # a HEAD request's reproduction (curl -I)
        "t07_unlocked_module_store",  # load: a generated string given to two clients
        "t08_result_renamed",  # a page that never shows what was typed
        "t04_form_extra_field",  # a form field that is neither text nor submit
        "t05_display_empty",  # a read with nothing stored that answers no error
        "t11_library_per_session",  # a book that reads back wrong
        # a server that does not start again after a crash (the printed tutorial 9
        # reaches it too, but its run's data was missing from one suite run)
        "t09_no_restart_after_kill",
    }
)


@pytest.fixture(scope="session")
def reference_result(tmp_path_factory) -> Callable[[int], CLIResult]:
    """The whole run of a tutorial against the embedded reference, once per test session.

    Shared by the xdist workers through files under their common base
    directory (the first worker to need a tutorial runs it, under a lock;
    the others read what it wrote).
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    shared = shared / "reference-results"
    shared.mkdir(exist_ok=True)

    def result(tutorial: int) -> CLIResult:
        folder = shared / f"t{tutorial:02d}"
        with open(shared / f"t{tutorial:02d}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (folder / "run.json").exists():
                folder.mkdir(exist_ok=True)
                done = run_cli("run", "--tutorial", str(tutorial), cwd=folder)
                (folder / "run.json").write_text(json.dumps(done.run_facts()))
        return CLIResult.from_facts(json.loads((folder / "run.json").read_text()), folder)

    return result


def command(name: str) -> str:
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(RUN))} {name} {{port}}"


@pytest.mark.parametrize("tutorial", sorted(tutorial_facts.TUTORIALS))
def test_the_reference_passes_every_check(tutorial, reference_result):
    # First in this module, so that the workers compute the references before
    # the variants that compare with them wait for them.
    result = reference_result(tutorial)
    assert result.status == 0, result
    assert not result.failed_ids(("MUST", "SHOULD", "INFO")), result


def test_every_requirement_is_broken_by_some_variant():
    broken = set().union(*(variants.load(n).BREAKS for n in variants.names()))
    binding = {r.id for r in catalogue.requirements().values() if r.level in BINDING}
    assert binding - broken == set(), f"no variant breaks {sorted(binding - broken)}"
    assert broken <= binding, f"variants claim unknown or INFO ids: {sorted(broken - binding)}"


@pytest.mark.parametrize("name", variants.names())
def test_the_suite_catches_the_variant(cli, tmp_path, name, reference_result):
    variant = variants.load(name)
    result = cli(
        "run",
        "--tutorial",
        str(variant.TUTORIAL),
        "--target-cmd",
        command(name),
        measured=name in MEASURED,
    )
    assert not [e for e in result.document["requirements"] if e["outcome"] == "error"], result
    # MAY_BREAK: ids a variant's deviation trips only when requests happen to
    # overlap in a certain way (the load checks); each is named in the variant.
    may = set(getattr(variant, "MAY_BREAK", ()))
    failed = result.failed_ids(BINDING)
    assert set(variant.BREAKS) <= failed <= set(variant.BREAKS) | may, result
    assert result.status == 1

    failures = [e for e in result.document["requirements"] if e["id"] in variant.BREAKS]
    checks = sorted({c.split("[")[0].split("::")[-1] for e in failures for c in e["checks"]})
    selection = " or ".join(checks)
    # Not measured: the same checks on the same variant as the run above (measured
    # there when the variant is in MEASURED).
    again = cli(
        "run",
        "--tutorial",
        str(variant.TUTORIAL),
        "--target-cmd",
        command(name),
        "--",
        "-k",
        selection,
        json_name="again.json",
        measured=False,
    )
    assert again.status == 1, again
    assert set(variant.BREAKS) <= again.failed_ids(BINDING) <= set(variant.BREAKS) | may, again
    # The same checks pass on the reference: its results are computed once per
    # tutorial for every variant of that tutorial (reference_result).
    reference = reference_result(variant.TUTORIAL)
    assert reference.status == 0, reference
    passed = {
        (e["id"], e["tutorial"])
        for e in reference.document["requirements"]
        if e["outcome"] == "pass"
    }
    assert {(e["id"], e["tutorial"]) for e in failures} <= passed, reference
    scripts = [e["reproduction"]["python"] for e in failures if e["reproduction"].get("python")]
    with process.running(command(name), cwd=tmp_path) as variant_server:
        for script in scripts:
            replay(script, variant_server.url, tmp_path)
    with server.running(variant.TUTORIAL) as reference_server:
        for script in scripts:
            replay(script, reference_server.url, tmp_path)


def replay(script: str, base_url: str, cwd: Path) -> str:
    """Run a failure's requests script against ``base_url``; it must run to the end."""
    script = re.sub(r"http://127\.0\.0\.1:\d+", base_url, script)
    script = re.sub(
        r"HTTPConnection\('127\.0\.0\.1', \d+",
        f"HTTPConnection('127.0.0.1', {base_url.rsplit(':', 1)[1]}",
        script,
    )
    # Not measured: a reproduction imports nothing of the kit or the reference (it
    # is the user's standalone script), and coverage's start-up doubled its run.
    env = unmeasured(dict(os.environ))
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, (
        f"the reproduction does not run against {base_url}: {done.stderr[-500:]}"
    )
    return done.stdout
