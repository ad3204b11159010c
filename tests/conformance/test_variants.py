"""Every check can fail: each broken variant is caught with exactly the ids it breaks.

A variant (see ``variants/``) is served as its own process through
``--target-cmd``.  The suite must report exactly its ``BREAKS`` among the MUST
and SHOULD requirements; each failure's re-run command must fail again on the
variant and pass on the reference, and its requests script must run.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.spec import catalogue
from reference_app import server
from tests.conformance import variants
from tests.support import process

pytestmark = pytest.mark.slow

RUN = Path(variants.__file__).with_name("run.py")
BINDING = ("MUST", "SHOULD")


def command(name: str) -> str:
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(RUN))} {name} {{port}}"


def test_every_requirement_is_broken_by_some_variant():
    broken = set().union(*(variants.load(n).BREAKS for n in variants.names()))
    binding = {r.id for r in catalogue.requirements().values() if r.level in BINDING}
    assert binding - broken == set(), f"no variant breaks {sorted(binding - broken)}"
    assert broken <= binding, f"variants claim unknown or INFO ids: {sorted(broken - binding)}"


@pytest.mark.parametrize("name", variants.names())
def test_the_suite_catches_the_variant(cli, tmp_path, name):
    variant = variants.load(name)
    result = cli("run", "--tutorial", str(variant.TUTORIAL), "--target-cmd", command(name))
    assert not [e for e in result.document["requirements"] if e["outcome"] == "error"], result
    assert result.failed_ids(BINDING) == set(variant.BREAKS), result
    assert result.status == 1

    failures = [e for e in result.document["requirements"] if e["id"] in variant.BREAKS]
    checks = sorted({c.split("[")[0].split("::")[-1] for e in failures for c in e["checks"]})
    selection = " or ".join(checks)
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
    )
    assert again.status == 1 and again.failed_ids(BINDING) == set(variant.BREAKS), again
    reference = cli(
        "run",
        "--tutorial",
        str(variant.TUTORIAL),
        "--",
        "-k",
        selection,
        json_name="reference.json",
    )
    assert reference.status == 0, reference
    scripts = [e["reproduction"]["python"] for e in failures if e["reproduction"].get("python")]
    with process.running(command(name)) as variant_server:
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
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, (
        f"the reproduction does not run against {base_url}: {done.stderr[-500:]}"
    )
    return done.stdout
