"""The verdict as a small self-contained SVG badge (``--badge PATH``)."""

from __future__ import annotations

import html

from .model import Result

_COLOURS = {"SHOULD": "#2e7d32", "MUST": "#f9a825", None: "#c62828"}


def svg(result: Result) -> str:
    """A two-part badge: the tutorials on the left, the level they conform at on the right."""
    if result.fatal is not None:
        value, colour = "not run", "#757575"
    else:
        levels = [v["conforms_at"] for v in result.verdicts]
        weakest = None if None in levels else "MUST" if "MUST" in levels else "SHOULD"
        value = f"conforms at {weakest}" if weakest else "fails MUST"
        colour = _COLOURS[weakest]
    numbers = result.tutorials
    label = f"tutorial {numbers[0]}" if len(numbers) == 1 else f"{len(numbers)} tutorials"
    name = result.target.get("name")
    if name:
        label = f"{name} · {label}"
    left, right = 7 * len(label) + 12, 7 * len(value) + 12
    text = html.escape
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + right}" height="20" '
        f'role="img" aria-label="{text(label)}: {text(value)}">'
        f"<title>{text(label)}: {text(value)}</title>"
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        '<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="6" y="14">{text(label)}</text>'
        f'<text x="{left + 6}" y="14">{text(value)}</text></g></svg>\n'
    )
