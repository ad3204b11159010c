"""Benchmark of the main job against the bare request floor.

    python bench/bench.py [--repeat 3] [--json bench.json] [--browser]
    python bench/bench.py --tutorial 7 --target-cmd "python app.py {port}" [--repeat 3]

Not part of the test command's pass or fail: it measures, it does not judge.

Embedded (the default): each repetition runs the main job as a user does
(``python -m conformance run --json ... -- -m "not browser"``, and with
``--browser`` once more with the browser checks), from a scratch folder, and
records every request the checks send (a recording plugin loaded with ``-p``;
it changes nothing the checks do).  Then the floor: the same requests — the
same methods, paths, headers and bodies, in the same order, per tutorial —
sent with a bare keep-alive ``http.client`` loop to the reference served by
``python -m reference_app serve N`` in another process.  It prints and writes:

- wall time of the main job, its request count and milliseconds per request;
- the floor's milliseconds per request and the ratio of the two (the load
  checks' requests, sent by 20 clients at once, count on both sides and are
  replayed one after the other like the rest), and the same ratio without the
  load checks on either side (``ratio_without_load``);
- the time from invocation to the first verdict (pytest's first progress mark);
- peak memory (maximum resident set of the kit's process);
- where the time goes: per tutorial and the slowest requirements;

as the median and spread (min, max) over the repetitions.

With ``--target-cmd`` (a porter's run), it times one tutorial against that
command from invocation to the first verdict and to the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import select
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed_run(args: list[str], cwd: Path, env: dict[str, str]) -> dict:
    """Run the CLI; wall time, time to the first verdict, peak memory of the kit."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "conformance", "run", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    first = None
    assert process.stdout is not None
    while True:
        ready, _, _ = select.select([process.stdout], [], [], 1.0)
        if not ready:
            if process.poll() is not None:
                break
            continue
        chunk = os.read(process.stdout.fileno(), 65536)
        if not chunk:
            break
        if first is None and any(c in chunk for c in b".FsEx"):
            first = time.monotonic() - started
    status = process.wait()
    wall = time.monotonic() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"status": status, "wall_s": wall, "first_verdict_s": first, "peak_rss_kib": peak_kib}


def floor(log: Path) -> dict:
    """The recorded requests replayed by a bare keep-alive loop, per tutorial."""
    by_tutorial: dict[int, list[dict]] = defaultdict(list)
    for line in log.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        by_tutorial[entry["tutorial"]].append(entry)
    total, seconds, load = 0, 0.0, {"requests": 0, "wall_s": 0.0}
    for number, exchanges in sorted(by_tutorial.items()):
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "reference_app", "serve", str(number), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            _wait_for(port)
            elapsed, of_load = _replay(port, exchanges)
            seconds += elapsed
            total += len(exchanges)
            load["wall_s"] += of_load
            load["requests"] += sum(1 for ex in exchanges if ex.get("load"))
        finally:
            server.terminate()
            server.wait(timeout=10)
    return {
        "requests": total,
        "wall_s": seconds,
        "ms_per_request": 1000 * seconds / max(total, 1),
        "load": load,
    }


