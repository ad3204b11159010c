"""The result of a run as a typed model, built once and then only rendered.

``Check`` is the outcome of one check on one tutorial (made by the pytest
hooks, possibly on another xdist worker, and carried as ``to_dict``).
``Result.build`` folds the checks of a run into one ``Entry`` per requirement
and tutorial, with the run's exit status already decided: nothing patches a
``Result`` afterwards.  ``Result.to_dict`` is the JSON document
(``result.schema.json``); ``Result.from_dict`` reads one back and refuses a
document of another ``spec_version`` or one that is not a result.
"""

from __future__ import annotations

import dataclasses
import platform
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from .. import __version__
from ..spec import catalogue

OUTCOMES = ("pass", "fail", "error", "skip", "known", "fixed")
#: How the outcomes of several checks of one requirement combine: the worst wins.
_SEVERITY = {"error": 3, "fail": 2, "pass": 1, "skip": 0}


class NotAResult(ValueError):
    """A document that is not a result of this kit's spec version; one line for the user."""


@dataclasses.dataclass
class Check:
    """The outcome of one check on one tutorial."""

    check: str
    ids: list[str]
    tutorial: int
    outcome: str
    message: str = ""
    duration: float = 0.0
    requests: int = 0
    reproduction: dict[str, str] | None = None
    #: What the check observed beyond pass or fail, as JSON values: a screenshot's
    #: path, a page's console errors, requests per second and latencies.
    evidence: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Check:
        return cls(**data)


def combine(checks: Sequence[Check]) -> tuple[str, str, dict[str, str] | None]:
    """Outcome, message and reproduction of a requirement from its checks."""
    if not checks:
        return "skip", "no check ran for this requirement (deselected)", None
    worst = max(checks, key=lambda c: _SEVERITY[c.outcome])
    if worst.outcome == "skip":
        return "skip", worst.message, None
    return worst.outcome, worst.message, worst.reproduction


def combined_evidence(checks: Sequence[Check]) -> dict[str, Any] | None:
    """The evidence of a requirement: the failing check's, else every check's together."""
    failed = [c for c in checks if c.outcome in ("fail", "error")]
    merged: dict[str, Any] = {}
    for check in failed[:1] or checks:
        merged.update(check.evidence or {})
    return merged or None


@dataclasses.dataclass(frozen=True)
class Entry:
    """One requirement on one tutorial."""

    id: str
    tutorial: int
    level: str
    statement: str
    outcome: str
    binding: bool
    message: str
    checks: tuple[str, ...]
    duration_s: float
    reproduction: dict[str, str] | None
    evidence: dict[str, Any] | None = None

    @property
    def failed(self) -> bool:
        return self.outcome in ("fail", "error")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"checks": list(self.checks)}


@dataclasses.dataclass(frozen=True)
class Result:
    """Everything a run found; the JSON document is ``to_dict()``."""

    spec_version: str
    kit_version: str
    target: dict[str, Any]
    tutorials: tuple[int, ...]
    level: str
    fatal: str | None
    exit_status: int
    timings: dict[str, Any]
    environment: dict[str, Any]
    summary: dict[str, int]
    #: One per tutorial: the level it conforms at, the counts, and the line a porter cites.
    verdicts: tuple[dict[str, Any], ...]
    requirements: tuple[Entry, ...]

    # -- building ----------------------------------------------------------
    @classmethod
    def build(
        cls,
        checks: Iterable[Check],
        tutorials: Iterable[int],
        target: dict[str, Any],
        level: str,
        started: float,
        finished: float,
        *,
        conclude: Callable[[int], tuple[int, str | None]],
        framework: str | None = None,
        known: Mapping[tuple[str, int], str] | None = None,
        strict_known: bool = False,
    ) -> Result:
        """The result of a run whose checks are known.

        ``conclude(binding_failures)`` decides the exit status and the fatal
        reason (``run.status.conclude`` with what the run knows), so the
        document is complete when it is made.  ``known`` lists the accepted
        failures (``run.known``): such a failure is ``known`` and does not count,
        such a requirement that passes is ``fixed`` (and counts under
        ``strict_known``).
        """
        known = known or {}
        checks = list(checks)
        selected = tuple(sorted(set(tutorials)))
        by_key: dict[tuple[str, int], list[Check]] = {}
        for check in checks:
            for rid in check.ids:
                by_key.setdefault((rid, check.tutorial), []).append(check)
        entries = []
        for req in catalogue.requirements().values():
            for tut in req.tutorials:
                if tut not in selected:
                    continue
                mine = by_key.get((req.id, tut), [])
                outcome, message, reproduction = combine(mine)
                if (req.id, tut) in known:
                    outcome, message = _listed(outcome, message, known[(req.id, tut)])
                entries.append(
                    Entry(
                        id=req.id,
                        tutorial=tut,
                        level=req.level,
                        statement=req.statement,
                        outcome=outcome,
                        binding=req.binding_at(level),
                        message=message,
                        checks=tuple(c.check for c in mine),
                        duration_s=round(sum(c.duration for c in mine), 4),
                        reproduction=reproduction,
                        evidence=combined_evidence(mine),
                    )
                )
        entries.sort(key=lambda e: (e.tutorial, catalogue.LEVELS.index(e.level), e.id))
        summary = summarise(entries, strict_known)
        exit_status, fatal = conclude(summary["binding_failures"])
        return cls(
            spec_version=catalogue.spec_version(),
            kit_version=__version__,
            target=dict(target),
            tutorials=selected,
            level=level.lower(),
            fatal=fatal,
            exit_status=exit_status,
            timings={
                "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
                "duration_s": round(max(0.0, finished - started), 3),
                "checks": len(checks),
                "requests": sum(c.requests for c in checks),
            },
            environment={
                "python": platform.python_version(),
                "implementation": sys.implementation.name,
                "platform": platform.platform(),
                "framework": framework,
            },
            summary=summary,
            verdicts=tuple(verdict(entries, t, strict_known) for t in selected),
            requirements=tuple(entries),
        )

    # -- reading -----------------------------------------------------------
    @property
    def failures(self) -> list[Entry]:
        return [e for e in self.requirements if e.failed]

    def entry(self, tutorial: int, rid: str) -> Entry | None:
        return next((e for e in self.requirements if (e.tutorial, e.id) == (tutorial, rid)), None)

    # -- the JSON document -------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["tutorials"] = list(self.tutorials)
        data["verdicts"] = list(self.verdicts)
        data["requirements"] = [e.to_dict() for e in self.requirements]
        return data

    @classmethod
    def from_dict(cls, data: Any, source: str = "the document") -> Result:
        """A result read back from its JSON document; NotAResult says what is wrong."""
        if not isinstance(data, dict) or not isinstance(data.get("requirements"), list):
            raise NotAResult(f"{source} is not a conformance result (no 'requirements')")
        version = data.get("spec_version")
        if version != catalogue.spec_version():
            raise NotAResult(
                f"{source} is a result of spec version {version!r}; this kit reads spec "
                f"version {catalogue.spec_version()!r} (re-run the check with this kit)"
            )
        try:
            entries = tuple(
                Entry(**{**e, "checks": tuple(e["checks"])}) for e in data["requirements"]
            )
            fields = {f.name for f in dataclasses.fields(cls)}
            fields -= {"requirements", "tutorials", "verdicts"}
            return cls(
                **{name: data[name] for name in fields},
                tutorials=tuple(data["tutorials"]),
                # Derived from the entries where an older kit did not write them.
                verdicts=tuple(
                    data.get("verdicts") or (verdict(entries, t) for t in data["tutorials"])
                ),
                requirements=entries,
            )
        except (KeyError, TypeError) as error:
            raise NotAResult(f"{source} is not a complete conformance result ({error})") from None


