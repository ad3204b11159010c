"""The HTML rendering of results: one self-contained page.

``render([result])`` is the report of one run; ``render(results)`` with several
results is the comparison matrix (``python -m conformance report``): one
column per result file, one row per requirement and tutorial, the details of
each failure below.  No script, font or stylesheet is loaded from anywhere.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .model import Entry, Result

_STYLE = """
body { font: 13px/1.35 system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d4d4d4; padding: 2px 5px; text-align: left; vertical-align: top; }
thead th { background: #f4f4f4; position: sticky; top: 0; }
th.impl { writing-mode: vertical-rl; transform: rotate(180deg); max-height: 12em;
  white-space: nowrap; font-weight: 600; padding: 4px 2px; }
tr.group th { background: #e8eef7; text-align: left; font-weight: 600; }
td.cell { text-align: center; min-width: 1.6em; padding: 1px 2px; }
td.cell details > summary { list-style: none; cursor: pointer; }
td.cell details > summary::-webkit-details-marker { display: none; }
td.cell details[open] { text-align: left; min-width: 24em; }
.pass { background: #dff3df; } .fail { background: #f8c9c9; font-weight: bold; }
.error { background: #f9e3b5; font-weight: bold; } .known { background: #fdf0c4; }
.fixed { background: #cfe3fb; } .skip, .none { color: #888; }
.nonbinding { opacity: .55; font-weight: normal; }
td.req { white-space: nowrap; } td.req details[open] { white-space: normal; max-width: 40em; }
.verdict-SHOULD { color: #1b5e20; } .verdict-MUST { color: #8d6e00; } .verdict-none { color: #b71c1c; }
pre { background: #f7f7f7; padding: .5em; overflow-x: auto; white-space: pre-wrap; }
.legend span { display: inline-block; padding: 0 .4em; margin-right: .3em; border: 1px solid #ccc; }
"""
#: A symbol for every outcome, so that a cell reads without its colour.
SYMBOLS = {"pass": "✓", "fail": "✗", "error": "!", "skip": "○", "known": "≈", "fixed": "★"}


def evidence(observed: dict[str, Any] | None) -> str:
    """What a check observed: screenshots embedded (the page stays self-contained), the rest as JSON."""
    parts = []
    for key, value in (observed or {}).items():
        name = html.escape(key)
        path = Path(value) if isinstance(value, str) and value.endswith(".png") else None
        if path is not None and path.is_file():
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            parts.append(
                f'<figure><img alt="{name}" style="max-width:100%" '
                f'src="data:image/png;base64,{data}"><figcaption>{name}: '
                f"{html.escape(value)}</figcaption></figure>"
            )
            continue
        text = value if isinstance(value, str) else json.dumps(value, indent=1, ensure_ascii=False)
        parts.append(f"<details><summary>{name}</summary><pre>{html.escape(text)}</pre></details>")
    return "".join(parts)


def label(result: Result) -> str:
    """A short name for the implementation a result describes."""
    target = result.target
    name = target.get("name") or target.get("command") or target.get("url") or target["kind"]
    return str(name)


def area(rid: str) -> str:
    """The area of a requirement: its id up to the first dash (``rest``, ``static``)."""
    return rid.split("-", 1)[0]


def _cell(entry: Entry | None) -> str:
    esc = html.escape
    if entry is None:
        return '<td class="cell none" title="not applicable">·</td>'
    classes = f"cell {entry.outcome}" + ("" if entry.binding else " nonbinding")
    symbol = SYMBOLS[entry.outcome]
    if entry.outcome == "pass" and not entry.evidence:
        return f'<td class="{classes}" title="pass">{symbol}</td>'
    repro = entry.reproduction or {}
    body = f"<p>{esc(entry.message)}</p>" if entry.message else ""
    if repro.get("curl"):
        body += f"<pre>{esc(repro['curl'])}</pre>"
    if repro.get("rerun"):
        body += f"<p>Re-run: <code>{esc(repro['rerun'])}</code></p>"
    if repro.get("python"):
        body += f"<details><summary>requests script</summary><pre>{esc(repro['python'])}</pre></details>"
    body += evidence(entry.evidence)
    return (
        f'<td class="{classes}" title="{esc(entry.outcome)}: {esc(entry.message[:200])}">'
        f"<details><summary>{symbol}</summary>{body}</details></td>"
    )


def _verdicts(results: Sequence[Result]) -> str:
    esc = html.escape
    tutorials = sorted({t for r in results for t in r.tutorials})
    head = "".join(f"<th>t{t}</th>" for t in tutorials)
    rows = []
    for r in results:
        by_tutorial = {v["tutorial"]: v for v in r.verdicts}
        cells = []
        for t in tutorials:
            v = by_tutorial.get(t)
            if v is None:
                cells.append('<td class="none">·</td>')
                continue
            level = v["conforms_at"] or "none"
            # A run that ended before its checks (fatal) judged nothing: not a MUST failure.
            short = v["conforms_at"] or ("not run" if r.fatal else "✗ MUST")
            cells.append(f'<td class="verdict-{level}" title="{esc(v["line"])}">{esc(short)}</td>')
        s = r.summary
        totals = " ".join(f"{SYMBOLS[o]}{s[o]}" for o in SYMBOLS if s.get(o))
        fatal = f' <strong class="fail">{esc(r.fatal)}</strong>' if r.fatal else ""
        judged = "not judged" if r.fatal else f"{s['binding_failures']} binding failure(s)"
        rows.append(
            f"<tr><th>{esc(label(r))}</th>{''.join(cells)}<td>{totals}"
            f" · {judged} at {esc(r.level)}{fatal}</td></tr>"
        )
    return (
        "<table><thead><tr><th>implementation</th>"
        f"{head}<th>totals</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def render(results: Sequence[Result], title: str = "Tutorial conformance") -> str:
    """The HTML page for one or more results: verdicts on top, then the matrix."""
    esc = html.escape
    rows: dict[tuple[int, str], Entry] = {}
    for result in results:
        for entry in result.requirements:
            rows.setdefault((entry.tutorial, entry.id), entry)
    indexes = [{(e.tutorial, e.id): e for e in r.requirements} for r in results]
    head = "".join(f'<th class="impl">{esc(label(r))}</th>' for r in results)
    body = []
    group = None
    for key in sorted(rows, key=lambda k: (k[0], area(k[1]), k[1])):
        entry = rows[key]
        if (key[0], area(key[1])) != group:
            group = (key[0], area(key[1]))
            body.append(
                f'<tr class="group"><th colspan="{len(results) + 2}">tutorial {key[0]} · '
                f"{esc(group[1])}</th></tr>"
            )
        cells = "".join(_cell(index.get(key)) for index in indexes)
        body.append(
            f'<tr><td class="req"><details><summary><code>{esc(key[1])}</code></summary>'
            f"{esc(entry.statement)}</details></td><td>{esc(entry.level)}</td>{cells}</tr>"
        )
    legend = "".join(f'<span class="{o}">{SYMBOLS[o]} {o}</span>' for o in SYMBOLS)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{esc(title)}</h1>{_verdicts(results)}"
        f'<p class="legend">{legend} (faded: below the run\'s level; open a cell for its '
        "message, reproduction and evidence)</p>"
        "<table><thead><tr><th>requirement</th><th>level</th>"
        f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table></body></html>\n"
    )
