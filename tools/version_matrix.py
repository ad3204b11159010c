"""One cell of the version matrix: this Python x one CherryPy release, through the kit.

Usage (tox's ``matrix-*`` envs run it; see tox.ini)::

    python tools/version_matrix.py --cherrypy 18.8.0 --out .tox/matrix
        [--tutorials 7,9] [--reference | --no-reference] [--work DIR]
        [--run-timeout S]

The kit runs in the Python running this script (the tox env, with the kit's
own dependencies); the *target* runs in a venv of the same Python made for
the release (``WORK/venv``: ``cherrypy==RELEASE`` and ``cheroot>=11.1.2``,
and the kit itself ``--no-deps`` for the reference). So the kit's own
CherryPy never masks the release under test, and a release the kit could not
be installed with is still judged.

Two columns of the matrix page come out of one call, each one result JSON
of the kit's schema in ``--out``, named ``py3.9-cherrypy-17.4.2-printed.json``
with the implementation name ``py3.9 CherryPy 17.4.2 printed``:

- ``printed``: the tutorials exactly as the seed prints them (``tutNN.py``
  laid out by ``tests/support/seed.py`` and served by ``run_printed.py``),
  every one the seed prints (1-10 and 12) unless ``--tutorials`` says;
- ``reference``: ``python -m reference_app serve N`` (1-12), when
  ``--reference`` is given (tox passes it for the releases the reference
  supports, see ``pyproject.toml``).

Each tutorial is one ``python -m conformance run --tutorial N --target-cmd …``
(a printed tutorial is its own program); the per-tutorial results are merged
into one document per column, so ``python -m conformance report`` shows one
column per (Python, release, set).

A combination that cannot be judged does not crash the matrix: its column is
a valid result whose every requirement is ``skip`` with the reason, and whose
``fatal`` (shown in the page's verdict table) is ``cannot install: …`` (pip
failed: the last line of its error) or ``cannot run: …`` (``import cherrypy``
fails, or tutorial 1 answers ``GET /`` with something else than 200 — the
last line of the traceback CherryPy prints in its error page, e.g. ``inspect``
has no ``getargspec`` on Python 3.11 for releases before 18.8.0).

Lives in ``tools/``, not under ``tests/``: it is a maintainer's tool that
tox runs, not a test of the kit (pytest collects ``tests/``; this drives the
kit as a user does, from the outside).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from conformance import __version__  # noqa: E402
from conformance.results.model import Entry, Result, summarise, verdict  # noqa: E402
from conformance.spec import catalogue  # noqa: E402
from tests.support import seed  # noqa: E402

REFERENCE = tuple(range(1, 13))
CHEROOT = "cheroot>=11.1.2"


def python_tag() -> str:
    return f"py{sys.version_info.major}.{sys.version_info.minor}"


def column(release: str, kind: str) -> tuple[str, str]:
    """The implementation name and the file name of one column."""
    name = f"{python_tag()} CherryPy {release} {kind}"
    return name, name.replace(" CherryPy ", "-cherrypy-").replace(" ", "-") + ".json"


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


# -- the target venv ---------------------------------------------------------
def make_venv(work: Path, release: str, reference: bool) -> tuple[Path | None, str | None]:
    """The target venv's Python, or None and ``cannot install: …``."""
    venv = work / "venv"
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    marker = venv / f"installed-{release}{'-ref' if reference else ''}"
    if marker.is_file():
        return python, None
    made = subprocess.run(
        [sys.executable, "-m", "venv", "--clear", str(venv)], capture_output=True, text=True
    )
    if made.returncode:
        return None, f"cannot install: venv: {_last_line(made.stderr + made.stdout)}"
    steps = [[f"cherrypy=={release}", CHEROOT]]
    if reference:
        # reference_app and tutorial_fixtures, with the release above (no other dependency).
        steps.append(["--no-deps", "-e", str(REPO)])
    for packages in steps:
        pip = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *packages],
            capture_output=True,
            text=True,
        )
        if pip.returncode:
            errors = [ln for ln in pip.stderr.splitlines() if ln.startswith("ERROR")]
            why = errors[0] if errors else _last_line(pip.stderr + pip.stdout)
            why = re.sub(r" \(from versions: [^)]*\)", "", why)
            return None, f"cannot install: pip install {' '.join(packages)}: {why}"
    marker.write_text("ok\n")
    return python, None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smoke(command: str, timeout: float = 30.0) -> str | None:
    """``cannot run: …`` unless the server of ``command`` answers ``GET /`` with 200."""
    port = _free_port()
    with open(os.devnull, "wb") as devnull:
        # Output to a file, never an undrained pipe (CHERRYPY-NOTES); read it on failure.
        log = Path(os.environ.get("TMPDIR", "/tmp")) / f"matrix-smoke-{os.getpid()}-{port}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                command.replace("{port}", str(port)),
                shell=True,
                stdin=devnull,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return f"cannot run: the server exited ({proc.returncode}): {_last_line(log.read_text(errors='replace'))}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    return (
                        None
                        if answer.status == 200
                        else f"cannot run: GET / answered {answer.status}"
                    )
            except urllib.error.HTTPError as error:
                body = error.read().decode("utf-8", "replace")
                # CherryPy's error page: the traceback in a <pre>; its last line says why.
                tail = body.split("</pre>")[0] if "<pre" in body else body
                return f"cannot run: GET / answered {error.code}: {_last_line(tail)}"
            except OSError:
                time.sleep(0.2)
        return f"cannot run: no answer on port {port} within {timeout:g} s"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()
        log.unlink(missing_ok=True)


