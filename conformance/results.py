"""Results: what the checks found, one entry per requirement and tutorial.

``CheckRecord``s come from the pytest hooks (one per check run, possibly on
another xdist worker); ``build`` folds them into the result document that the
terminal table, the JSON file and the HTML page all render.  The document's
shape is ``result.schema.json``.
"""

from __future__ import annotations

import dataclasses
import platform
import sys
import time
from collections.abc import Iterable

from . import __version__, catalogue

OUTCOMES = ("pass", "fail", "error", "skip")
#: How the outcomes of several checks of one requirement combine: the worst wins.
_SEVERITY = {"error": 3, "fail": 2, "pass": 1, "skip": 0}


@dataclasses.dataclass
class CheckRecord:
    """The outcome of one check on one tutorial."""

    check: str
    ids: list[str]
    tutorial: int
    outcome: str
    message: str = ""
    duration: float = 0.0
    requests: int = 0
    reproduction: dict | None = None

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def combine(records: Iterable[CheckRecord]) -> tuple[str, str, dict | None]:
    """Outcome, message and reproduction of a requirement from its checks' records."""
    records = list(records)
    if not records:
        return "skip", "no check ran for this requirement (deselected)", None
    worst = max(records, key=lambda r: _SEVERITY[r.outcome])
    if worst.outcome == "skip" and all(r.outcome == "skip" for r in records):
        return "skip", worst.message, None
    return worst.outcome, worst.message, worst.reproduction


def build(
    records: Iterable[CheckRecord],
    tutorials: Iterable[int],
    target: dict,
    level: str,
    started: float,
    finished: float,
    fatal: str | None = None,
    framework: str | None = None,
) -> dict:
    """The result document of a run (see result.schema.json)."""
    records = list(records)
    tutorials = sorted(set(tutorials))
    by_key: dict[tuple[str, int], list[CheckRecord]] = {}
    for record in records:
        for rid in record.ids:
            by_key.setdefault((rid, record.tutorial), []).append(record)
    entries = []
    for req in catalogue.requirements().values():
        for tut in req.tutorials:
            if tut not in tutorials:
                continue
            mine = by_key.get((req.id, tut), [])
            outcome, message, reproduction = combine(mine)
            entries.append(
                {
                    "id": req.id,
                    "tutorial": tut,
                    "level": req.level,
                    "statement": req.statement,
                    "outcome": outcome,
                    "binding": req.binding_at(level),
                    "message": message,
                    "checks": [r.check for r in mine],
                    "duration_s": round(sum(r.duration for r in mine), 4),
                    "reproduction": reproduction,
                }
            )
    entries.sort(key=lambda e: (e["tutorial"], catalogue.LEVELS.index(e["level"]), e["id"]))
    summary = {o: sum(1 for e in entries if e["outcome"] == o) for o in OUTCOMES}
    summary["binding_failures"] = sum(
        1 for e in entries if e["binding"] and e["outcome"] in ("fail", "error")
    )
    return {
        "spec_version": catalogue.spec_version(),
        "kit_version": __version__,
        "target": target,
        "tutorials": tutorials,
        "level": level.lower(),
        "fatal": fatal,
        "timings": {
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
            "duration_s": round(finished - started, 3),
            "checks": len(records),
            "requests": sum(r.requests for r in records),
        },
        "environment": {
            "python": platform.python_version(),
            "implementation": sys.implementation.name,
            "platform": platform.platform(),
            "framework": framework,
        },
        "summary": summary,
        "requirements": entries,
    }


def passed(document: dict) -> bool:
    """Whether the run passes at its level: no binding failure and no fatal error."""
    return document["fatal"] is None and document["summary"]["binding_failures"] == 0


def table(document: dict) -> list[str]:
    """The terminal table: one line per requirement and tutorial, then the failures."""
    lines = []
    width = max((len(e["id"]) for e in document["requirements"]), default=10)
    for e in document["requirements"]:
        outcome = e["outcome"].upper() if e["outcome"] in ("fail", "error") else e["outcome"]
        note = "" if e["binding"] or e["outcome"] == "pass" else " (not binding)"
        message = e["message"] if e["outcome"] != "pass" else ""
        lines.append(
            f"t{e['tutorial']:02d}  {e['level']:<6}  {outcome:<5}  {e['id']:<{width}}  "
            f"{message}{note}".rstrip()
        )
    s = document["summary"]
    lines.append(
        f"{len(document['requirements'])} requirements: {s['pass']} pass, {s['fail']} fail, "
        f"{s['error']} error, {s['skip']} skip; {s['binding_failures']} binding failure(s) "
        f"at level {document['level']}; {document['timings']['checks']} checks sent "
        f"{document['timings']['requests']} requests in {document['timings']['duration_s']:.1f} s"
    )
    failed = [e for e in document["requirements"] if e["outcome"] in ("fail", "error")]
    for e in failed:
        lines.append("")
        lines.append(
            f"{e['outcome'].upper()} {e['id']} (tutorial {e['tutorial']}, {e['level']}): {e['message']}"
        )
        lines.append(f"  requirement: {e['statement']}")
        repro = e["reproduction"] or {}
        if repro.get("curl"):
            lines.append("  reproduce:")
            lines.extend("    " + line for line in repro["curl"].splitlines())
        if repro.get("rerun"):
            lines.append(f"  re-run: {repro['rerun']}")
    return lines