def _wait_for(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit(f"bench: the reference did not listen on port {port} within {timeout:g} s")


def _replay(port: int, exchanges: list[dict]) -> tuple[float, float]:
    """Seconds to send ``exchanges`` one after the other, and of them the load checks'."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    started = time.perf_counter()
    of_load = 0.0
    for ex in exchanges:
        began = time.perf_counter()
        parts = urllib.parse.urlsplit(ex["url"])
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        body = ex["body"].encode("latin-1") if ex["body"] is not None else None
        for attempt in (1, 2):
            try:
                connection.request(ex["method"], target or "/", body=body, headers=ex["headers"])
                connection.getresponse().read()
                break
            except (OSError, http.client.HTTPException):
                connection.close()  # the server closed the connection: one new one
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                if attempt == 2:
                    raise
        if ex.get("load"):
            of_load += time.perf_counter() - began
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, of_load


def breakdown(result: dict) -> dict:
    per_tutorial: dict[int, float] = defaultdict(float)
    per_requirement: dict[str, float] = defaultdict(float)
    for entry in result["requirements"]:
        per_tutorial[entry["tutorial"]] += entry["duration_s"]
        per_requirement[entry["id"]] += entry["duration_s"]
    slowest = sorted(per_requirement.items(), key=lambda kv: -kv[1])[:10]
    return {
        "per_tutorial_s": {str(k): round(v, 2) for k, v in sorted(per_tutorial.items())},
        "slowest_requirements_s": {k: round(v, 2) for k, v in slowest},
    }


def _load_ids() -> set[str]:
    """The requirements the load checks verify (their checks live in ``test_load.py``)."""
    from conformance.spec import catalogue

    return {
        r.id
        for r in catalogue.requirements().values()
        if all("/test_load.py::" in check for check in r.checks)
    }


def without_load(run: dict, floor_figures: dict, result: dict) -> float:
    """The ratio to the floor of the checks that are not load checks: the load checks
    run for a fixed time (``--load-time``) with many clients at once, which a serial
    floor cannot mirror, so this ratio leaves their time and requests out on both sides."""
    load_ids = _load_ids()
    load_s = sum(e["duration_s"] for e in result["requirements"] if e["id"] in load_ids)
    load_requests = floor_figures["load"]["requests"]
    kit_ms = 1000 * (run["wall_s"] - load_s) / max(run["requests"] - load_requests, 1)
    rest = floor_figures["requests"] - load_requests
    floor_ms = 1000 * (floor_figures["wall_s"] - floor_figures["load"]["wall_s"]) / max(rest, 1)
    return kit_ms / floor_ms


def spread(values: list[float]) -> dict:
    values = [v for v in values if v is not None]
    if not values:
        return {"median": None, "min": None, "max": None}
    return {
        "median": round(statistics.median(values), 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
    }


def _outcomes(result: dict) -> dict[str, str]:
    return {f"{e['id']}@t{e['tutorial']}": e["outcome"] for e in result["requirements"]}


def embedded(repeat: int, browser: bool, parallel: int) -> dict:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
    runs: dict[str, list[dict]] = {"without_browser": [], "with_browser": [], "parallel": []}
    floors = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="conformance-bench-") as scratch:
            cwd = Path(scratch)
            log = cwd / "requests.jsonl"
            env["CONFORMANCE_BENCH_LOG"] = str(log)
            run = timed_run(
                ["--json", "r.json", "--", "-p", "recording", "-m", "not browser"], cwd, env
            )
            result = json.loads((cwd / "r.json").read_text(encoding="utf-8"))
            run["requests"] = result["timings"]["requests"]
            run["ms_per_request"] = 1000 * run["wall_s"] / max(run["requests"], 1)
            run["breakdown"] = breakdown(result)
            run["outcomes"] = result["summary"]
            runs["without_browser"].append(run)
            floors.append(floor(log))
            run["ratio_without_load"] = without_load(run, floors[-1], result)
            if parallel:
                env.pop("CONFORMANCE_BENCH_LOG")
                args = ["--json", "p.json", "--", "-n", str(parallel), "-m", "not browser"]
                run_p = timed_run(args, cwd, env)
                parallel_result = json.loads((cwd / "p.json").read_text(encoding="utf-8"))
                serial_o, parallel_o = _outcomes(result), _outcomes(parallel_result)
                run_p["same_outcomes_as_serial"] = parallel_o == serial_o
                # Which entries differ, so that a False explains itself.
                run_p["differs_from_serial"] = {
                    key: [serial_o.get(key), parallel_o.get(key)]
                    for key in sorted(serial_o.keys() | parallel_o.keys())
                    if serial_o.get(key) != parallel_o.get(key)
                }
                runs["parallel"].append(run_p)
            if browser:
                env.pop("CONFORMANCE_BENCH_LOG", None)
                env.pop("CONFORMANCE_BENCH_LOG")
                run = timed_run(["--json", "b.json"], cwd, env)
                result = json.loads((cwd / "b.json").read_text(encoding="utf-8"))
                run["requests"] = result["timings"]["requests"]
                run["breakdown"] = breakdown(result)
                runs["with_browser"].append(run)
    ratios = [
        r["ms_per_request"] / f["ms_per_request"] for r, f in zip(runs["without_browser"], floors)
    ]
    summary = {
        "main_job_wall_s": spread([r["wall_s"] for r in runs["without_browser"]]),
        "main_job_ms_per_request": spread([r["ms_per_request"] for r in runs["without_browser"]]),
        "floor_ms_per_request": spread([f["ms_per_request"] for f in floors]),
        "ratio_to_floor": spread(ratios),
        "ratio_without_load": spread([r["ratio_without_load"] for r in runs["without_browser"]]),
        "first_verdict_s": spread([r["first_verdict_s"] for r in runs["without_browser"]]),
        "peak_rss_mib": spread([r["peak_rss_kib"] / 1024 for r in runs["without_browser"]]),
        "requests": runs["without_browser"][0]["requests"],
    }
    if parallel:
        summary[f"n{parallel}_wall_s"] = spread([r["wall_s"] for r in runs["parallel"]])
        summary[f"n{parallel}_same_outcomes"] = all(
            r["same_outcomes_as_serial"] for r in runs["parallel"]
        )
    if browser:
        summary["with_browser_wall_s"] = spread([r["wall_s"] for r in runs["with_browser"]])
    return {
        "kind": "embedded",
        "repeat": repeat,
        "summary": summary,
        "runs": runs,
        "floors": floors,
    }


def porter(repeat: int, tutorial: int, command: str) -> dict:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="conformance-bench-") as scratch:
            args = ["--tutorial", str(tutorial), "--target-cmd", command, "--json", "r.json"]
            run = timed_run(args, Path(os.getcwd()), env | {"TMPDIR": scratch})
            runs.append(run)
    summary = {
        "wall_s": spread([r["wall_s"] for r in runs]),
        "first_verdict_s": spread([r["first_verdict_s"] for r in runs]),
    }
    return {
        "kind": "porter",
        "command": command,
        "tutorial": tutorial,
        "summary": summary,
        "runs": runs,
    }


def table(report: dict) -> list[str]:
    lines = [
        f"{report['kind']} benchmark, {len(next(iter(report['runs'].values())) if isinstance(report['runs'], dict) else report['runs'])} repetition(s): median [min, max]"
    ]
    for key, value in report["summary"].items():
        if isinstance(value, dict):
            lines.append(f"  {key:<28} {value['median']} [{value['min']}, {value['max']}]")
        else:
            lines.append(f"  {key:<28} {value}")
    if report["kind"] == "embedded":
        first = report["runs"]["without_browser"][0]["breakdown"]
        lines.append(
            "  per tutorial (s, first run): "
            + ", ".join(f"t{k} {v}" for k, v in first["per_tutorial_s"].items())
        )
        lines.append(
            "  slowest requirements (s): "
            + ", ".join(f"{k} {v}" for k, v in first["slowest_requirements_s"].items())
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/bench.py", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--repeat", type=int, default=3, help="repetitions (default 3)")
    parser.add_argument(
        "--json", default="bench.json", help="write the figures here (default bench.json)"
    )
    parser.add_argument(
        "--browser", action="store_true", help="also time the run with browser checks"
    )
    parser.add_argument(
        "--parallel",
        type=int,
        default=0,
        metavar="N",
        help="also time the run with -- -n N and compare its outcomes with the serial run's",
    )
    parser.add_argument(
        "--tutorial", type=int, help="with --target-cmd: the tutorial it implements"
    )
    parser.add_argument("--target-cmd", help="time a porter's run of this command instead")
    options = parser.parse_args(argv)
    if options.target_cmd and not options.tutorial:
        parser.error("--target-cmd needs --tutorial N")
    if options.target_cmd:
        report = porter(options.repeat, options.tutorial, options.target_cmd)
    else:
        report = embedded(options.repeat, options.browser, options.parallel)
    Path(options.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print("\n".join(table(report)))
    print(f"wrote {options.json}; re-run: python bench/bench.py {shlex.join(argv or sys.argv[1:])}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