# -- results -----------------------------------------------------------------
def placeholder(name: str, tutorials: tuple[int, ...], why: str, release: str) -> Result:
    """A column that says why it could not be judged: every requirement ``skip``."""
    entries = tuple(
        Entry(
            id=req.id,
            tutorial=tut,
            level=req.level,
            statement=req.statement,
            outcome="skip",
            binding=req.binding_at("should"),
            message=why,
            checks=(),
            duration_s=0.0,
            reproduction=None,
        )
        for req in catalogue.requirements().values()
        for tut in req.tutorials
        if tut in tutorials
    )
    return Result(
        spec_version=catalogue.spec_version(),
        kit_version=__version__,
        target={"kind": "command", "name": name},
        tutorials=tutorials,
        level="should",
        fatal=why,
        exit_status=2,
        timings={
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "duration_s": 0.0,
            "checks": 0,
            "requests": 0,
        },
        environment=_environment(release),
        summary=summarise(entries),
        verdicts=tuple(verdict(entries, t) for t in tutorials),
        requirements=entries,
    )


def _environment(release: str) -> dict:
    import platform

    return {
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "platform": platform.platform(),
        "framework": f"CherryPy {release}",
    }


def merge(name: str, parts: list[Result], command: str, release: str) -> Result:
    """One column from the results of one tutorial each."""
    entries = tuple(e for part in parts for e in part.requirements)
    tutorials = tuple(sorted({t for part in parts for t in part.tutorials}))
    fatals = [f"t{part.tutorials[0]}: {part.fatal}" for part in parts if part.fatal]
    first = parts[0]
    return Result(
        spec_version=first.spec_version,
        kit_version=first.kit_version,
        target={"kind": "command", "name": name, "command": command},
        tutorials=tutorials,
        level=first.level,
        fatal="; ".join(fatals) or None,
        exit_status=max(part.exit_status for part in parts),
        timings={
            "started": first.timings["started"],
            "duration_s": round(sum(p.timings["duration_s"] for p in parts), 3),
            "checks": sum(p.timings.get("checks", 0) for p in parts),
            "requests": sum(p.timings.get("requests", 0) for p in parts),
        },
        environment=_environment(release),
        summary=summarise(entries),
        verdicts=tuple(v for part in parts for v in part.verdicts),
        requirements=entries,
    )


def run_kit(tutorial: int, command: str, name: str, path: Path, run_timeout: float) -> Result | str:
    """The kit's result for one tutorial, or why there is none."""
    kit = [sys.executable, "-m", "conformance", "run", "--tutorial", str(tutorial)]
    kit += ["--target-cmd", command, "--name", name, "--json", str(path)]
    kit += ["--run-timeout", f"{run_timeout:g}"]
    path.unlink(missing_ok=True)
    done = subprocess.run(kit, cwd=REPO, capture_output=True, text=True)
    last = _last_line(done.stdout)
    print(f"  t{tutorial}: exit {done.returncode}: {last}", flush=True)
    if not path.is_file():
        return f"the kit wrote no result (exit {done.returncode}): {_last_line(done.stderr)}"
    return Result.from_dict(json.loads(path.read_text(encoding="utf-8")), str(path))


