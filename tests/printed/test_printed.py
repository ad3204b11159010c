"""The printed tutorials: their extraction from the seed, and what of them the
kit's checks cannot judge.

Whether the printed tutorials behave as the tutorials say over HTTP is the
kit's own business: ``tests/conformance/test_agnostic.py`` runs each of them
through ``--target-cmd`` and requires every MUST and every INFO check to pass
(INFO checks observe CherryPy particulars such as the exact 500s of the
transcript, which the printed code, being CherryPy, shares). No second
specification of that behaviour is kept here. What is kept:

Extraction (fast; ``tests/support/seed.py``)
    The line numbers glued to the printed code are stripped exactly, on a
    synthetic seed (widths 1 to 3, a block starting past 1, unnumbered and
    irregular blocks) and on the real one; the layout ``printed_tutorial``
    writes; tutorial 7's transcript parsed into the requests it makes (the
    one copy of the transcript the kit's tests replay, in
    ``tests/reference_app/test_reference_rest.py``).

Tutorial 9's hooks (slow)
    Its ``start`` subscriber creates the ``user_string`` table in ``my.db``
    in its working directory, and on SIGTERM its ``stop`` subscriber drops
    the table while the file stays, with the engine stopping normally. The
    kit sees a server only over HTTP: neither the file nor the exit status.
    It also shows that ``run_printed.py`` leaves CherryPy's signal handling
    in place.

Tutorial 12's test file (slow)
    ``test_tut12.py`` as printed passes under pytest beside ``tut12.py``. It
    is a test module, not a server: there is nothing to check over HTTP.

The pages of tutorials 8 to 10 (slow)
    ``GET /`` answers the printed ``index.html`` as ``text/html``, and
    tutorial 10 serves its printed ``gen.js``. No requirement of the
    catalogue covers the page itself (``static-linked`` only looks for the
    stylesheet's link, and ``static-path-property`` requests ``gen.js`` only
    when Hypothesis happens to draw it); a requirement for it would belong in
    ``conformance/``, and would make this test redundant.
"""

from __future__ import annotations

import os
import sqlite3
import string
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.support import seed
from tests.support.process import client, running


@pytest.fixture
def real_seed():
    seed.require_seed()


