"""Reports rendered from result documents: one self-contained HTML page.

``render([doc])`` is the report of one run; ``render(docs)`` with several
documents is the comparison matrix (``python -m conformance report``): one
column per result file, one row per requirement and tutorial, the details of
each failure below.  No script, font or stylesheet is loaded from anywhere.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path

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


def label(document: dict) -> str:
    """A short name for the implementation a document describes."""
    target = document["target"]
    name = target.get("name") or target.get("command") or target.get("url") or target["kind"]
    return str(name)


def render(documents: Sequence[dict], title: str = "Tutorial conformance") -> str:
    """The HTML page for one or more result documents."""
    esc = html.escape
    rows: dict[tuple[int, str], dict] = {}
    for doc in documents:
        for entry in doc["requirements"]:
            rows.setdefault((entry["tutorial"], entry["id"]), entry)
    head = "".join(f"<th>{esc(label(d))}</th>" for d in documents)
    body = []
    for key in sorted(rows, key=lambda k: (k[0], k[1])):
        entry = rows[key]
        cells = []
        for doc in documents:
            found = next((e for e in doc["requirements"] if (e["tutorial"], e["id"]) == key), None)
            if found is None:
                cells.append('<td class="none">—</td>')
                continue
            classes = found["outcome"] + ("" if found["binding"] else " nonbinding")
            tip = esc(found["message"] or "")
            cells.append(f'<td class="{classes}" title="{tip}">{esc(found["outcome"])}</td>')
        body.append(
            f"<tr><td>{key[0]}</td><td>{esc(entry['level'])}</td>"
            f"<td><code>{esc(key[1])}</code></td><td>{esc(entry['statement'])}</td>"
            + "".join(cells)
            + "</tr>"
        )
    details = []
    for doc in documents:
        for e in doc["requirements"]:
            if e["outcome"] not in ("fail", "error"):
                continue
            repro = e.get("reproduction") or {}
            details.append(
                f"<h3>{esc(label(doc))}: <code>{esc(e['id'])}</code> (tutorial {e['tutorial']}, "
                f"{esc(e['level'])}) {esc(e['outcome'])}</h3><p>{esc(e['message'])}</p>"
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
            )
    summaries = "".join(
        f"<li>{esc(label(d))}: level {esc(d['level'])}, "
        f"{', '.join(f'{v} {k}' for k, v in d['summary'].items())}"
        + (f" — <strong>{esc(d['fatal'])}</strong>" if d.get("fatal") else "")
        + "</li>"
        for d in documents
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{esc(title)}</h1><ul>{summaries}</ul>"
        "<table><thead><tr><th>tutorial</th><th>level</th><th>requirement</th><th>statement</th>"
        f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"<h2>Failures</h2>{''.join(details) or '<p>None.</p>'}</body></html>\n"
    )


def load(path: str | Path) -> dict:
    """A result document from a JSON file; ValueError says what is wrong with it."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not JSON ({error.msg} at line {error.lineno})") from None
    if not isinstance(document, dict) or "requirements" not in document:
        raise ValueError(f"{path} is not a conformance result (no 'requirements')")
    return document