def one_column(
    kind: str,
    release: str,
    python: Path | None,
    why: str | None,
    tutorials: tuple[int, ...],
    work: Path,
    out: Path,
    run_timeout: float,
) -> Path:
    name, filename = column(release, kind)
    print(f"{name}: tutorials {', '.join(map(str, tutorials))}", flush=True)

    def command(n: int) -> str:
        q = shlex.quote
        if kind == "reference":
            return f"{q(str(python))} -m reference_app serve {n} --port {{port}}"
        folder = work / kind / f"t{n:02d}"
        seed.printed_tutorial(n, folder)
        return f"cd {q(str(folder))} && exec {q(str(python))} {q(str(seed.LAUNCHER))} tut{n:02d}.py {{port}}"

    if why is None:
        why = smoke(command(1))
    if why is not None:
        print(f"  {why}", flush=True)
        result = placeholder(name, tutorials, why, release)
    else:
        parts = []
        for n in tutorials:
            part = run_kit(
                n, command(n), name, work / "parts" / f"{kind}-t{n:02d}.json", run_timeout
            )
            if isinstance(part, str):
                part = placeholder(name, (n,), f"cannot run: {part}", release)
            parts.append(part)
        result = merge(
            name, parts, command(tutorials[0]).replace(f" {tutorials[0]} ", " N "), release
        )
    target = out / filename
    target.write_text(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    print(f"  -> {target}", flush=True)
    return target


def _order(path: Path) -> tuple:
    """Python, then release, numerically (3.9 before 3.13, 18.8.0 before 18.10.0), then kind."""
    python, _, rest = path.stem.partition("-cherrypy-")
    release, _, kind = rest.partition("-")
    number = [int(p) if p.isdigit() else 0 for p in python.removeprefix("py").split(".")]
    return (number, [int(p) if p.isdigit() else 0 for p in release.split(".")], kind)


def report(page: Path, out: Path) -> int:
    """``python -m conformance report`` over every column in ``out``, in matrix order."""
    columns = sorted(out.glob("py*-cherrypy-*.json"), key=_order)
    if not columns:
        sys.stderr.write(
            f"version_matrix: no py*-cherrypy-*.json in {out}: run the matrix envs first\n"
        )
        return 2
    print(f"{len(columns)} columns: {', '.join(p.stem for p in columns)}", flush=True)
    merged = [sys.executable, "-m", "conformance", "report", str(page), *map(str, columns)]
    done = subprocess.run(merged, cwd=REPO)
    if done.returncode == 0:
        print(f"matrix page: {page}")
    return done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cherrypy", metavar="RELEASE", help="e.g. 18.8.0")
    parser.add_argument(
        "--report",
        type=Path,
        metavar="MATRIX.html",
        help="instead: merge every column JSON in --out into this page (conformance report)",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for the column JSONs")
    parser.add_argument(
        "--tutorials",
        default=",".join(map(str, seed.PRINTED)),
        help="comma-separated (default: every printed one, 1-10,12; the reference adds 11)",
    )
    parser.add_argument("--reference", action=argparse.BooleanOptionalAction, default=False)
    parser.add_argument("--work", type=Path, help="default: OUT/work/<column>")
    parser.add_argument("--run-timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    tutorials = tuple(sorted({int(t) for t in args.tutorials.split(",") if t.strip()}))
    out = args.out.resolve()
    if args.report:
        return report(args.report, out)
    if not args.cherrypy:
        parser.error("--cherrypy RELEASE is required (or --report MATRIX.html)")
    out.mkdir(parents=True, exist_ok=True)
    work = (args.work or out / "work" / f"{python_tag()}-{args.cherrypy}").resolve()
    work.mkdir(parents=True, exist_ok=True)
    python, why = make_venv(work, args.cherrypy, args.reference)
    printed = tuple(t for t in tutorials if t in seed.PRINTED)
    one_column("printed", args.cherrypy, python, why, printed, work, out, args.run_timeout)
    if args.reference:
        with_11 = tuple(
            sorted(set(tutorials) | ({11} if 10 in tutorials and 12 in tutorials else set()))
        )
        one_column("reference", args.cherrypy, python, why, with_11, work, out, args.run_timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
