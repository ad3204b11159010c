"""The tutorials' code exactly as printed in the seed, extracted at test time.

The seed (``shared/seed/000_160d5137c46c5a6a.txt`` beside the repository, or
the file named by ``CONFORMANCE_SEED``) is the CherryPy tutorials page rendered
to text. Its code blocks carry line numbers glued to the code, right-aligned
to the width of the block's last number (``" 1import cherrypy"``,
``"10if __name__ ..."``, ``"  1var StringGeneratorBox"``); they are stripped
exactly, and nothing else is changed. No copy of the printed code is kept in
the repository: everything here reads the seed when called.

Import it as ``tests.support.seed`` (the repository root is on ``sys.path``
under pytest because of the root ``conftest.py``; ``tests`` and
``tests/support`` are namespace packages, no ``__init__.py``).

API
---
``SEED``
    Path of the seed: ``$CONFORMANCE_SEED`` if set when this module is
    imported, else ``<repo>/../shared/seed/000_160d5137c46c5a6a.txt``.
    Every function reads the module global, so a test may monkeypatch it.
``PRINTED``
    The tutorials that can be run as printed: 1-10 and 12.
``available()`` / ``require_seed()``
    Whether the seed is there; the latter skips the calling test with one line.
``blocks(tutorial=None)``
    Every fenced block (``Block``: tutorial, lang, code, numbered) in order.
``printed_python(n)``, ``printed_stylesheet(n)``, ``printed_page(n)``,
``printed_gen_js()``, ``printed_test_tut12()``, ``printed_transcript()``
    Individual printed texts (see each function).
``printed_transcript_steps()``
    Tutorial 7's transcript parsed into ``Step``s (method, path, keyword
    arguments, and what the transcript shows of the answer), for replaying it.
``printed_tutorial(n, workdir)``
    Writes ``tutNN.py`` and the files it expects in its working directory.
``printed_command(n, workdir)``
    A ``--target-cmd`` with a literal ``{port}`` that runs that ``tutNN.py``.

Facts of the seed the layout follows:

- Tutorial 10 prints no Python: its text says to "use the code from tutorial
  09" and replace the HTML and JavaScript, so ``tut10.py`` is tutorial 9's
  code with tutorial 10's ``index.html`` and ``public/js/gen.js``.
- Tutorial 11 prints no code at all: ``NoPrintedCode`` is raised for it.
- Tutorial 12's application is tutorial 2's code, printed again; its test file
  ``test_tut12.py`` is written beside ``tut12.py``.
- Tutorials 6 and 8 print different stylesheets (8 adds ``#the-string``):
  6-7 get tutorial 6's, 8-10 tutorial 8's.
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "PRINTED",
    "SEED",
    "Block",
    "NoPrintedCode",
    "Step",
    "available",
    "blocks",
    "printed_command",
    "printed_gen_js",
    "printed_page",
    "printed_python",
    "printed_stylesheet",
    "printed_test_tut12",
    "printed_transcript",
    "printed_transcript_steps",
    "printed_tutorial",
    "require_seed",
]

_SEED_NAME = "000_160d5137c46c5a6a.txt"
_REPO = Path(__file__).resolve().parents[2]

SEED: Path = Path(
    os.environ.get("CONFORMANCE_SEED") or _REPO.parent / "shared" / "seed" / _SEED_NAME
)

#: Tutorials whose printed code can be run (11 prints none).
PRINTED: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12)

LAUNCHER: Path = Path(__file__).resolve().with_name("run_printed.py")


class NoPrintedCode(LookupError):
    """The seed prints no code for this tutorial (tutorial 11)."""


@dataclass(frozen=True)
class Block:
    """One fenced block of the seed, its line numbers stripped."""

    tutorial: int  # the "## Tutorial N" section it is in
    lang: str  # the fence's info string: python, css, html, javascript, shell
    code: str  # the text with line numbers stripped, ending with a newline
    numbered: bool  # whether the block carried line numbers


def available() -> bool:
    """Whether the seed file is present."""
    return SEED.is_file()


def require_seed() -> None:
    """Skip the calling test (one line) when the seed is absent."""
    if not available():
        import pytest

        pytest.skip(f"seed not found at {SEED}: printed tutorials not run")


_HEADING = re.compile(r"^## Tutorial (\d+):")
_FENCE_OPEN = re.compile(r"^```(\S*)\s*$")
_cache: dict[tuple[str, int, int], list[Block]] = {}


def _strip_numbers(lines: list[str]) -> tuple[list[str], bool]:
    """Strip the glued line numbers, or return the lines as they are.

    A numbered block of lines ``k..m`` prefixes line ``i`` with ``str(i)``
    right-aligned to ``len(str(m))``; every line must carry its own number
    for the block to count as numbered.
    """
    first = re.match(r"^ *(\d+)", lines[0]) if lines else None
    if first is None:
        return lines, False
    start = int(first.group(1))
    width = len(str(start + len(lines) - 1))
    stripped = []
    for number, line in enumerate(lines, start):
        prefix = str(number).rjust(width)
        if not line.startswith(prefix):
            return lines, False
        stripped.append(line[len(prefix) :])
    return stripped, True


def _parse(text: str) -> list[Block]:
    result: list[Block] = []
    tutorial = 0
    body: list[str] | None = None
    lang = ""
    for line in text.split("\n"):
        line = line.removesuffix("\r")
        if body is None:
            heading = _HEADING.match(line)
            if heading:
                tutorial = int(heading.group(1))
                continue
            fence = _FENCE_OPEN.match(line)
            if fence:
                body, lang = [], fence.group(1)
            continue
        if line.rstrip() != "```":
            body.append(line)
            continue
        # The renderer leaves one unnumbered blank line before the closing fence.
        while body and not body[-1].strip():
            body.pop()
        code_lines, numbered = _strip_numbers(body)
        code = "\n".join(code_lines) + "\n" if code_lines else ""
        result.append(Block(tutorial, lang, code, numbered))
        body = None
    if body is not None:
        raise ValueError(f"{SEED}: unterminated code block in tutorial {tutorial}")
    return result


def blocks(tutorial: int | None = None) -> list[Block]:
    """The seed's fenced blocks in order, optionally those of one tutorial."""
    stat = SEED.stat()
    key = (str(SEED), stat.st_mtime_ns, stat.st_size)
    if key not in _cache:
        _cache[key] = _parse(SEED.read_text(encoding="utf-8"))
    found = _cache[key]
    return found if tutorial is None else [b for b in found if b.tutorial == tutorial]


