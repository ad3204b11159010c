"""The terminal rendering of a result: one line per requirement, then the failures."""

from __future__ import annotations

import json
from typing import Any

from .model import Result


def _short(value: Any, limit: int = 200) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table(result: Result) -> list[str]:
    """The lines the terminal shows for ``result``."""
    lines = []
    width = max((len(e.id) for e in result.requirements), default=10)
    for e in result.requirements:
        outcome = e.outcome.upper() if e.failed else e.outcome
        note = "" if e.binding or e.outcome == "pass" else " (not binding)"
        message = e.message if e.outcome != "pass" else ""
        lines.append(
            f"t{e.tutorial:02d}  {e.level:<6}  {outcome:<5}  {e.id:<{width}}  "
            f"{message}{note}".rstrip()
        )
    s, t = result.summary, result.timings
    lines.append(
        f"{len(result.requirements)} requirements: {s['pass']} pass, {s['fail']} fail, "
        f"{s['error']} error, {s['skip']} skip"
        + "".join(f", {s[o]} {o}" for o in ("known", "fixed") if s.get(o))
        + f"; {s['binding_failures']} binding failure(s) "
        f"at level {result.level}; {t['checks']} checks sent "
        f"{t['requests']} requests in {t['duration_s']:.1f} s"
    )
    for e in (e for e in result.requirements if e.outcome in ("fixed", "known")):
        lines.append(f"{e.outcome.upper()} {e.id} (tutorial {e.tutorial}, {e.level}): {e.message}")
    for e in result.failures:
        lines.append("")
        lines.append(f"{e.outcome.upper()} {e.id} (tutorial {e.tutorial}, {e.level}): {e.message}")
        lines.append(f"  requirement: {e.statement}")
        repro = e.reproduction or {}
        if repro.get("curl"):
            lines.append("  reproduce:")
            lines.extend("    " + line for line in repro["curl"].splitlines())
        if repro.get("rerun"):
            lines.append(f"  re-run: {repro['rerun']}")
        for key, value in (e.evidence or {}).items():
            lines.append(f"  {key}: {_short(value)}")
    lines.extend(differences(result))
    if result.fatal is None:
        lines.append("")
        lines.extend(v["line"] for v in result.verdicts)
    return lines


def differences(result: Result) -> list[str]:
    """A line per requirement whose generated inputs the target answered otherwise than
    the embedded reference (``--differential``; INFO: the outcome stays as it is)."""
    lines = []
    for e in result.requirements:
        found = (e.evidence or {}).get("differences")
        if not found or not found.get("first"):
            continue
        first = found["first"][0]
        target, reference = first["target"], first["reference"]
        lines.append(
            f"DIFFERS {e.id} (tutorial {e.tutorial}, {e.outcome}): {found['count']} generated "
            f"input(s) answered otherwise than by the reference, e.g. "
            f"{_short(first['request'], 120)} -> target {target['status']} "
            f"{target['media_type'] or '(no type)'}, reference {reference['status']} "
            f"{reference['media_type'] or '(no type)'} ({', '.join(first['differs'])} differ)"
        )
    return ["", *lines] if lines else []