def _listed(outcome: str, message: str, reason: str) -> tuple[str, str]:
    """The outcome of a requirement listed as a known failure."""
    why = f" ({reason})" if reason else ""
    if outcome in ("fail", "error"):
        return "known", f"known failure{why}: {message}"
    if outcome == "pass":
        return "fixed", f"listed as a known failure{why}, but passes: take it off the list"
    return outcome, message


def counts_against(entry: Entry, strict_known: bool = False) -> bool:
    """Whether ``entry`` fails the run it belongs to."""
    return entry.binding and (entry.failed or (strict_known and entry.outcome == "fixed"))


def summarise(entries: Sequence[Entry], strict_known: bool = False) -> dict[str, int]:
    summary = {o: sum(1 for e in entries if e.outcome == o) for o in OUTCOMES}
    summary["binding_failures"] = sum(1 for e in entries if counts_against(e, strict_known))
    return summary


def verdict(entries: Sequence[Entry], tutorial: int, strict_known: bool = False) -> dict[str, Any]:
    """What a porter cites for ``tutorial``: the level it conforms at, and the counts.

    It conforms at SHOULD when every MUST and SHOULD requirement passes (a
    known failure is not a pass, but is named), at MUST when every MUST does,
    and not at all otherwise.
    """
    mine = [e for e in entries if e.tutorial == tutorial]
    counts: dict[str, dict[str, int]] = {}
    for level in catalogue.LEVELS:
        at = [e for e in mine if e.level == level]
        counts[level] = {
            "passed": sum(1 for e in at if e.outcome in ("pass", "fixed")),
            "total": len(at),
            "known": sum(1 for e in at if e.outcome == "known"),
            "failed": sum(1 for e in at if e.failed),
            "skipped": sum(1 for e in at if e.outcome == "skip"),
        }
    must, should, info = (counts[level] for level in catalogue.LEVELS)
    conforms: str | None = None
    if must["failed"] or must["known"]:
        known_note = f" ({must['known']} known)" if must["known"] else ""
        head = f"does not conform: MUST failures: {must['failed'] + must['known']}{known_note}"
    elif must["skipped"]:
        head = f"not fully checked: {must['skipped']} MUST requirement(s) not run"
    elif should["failed"] or should["known"] or should["skipped"]:
        conforms, head = "MUST", "conforms at MUST"
    else:
        conforms, head = "SHOULD", "conforms at SHOULD"

    def part(level: str, c: dict[str, int]) -> str:
        extra = f" ({c['known']} known)" if c["known"] else ""
        return f"{c['passed']}/{c['total']} {level}{extra}"

    line = (
        f"tutorial {tutorial}: {head} — {part('MUST', must)}, {part('SHOULD', should)}, "
        f"INFO {info['passed']}/{info['total']} (spec {catalogue.spec_version()}, kit {__version__})"
    )
    return {"tutorial": tutorial, "conforms_at": conforms, "counts": counts, "line": line}