def _block(tutorial: int, lang: str, index: int = 0) -> str:
    matching = [b for b in blocks(tutorial) if b.lang == lang]
    if len(matching) <= index:
        raise LookupError(f"{SEED}: tutorial {tutorial} has no {lang} block #{index + 1}")
    return matching[index].code


def _check(number: int) -> None:
    if number == 11:
        raise NoPrintedCode(
            "tutorial 11 prints no code in the seed (prose on dispatchers, tools and plugins only)"
        )
    if number not in PRINTED:
        raise ValueError(f"no tutorial {number} in the seed (tutorials 1-12)")


def printed_python(number: int) -> str:
    """The application code of tutorial ``number`` as printed.

    Tutorial 7's second python block is the interactive transcript, not code
    (see ``printed_transcript``); tutorial 10 reuses tutorial 9's code;
    tutorial 12's first python block is its application (tutorial 2 again).
    """
    _check(number)
    return _block(9 if number == 10 else number, "python")


def printed_stylesheet(number: int) -> str:
    """``public/css/style.css`` for tutorial ``number`` (6 or later)."""
    _check(number)
    if number < 6 or number == 12:
        raise LookupError(f"tutorial {number} serves no stylesheet")
    return _block(6 if number < 8 else 8, "css")


def printed_page(number: int) -> str:
    """``index.html`` for tutorial ``number``: tutorial 8's for 8-9, 10's for 10."""
    _check(number)
    if number not in (8, 9, 10):
        raise LookupError(f"tutorial {number} reads no index.html")
    return _block(10 if number == 10 else 8, "html")


def printed_gen_js() -> str:
    """Tutorial 10's ``public/js/gen.js``."""
    return _block(10, "javascript")


def printed_test_tut12() -> str:
    """Tutorial 12's ``test_tut12.py``."""
    return _block(12, "python", 1)


def printed_transcript() -> str:
    """Tutorial 7's interactive ``requests`` session (``>>>`` lines and answers)."""
    return _block(7, "python", 1)


@dataclass(frozen=True)
class Step:
    """One request of tutorial 7's transcript and what the transcript shows of its answer."""

    method: str  # "GET", "POST", "PUT", "DELETE"
    path: str  # the printed URL without scheme and authority: "/"
    kwargs: dict[str, Any]  # the printed keyword arguments: headers=, params=
    shown: tuple[tuple[str, Any], ...]  # (response attribute, printed value), in printed order


