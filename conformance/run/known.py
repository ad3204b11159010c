"""Known failures: the differences a porter has accepted, one per line.

The file (``--known-failures FILE``, the idea of WPT's expectation files)
holds one ``TUTORIAL ID [REASON...]`` per line; ``#`` starts a comment, blank
lines are allowed::

    # tutorial 7 as printed
    7 rest-accept-rfc tools.accept compares case-sensitively

A listed requirement that fails is reported ``known`` and does not fail the
run; one that passes is reported ``fixed`` (and fails the run under
``--strict-known``, so that the list only shrinks).  A line naming an unknown
id, an unknown tutorial, or a tutorial the requirement does not apply to is an
error of the file: ``KnownFailuresError`` says which line, in one line.
"""

from __future__ import annotations

from pathlib import Path

from ..spec import catalogue
from ..spec import tutorials as tutorial_facts


class KnownFailuresError(ValueError):
    """A known-failures file that cannot be used; the message is one line."""


def parse(text: str, source: str = "the known-failures file") -> dict[tuple[str, int], str]:
    """``{(id, tutorial): reason}`` from the text of a known-failures file."""
    known: dict[tuple[str, int], str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{source}, line {number}"
        fields = line.split(None, 2)
        if len(fields) < 2:
            raise KnownFailuresError(f"{where}: expected 'TUTORIAL ID [REASON]', got {line!r}")
        tutorial_text, rid = fields[0], fields[1]
        if not (tutorial_text.isascii() and tutorial_text.isdigit()):
            raise KnownFailuresError(f"{where}: {tutorial_text!r} is not a tutorial number")
        tutorial = int(tutorial_text)
        if tutorial not in tutorial_facts.TUTORIALS:
            raise KnownFailuresError(f"{where}: no tutorial {tutorial}; choose 1 to 12")
        try:
            requirement = catalogue.get(rid)
        except KeyError:
            raise KnownFailuresError(
                f"{where}: unknown requirement id {rid!r} (see python -m conformance spec)"
            ) from None
        if tutorial not in requirement.tutorials:
            raise KnownFailuresError(
                f"{where}: {rid} does not apply to tutorial {tutorial} "
                f"(it applies to tutorials {requirement.tutorial_range})"
            )
        known[(rid, tutorial)] = fields[2].strip() if len(fields) > 2 else ""
    return known


def load(path: str) -> dict[tuple[str, int], str]:
    """The known failures listed in the file at ``path``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise KnownFailuresError(f"cannot read --known-failures {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise KnownFailuresError(f"--known-failures {path} is not UTF-8 text") from None
    return parse(text, source=path)
