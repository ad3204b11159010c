"""The load scenario as a Locust file: ``python -m conformance load`` runs it.

Loaded only by Locust, in Locust's own processes (``import locust`` patches the
whole process with gevent): the kit and its pytest plugin never import it.
Each Locust user is one client of ``scenario`` (its own session), going round
the string store of its tutorial, and tutorial 11's library, with the same
oracles as the kit's load checks.

Settings come from the environment: ``CONFORMANCE_TUTORIAL``,
``CONFORMANCE_REQUEST_TIMEOUT`` and, on the master (or the only process),
``CONFORMANCE_VERDICT``: the file the verdict is written to when Locust quits
(``events.quit``: after the workers' last reports, which ``test_stop`` would
miss).  Workers send their tallies to the master with
``events.report_to_master``; the master adds them up in
``events.worker_report``.
"""

from __future__ import annotations

import itertools
import json
import math
import os

from locust import HttpUser, constant, events, task
from locust.runners import MasterRunner, WorkerRunner

from conformance.load.scenario import Agent, LoadRun
from conformance.spec import tutorials

KINDS = ("five_xx", "refused", "wrong_client", "lost_update", "database_locked")
TUTORIAL = tutorials.get(int(os.environ.get("CONFORMANCE_TUTORIAL", "9")))
TIMEOUT = float(os.environ.get("CONFORMANCE_REQUEST_TIMEOUT", "10"))


class _LocustRun(LoadRun):
    def extra(self, operation: str) -> dict:
        return {"name": operation}


#: This process's tallies (every user of the process shares them).
_run = _LocustRun("", TUTORIAL, math.inf, TIMEOUT)
_users = itertools.count()
#: The master's sums of what the workers reported.
_totals: dict = {"violations": dict.fromkeys(KINDS, 0), "first": {}, "resets": 0}
#: The workers that reported to the master.
_workers: set[str] = set()
_reported = {"suspects": 0, "violations": 0}


class StoreUser(HttpUser):
    """One client: its own session, round after round of the tutorial's store."""

    wait_time = constant(0)

    def on_start(self) -> None:
        _run.base_url = self.host.rstrip("/")
        self.client.trust_env = False
        base = int(os.environ.get("CONFORMANCE_WORKER", "0")) * 100_000
        self.agent = Agent(_run, base + next(_users), session=self.client)

    @task
    def round(self) -> None:
        self.agent.store_round()
        if TUTORIAL.library:
            self.agent.library_round()


def _tally() -> dict:
    """This process's violations and resets since the last report (judged now)."""
    with _run.lock:
        suspects = _run.suspects[_reported["suspects"] :]
        _reported["suspects"] = len(_run.suspects)
    judge = LoadRun("", TUTORIAL, 0, TIMEOUT)
    judge.suspects, judge.owners = suspects, dict(_run.owners)
    judge.judge()
    with _run.lock:
        fresh = _run.violations[_reported["violations"] :]
        _reported["violations"] = len(_run.violations)
    found = fresh + judge.violations
    counts = dict.fromkeys(KINDS, 0)
    first: dict[str, str] = {}
    for v in found:
        counts[v.kind] = counts.get(v.kind, 0) + 1
        first.setdefault(v.kind, f"client {v.client + 1}, {v.what}")
    resets, _run.counts["resets"] = _run.counts["resets"], 0
    return {"violations": counts, "first": first, "resets": resets}


def _add(data: dict) -> None:
    for kind, n in data.get("violations", {}).items():
        _totals["violations"][kind] = _totals["violations"].get(kind, 0) + n
    for kind, what in data.get("first", {}).items():
        _totals["first"].setdefault(kind, what)
    _totals["resets"] += data.get("resets", 0)


@events.report_to_master.add_listener
def _report(client_id, data, **kwargs) -> None:
    data["conformance"] = _tally()


@events.worker_report.add_listener
def _worker_report(client_id, data, **kwargs) -> None:
    _workers.add(client_id)
    if "conformance" in data:
        _add(data["conformance"])


@events.quit.add_listener
def _write_verdict(exit_code, **kwargs) -> None:
    path = os.environ.get("CONFORMANCE_VERDICT")
    runner = getattr(_environment, "runner", None)
    if not path or isinstance(runner, WorkerRunner):
        return
    if not isinstance(runner, MasterRunner):
        _add(_tally())  # a local run: no worker reports
    stats = _environment.stats
    operations = {}
    for (name, method), entry in sorted(stats.entries.items()):
        operations[f"{method} {name}"] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
        }
    total = stats.total
    verdict = {
        "tutorial": TUTORIAL.number,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "requests_per_second": round(total.total_rps, 1),
        "p50_ms": total.get_response_time_percentile(0.5),
        "p95_ms": total.get_response_time_percentile(0.95),
        "p99_ms": total.get_response_time_percentile(0.99),
        "operations": operations,
        "resets": _totals["resets"],
        "violations": _totals["violations"],
        "first_violation": _totals["first"],
        "workers": len(_workers),
        "locust_exit_code": exit_code,
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(verdict, f, indent=2)


_environment = None


@events.init.add_listener
def _init(environment, **kwargs) -> None:
    global _environment
    _environment = environment