def _transcript_error(line: str) -> ValueError:
    return ValueError(
        f"{SEED}: tutorial 7's transcript has a line this parser does not know: {line!r}"
    )


def printed_transcript_steps() -> list[Step]:
    """Tutorial 7's transcript as the requests it makes, in order.

    Knows exactly the statements the transcript prints and raises
    ``ValueError`` on any other line: the setup (``import requests``,
    ``s = requests.Session()``), a request (``r = s.get(URL, **kwargs)``),
    and a display of ``r.status_code`` and/or ``r.text`` followed by the
    printed value, which belongs to the latest request. The printed values
    are as printed: a string POST answered is the one the tutorial's server
    happened to generate (``u'04A92138'``), which a replay can only compare
    in length and alphabet, and by identity with later answers.
    """
    lines = printed_transcript().splitlines()
    steps: list[tuple[str, str, dict[str, Any], list[tuple[str, Any]]]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.startswith(">>> "):
            raise _transcript_error(line)
        (node,) = ast.parse(line[4:]).body
        value = getattr(node, "value", None)
        if isinstance(node, ast.Import) or (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr == "Session"
        ):
            continue
        if (
            isinstance(node, ast.Assign)
            and isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and isinstance(value.func.value, ast.Name)
            and value.func.value.id == "s"
            and len(value.args) == 1
        ):
            url = urlsplit(ast.literal_eval(value.args[0]))
            path = url.path + (f"?{url.query}" if url.query else "")
            kwargs = {k.arg: ast.literal_eval(k.value) for k in value.keywords if k.arg}
            steps.append((value.func.attr.upper(), path, kwargs, []))
            continue
        shown = value.elts if isinstance(value, ast.Tuple) else [value]
        names = [getattr(e, "attr", None) for e in shown]
        if not isinstance(node, ast.Expr) or not steps or None in names or index == len(lines):
            raise _transcript_error(line)
        try:
            printed = ast.literal_eval(lines[index])
        except (ValueError, SyntaxError):
            raise _transcript_error(lines[index]) from None
        index += 1
        values = printed if isinstance(value, ast.Tuple) else (printed,)
        if len(values) != len(names):
            raise _transcript_error(lines[index - 1])
        steps[-1][3].extend(zip(names, values))
    return [Step(method, path, kwargs, tuple(shown)) for method, path, kwargs, shown in steps]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Bytes, so that line endings stay "\n" on every platform (write_text has no
    # newline= before Python 3.10).
    path.write_bytes(text.encode("utf-8"))


def printed_tutorial(number: int, workdir: Path) -> Path:
    """Lay out tutorial ``number`` as printed in ``workdir``; return ``tutNN.py``.

    Writes ``tutNN.py`` and what it reads from its working directory:
    ``public/css/style.css`` (6-10), ``index.html`` (8-10),
    ``public/js/gen.js`` (10), and ``test_tut12.py`` beside ``tut12.py``.
    Raises ``NoPrintedCode`` for tutorial 11.
    """
    _check(number)
    workdir = Path(workdir)
    script = workdir / f"tut{number:02d}.py"
    _write(script, printed_python(number))
    if 6 <= number <= 10:
        _write(workdir / "public" / "css" / "style.css", printed_stylesheet(number))
    if number in (8, 9, 10):
        _write(workdir / "index.html", printed_page(number))
    if number == 10:
        _write(workdir / "public" / "js" / "gen.js", printed_gen_js())
    if number == 12:
        _write(workdir / "test_tut12.py", printed_test_tut12())
    return script


def printed_command(number: int, workdir: Path) -> str:
    """A shell command with a literal ``{port}`` that serves ``tutNN.py`` as printed.

    It changes into ``workdir`` (where ``printed_tutorial`` laid the tutorial
    out; the printed code reads ``./public``, ``index.html`` and ``my.db``
    relative to its working directory) and execs ``run_printed.py`` with the
    Python running this code. The launcher's only changes are the port, the
    loopback host and autoreload off; the printed file runs untouched.
    """
    _check(number)
    return " ".join(
        [
            "cd",
            shlex.quote(str(Path(workdir).resolve())),
            "&&",
            "exec",
            shlex.quote(sys.executable),
            shlex.quote(str(LAUNCHER)),
            f"tut{number:02d}.py",
            "{port}",
        ]
    )
