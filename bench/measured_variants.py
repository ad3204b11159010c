"""Is ``MEASURED`` (tests/conformance/test_variants.py) enough?

    python -m pytest -n 4 --dist worksteal --cov      # the README's command: writes .coverage
    python bench/measured_variants.py [--suite .coverage] [--jobs 2] [--keep DIR]

Not part of the test command: the kit's suite measures only the variants in
``MEASURED``, because a variant's run mostly reaches what the reference's runs
reach.  This runs every variant's whole tutorial once, measured on its own
(``coverage run -m conformance run --tutorial N --target-cmd ...``, ``--jobs``
at a time, about 12 minutes with 2), and prints the lines and branches of
``conformance`` and ``reference_app`` — as coverage reports them — that a
variant outside ``MEASURED`` reaches and the suite's data does not, with the
smallest set of variants that reaches them all (greedy).  Nothing printed
under "missed" means ``MEASURED`` is enough; exit status 1 otherwise.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import functools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import coverage
from coverage import CoverageData

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conformance import test_variants, variants  # noqa: E402
from tests.conformance.conftest import unmeasured  # noqa: E402

Unit = tuple[str, str, object]  # (file, "line" or "branch", the line or the arc)


def measure(name: str, folder: Path) -> Path:
    """Run the variant's tutorial measured; its data files land in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    # Measured by `coverage run` into its own data file, not by a suite's subprocess patch.
    env = unmeasured({**os.environ, "CI": "true", "COVERAGE_FILE": str(folder / ".coverage")})
    command = test_variants.command(name)
    tutorial = str(variants.load(name).TUTORIAL)
    argv = [sys.executable, "-m", "coverage", "run", f"--rcfile={ROOT / 'pyproject.toml'}"]
    argv += ["-m", "conformance", "run", "--tutorial", tutorial, "--target-cmd", command]
    argv += ["--json", "r.json", "--browser-output", str(folder / "screenshots")]
    subprocess.run(argv, cwd=folder, env=env, capture_output=True, timeout=600)
    return folder


def reportable(suite: coverage.Coverage, source: str) -> tuple[set[int], set[tuple[int, int]]]:
    """The statements and branch arcs of ``source`` that coverage's report counts."""
    analysis = suite._analyze(source)
    branch_lines = set(analysis._branch_lines())
    branches = {a for a in analysis.arc_possibilities if a[0] in branch_lines}
    return set(analysis.statements), branches


def reached(folder: Path, units_of, base: CoverageData) -> set[Unit]:
    """What the variant's run reached that the suite did not, in reportable units."""
    units: set[Unit] = set()
    for path in folder.glob(".coverage.*"):
        data = CoverageData(basename=str(path))
        data.read()
        for source in data.measured_files():
            statements, branches = units_of(source)
            lines = set(data.lines(source) or ()) & statements
            arcs = set(data.arcs(source) or ()) & branches
            units |= {(source, "line", n) for n in lines - set(base.lines(source) or ())}
            units |= {(source, "branch", a) for a in arcs - set(base.arcs(source) or ())}
    return units


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", default=".coverage", help="a suite run's coverage data")
    parser.add_argument("--jobs", type=int, default=2, help="variant runs at a time")
    parser.add_argument("--keep", help="where the variants' data go (default: a temporary folder)")
    args = parser.parse_args()
    suite = coverage.Coverage(data_file=args.suite, config_file=str(ROOT / "pyproject.toml"))
    suite.load()
    base = suite.get_data()
    top = Path(args.keep or tempfile.mkdtemp(prefix="measured-variants-"))
    names = [n for n in variants.names() if n not in test_variants.MEASURED]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        folders = dict(zip(names, pool.map(lambda n: measure(n, top / n), names)))
    # Analysed once per source file, not once per data file that measured it.
    units_of = functools.lru_cache(maxsize=None)(functools.partial(reportable, suite))
    adds = {name: reached(folder, units_of, base) for name, folder in folders.items()}
    missed = set().union(*adds.values())
    print(f"{len(names)} variants outside MEASURED; missed: {len(missed)} lines and branches")
    for source, kind, where in sorted(missed, key=str):
        who = sorted(n for n, units in adds.items() if (source, kind, where) in units)
        print(f"  {os.path.relpath(source, ROOT)} {kind} {where}: {', '.join(who[:3])}")
    left = set(missed)
    while left:
        best = max(adds, key=lambda n: len(adds[n] & left))
        print(f"add {best!r} to MEASURED: reaches {len(adds[best] & left)} of them")
        left -= adds[best]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