def tables(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        return [name for (name,) in rows]


# --- extraction, on a synthetic seed ------------------------------------------


def numbered(lines: list[str], start: int = 1) -> str:
    width = len(str(start + len(lines) - 1))
    return "\n".join(f"{n:>{width}}{line}" for n, line in enumerate(lines, start))


@pytest.fixture
def synthetic(tmp_path, monkeypatch):
    """``synthetic(text)``: make ``text`` the seed for the rest of the test."""

    def use(text: str) -> None:
        path = tmp_path / "seed.txt"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setattr(seed, "SEED", path)

    return use


def test_glued_line_numbers_of_every_width_are_stripped_exactly(synthetic):
    nine = [f"line {n}" for n in range(1, 10)]
    twelve = ["a = 1", "", "  indented", *(f"x{n}" for n in range(9))]
    late = ["excerpt", "    deeper"]
    synthetic(
        "## Tutorial 1: One\n\n"
        f"```python\n{numbered(nine)}\n\n```\n\n"
        "## Tutorial 2: Two\n\n"
        f"```css\n{numbered(twelve)}\n\n```\n\n"
        f"```python\n{numbered(late, start=99)}\n\n```\n\n"
        "```shell\n$ pytest test_tut12.py\n\n```\n\n"
        # A block whose numbers do not run on is kept as it is.
        "```python\n1a\n3b\n\n```\n"
    )
    found = seed.blocks()
    assert [(b.tutorial, b.lang, b.numbered) for b in found] == [
        (1, "python", True),
        (2, "css", True),
        (2, "python", True),
        (2, "shell", False),
        (2, "python", False),
    ]
    assert [b.code for b in found] == [
        "\n".join(nine) + "\n",
        "\n".join(twelve) + "\n",
        "excerpt\n    deeper\n",  # 99 and 100: width 3
        "$ pytest test_tut12.py\n",
        "1a\n3b\n",
    ]
    assert seed.blocks(1) == found[:1]


def test_an_unterminated_block_is_an_error(synthetic):
    synthetic("## Tutorial 1: One\n\n```python\n1print('hi')\n")
    with pytest.raises(ValueError, match="unterminated code block in tutorial 1"):
        seed.blocks()


def test_a_transcript_line_the_parser_does_not_know_is_an_error(synthetic):
    synthetic(
        "## Tutorial 7: Seven\n\n```python\n1import cherrypy\n\n```\n\n"
        "```python\n1>>> r = s.get('http://127.0.0.1:8080/')\n2>>> print(r)\n3<Response [200]>\n\n```\n"
    )
    with pytest.raises(ValueError, match=r"does not know: '>>> print\(r\)'"):
        seed.printed_transcript_steps()


def test_the_seed_path_can_be_overridden(tmp_path: Path):
    fake = tmp_path / "seed.txt"
    fake.write_text("## Tutorial 1: x\n\n```python\n1print('hi')\n\n```\n", encoding="utf-8")
    env = {**os.environ, "CONFORMANCE_SEED": str(fake)}
    code = (
        "from tests.support import seed; "
        "print(seed.SEED, seed.available(), repr(seed.printed_python(1)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(seed.__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert out == f"{fake} True \"print('hi')\\n\"\n"


# --- extraction, on the real seed ----------------------------------------------


def test_every_block_of_the_seed_was_numbered(real_seed):
    found = seed.blocks()
    assert {b.tutorial for b in found} == set(seed.PRINTED)
    for block in found:
        if block.lang == "shell" and not block.numbered:
            continue  # "$ pytest ..." command lines are printed without numbers
        assert block.numbered, block
    assert seed.printed_python(1).startswith("import cherrypy\n")
    # Tutorial 12's excerpt starts at line 17; tutorial 10's page is printed
    # one column to the right, and kept so.
    assert [b for b in seed.blocks(12) if b.lang == "shell"][-1].code.startswith("if __name__")
    assert seed.printed_page(10).startswith(" <!DOCTYPE html>\n")


@pytest.mark.parametrize("number", seed.PRINTED)
def test_printed_code_compiles(real_seed, number: int, tmp_path: Path):
    script = seed.printed_tutorial(number, tmp_path)
    assert script == tmp_path / f"tut{number:02d}.py"
    compile(script.read_text(encoding="utf-8"), str(script), "exec")
    assert "if __name__ == '__main__':" in script.read_text(encoding="utf-8")
    if number == 12:
        test_file = tmp_path / "test_tut12.py"
        compile(test_file.read_text(encoding="utf-8"), str(test_file), "exec")


@pytest.mark.parametrize(
    ("number", "files"),
    [
        (1, {"tut01.py"}),
        (5, {"tut05.py"}),
        (6, {"tut06.py", "public/css/style.css"}),
        (7, {"tut07.py", "public/css/style.css"}),
        (8, {"tut08.py", "public/css/style.css", "index.html"}),
        (9, {"tut09.py", "public/css/style.css", "index.html"}),
        (10, {"tut10.py", "public/css/style.css", "index.html", "public/js/gen.js"}),
        (12, {"tut12.py", "test_tut12.py"}),
    ],
)
def test_layout(real_seed, number: int, files: set[str], tmp_path: Path):
    seed.printed_tutorial(number, tmp_path)
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert written == files


def test_layout_contents(real_seed, tmp_path: Path):
    seed.printed_tutorial(7, tmp_path / "7")
    seed.printed_tutorial(10, tmp_path / "10")
    assert seed.printed_stylesheet(6) != seed.printed_stylesheet(8)
    assert (tmp_path / "7/public/css/style.css").read_text() == seed.printed_stylesheet(6)
    assert (tmp_path / "10/public/css/style.css").read_text() == seed.printed_stylesheet(8)
    assert (tmp_path / "10/tut10.py").read_text() == seed.printed_python(9)
    assert 'src="static/js/gen.js"' in (tmp_path / "10/index.html").read_text()
    assert seed.printed_page(9) == seed.printed_page(8)
    assert seed.printed_python(12) == seed.printed_python(2)


def test_tutorial_11_prints_no_code(real_seed, tmp_path: Path):
    with pytest.raises(seed.NoPrintedCode, match="tutorial 11"):
        seed.printed_tutorial(11, tmp_path)
    with pytest.raises(ValueError):
        seed.printed_tutorial(13, tmp_path)


def test_printed_command_keeps_a_literal_port_placeholder(tmp_path: Path):
    command = seed.printed_command(3, tmp_path)
    assert command.count("{port}") == 1
    assert command.endswith(" tut03.py {port}")
    assert str(seed.LAUNCHER) in command


def test_the_transcript_parses_into_requests_to_the_service(real_seed):
    steps = seed.printed_transcript_steps()
    assert {step.path for step in steps} == {"/"}  # tutorial 7 serves at the root
    assert {step.method for step in steps} == {"GET", "POST", "PUT", "DELETE"}
    assert all(name in ("status_code", "text") for step in steps for name, _ in step.shown)
    posted = [value for step in steps if step.method == "POST" for name, value in step.shown]
    assert any(isinstance(value, str) and set(value) <= set(string.hexdigits) for value in posted)


# --- what the kit's checks cannot see --------------------------------------------


@pytest.mark.slow
def test_tutorial_9_creates_its_table_on_start_and_drops_it_on_stop(real_seed, tmp_path: Path):
    seed.printed_tutorial(9, tmp_path)
    db = tmp_path / "my.db"
    with running(seed.printed_command(9, tmp_path)) as server, client() as session:
        assert tables(db) == ["user_string"]
        posted = session.post(server.url + "/generator", timeout=5)
        assert posted.status_code == 200
        with closing(sqlite3.connect(db)) as connection:
            rows = connection.execute("SELECT value FROM user_string").fetchall()
        assert (posted.text,) in rows
        returncode = server.stop()
        log = server.tail(100_000)
    # 0, or 70 when SIGTERM lands while the engine is still STARTING (CherryPy
    # answers HTTP a little before its bus reaches STARTED, and then exits
    # with os._exit(70) after stopping normally).
    assert returncode in (0, 70), log
    assert "ENGINE Bus STOPPED" in log
    assert db.is_file()
    assert tables(db) == []


@pytest.mark.slow
def test_tutorial_12_printed_test_file_passes(real_seed, tmp_path: Path):
    seed.printed_tutorial(12, tmp_path)
    # An ini file of its own, so that this repository's pytest settings and
    # plugins stay out of the printed test's run. CPWebCase listens on 54583.
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_tut12.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("number", [8, 9, 10])
def test_the_page_is_served_as_printed(real_seed, number: int, tmp_path: Path):
    seed.printed_tutorial(number, tmp_path)
    with running(seed.printed_command(number, tmp_path)) as server, client() as session:
        page = session.get(server.url + "/", timeout=5)
        script = session.get(server.url + "/static/js/gen.js", timeout=5)
    assert page.status_code == 200
    assert page.headers["Content-Type"].split(";")[0] == "text/html"
    assert page.text == seed.printed_page(number)
    if number == 10:
        assert (script.status_code, script.text) == (200, seed.printed_gen_js())
