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
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.pass { background: #dff3df; } td.fail { background: #f8d4d4; font-weight: bold; }
td.error { background: #f9e3b5; font-weight: bold; } td.skip, td.none { color: #888; }
td.nonbinding { opacity: .6; font-weight: normal; }
pre { background: #f7f7f7; padding: .5em; overflow-x: auto; white-space: pre-wrap; }
"""


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


def render(results: Sequence[Result], title: str = "Tutorial conformance") -> str:
    """The HTML page for one or more results."""
    esc = html.escape
    rows: dict[tuple[int, str], Entry] = {}
    for result in results:
        for entry in result.requirements:
            rows.setdefault((entry.tutorial, entry.id), entry)
    head = "".join(f"<th>{esc(label(r))}</th>" for r in results)
    body = []
    for key in sorted(rows):
        entry = rows[key]
        cells = []
        for result in results:
            found = result.entry(*key)
            if found is None:
                cells.append('<td class="none">—</td>')
                continue
            classes = found.outcome + ("" if found.binding else " nonbinding")
            tip = esc(found.message or "")
            cells.append(f'<td class="{classes}" title="{tip}">{esc(found.outcome)}</td>')
        body.append(
            f"<tr><td>{key[0]}</td><td>{esc(entry.level)}</td>"
            f"<td><code>{esc(key[1])}</code></td><td>{esc(entry.statement)}</td>"
            + "".join(cells)
            + "</tr>"
        )
    details = []
    for result in results:
        for e in result.failures:
            repro = e.reproduction or {}
            details.append(
                f"<h3>{esc(label(result))}: <code>{esc(e.id)}</code> (tutorial {e.tutorial}, "
                f"{esc(e.level)}) {esc(e.outcome)}</h3><p>{esc(e.message)}</p>"
                + (f"<pre>{esc(repro['curl'])}</pre>" if repro.get("curl") else "")
                + (
                    f"<p>Re-run: <code>{esc(repro['rerun'])}</code></p>"
                    if repro.get("rerun")
                    else ""
                )
                + (
                    f"<details><summary>requests script</summary><pre>{esc(repro['python'])}</pre></details>"
                    if repro.get("python")
                    else ""
                )
                + evidence(e.evidence)
            )
    measured = [
        f"<h3>{esc(label(result))}: <code>{esc(e.id)}</code> (tutorial {e.tutorial})</h3>"
        + evidence(e.evidence)
        for result in results
        for e in result.requirements
        if e.evidence and not e.failed
    ]
    summaries = "".join(
        f"<li>{esc(label(r))}: level {esc(r.level)}, "
        f"{', '.join(f'{v} {k}' for k, v in r.summary.items())}"
        + (f" — <strong>{esc(r.fatal)}</strong>" if r.fatal else "")
        + "<ul>"
        + "".join(f"<li>{esc(v['line'])}</li>" for v in r.verdicts)
        + "</ul></li>"
        for r in results
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{esc(title)}</h1><ul>{summaries}</ul>"
        "<table><thead><tr><th>tutorial</th><th>level</th><th>requirement</th><th>statement</th>"
        f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"<h2>Failures</h2>{''.join(details) or '<p>None.</p>'}"
        + (f"<h2>Measurements</h2>{''.join(measured)}" if measured else "")
        + "</body></html>\n"
    )
