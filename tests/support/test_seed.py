"""The printed tutorials, extracted from the seed, compile and run unchanged."""

from __future__ import annotations

import os
import sqlite3
import string
import subprocess
import sys
from contextlib import closing
from email.message import Message
from pathlib import Path

import pytest

from tests.support import seed
from tests.support.process import client, running

HEX = set(string.hexdigits)


def media_type(response) -> str:
    message = Message()
    message["content-type"] = response.headers.get("Content-Type", "")
    return message.get_content_type()


def assert_generated(text: str, length: int) -> None:
    assert len(text) == length
    assert set(text) <= HEX
    assert len(set(text)) == length  # random.sample: no repeats


@pytest.fixture(autouse=True)
def _seed_present():
    seed.require_seed()


# --- extraction -------------------------------------------------------------


def test_every_numbered_block_is_stripped_exactly():
    found = seed.blocks()
    assert {b.tutorial for b in found} == {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12}
    for block in found:
        if block.lang == "shell" and not block.numbered:
            continue  # "$ pytest ..." command lines are printed without numbers
        assert block.numbered, block
    # Widths 1, 2 and 3 and a block that starts at 17 (tutorial 12's excerpt).
    assert seed.printed_stylesheet(6) == "body {\n  background-color: blue;\n}\n"
    assert seed.printed_python(1).startswith("import cherrypy\n\n\nclass HelloWorld(object):\n")
    assert seed.printed_python(1).endswith("    cherrypy.quickstart(HelloWorld())\n")
    assert seed.printed_gen_js().startswith("var StringGeneratorBox = React.createClass({\n")
    assert "\n                                 mode={this.state.mode}\n" in seed.printed_gen_js()
    assert blocks_of(12, "shell")[-1].code.startswith("if __name__ == '__main__':  # pragma")
    # Tutorial 10's page is printed one column to the right: kept as printed.
    assert seed.printed_page(10).startswith(" <!DOCTYPE html>\n <html>\n    <head>\n")
    assert seed.printed_transcript().splitlines()[4] == "500"


def blocks_of(tutorial: int, lang: str) -> list[seed.Block]:
    return [b for b in seed.blocks(tutorial) if b.lang == lang]


@pytest.mark.parametrize("number", seed.PRINTED)
def test_printed_code_compiles(number: int, tmp_path: Path):
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
def test_layout(number: int, files: set[str], tmp_path: Path):
    seed.printed_tutorial(number, tmp_path)
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert written == files


def test_layout_contents(tmp_path: Path):
    seed.printed_tutorial(7, tmp_path / "7")
    seed.printed_tutorial(10, tmp_path / "10")
    assert "#the-string" not in (tmp_path / "7/public/css/style.css").read_text()
    assert "#the-string" in (tmp_path / "10/public/css/style.css").read_text()
    assert (tmp_path / "10/tut10.py").read_text() == seed.printed_python(9)
    assert 'src="static/js/gen.js"' in (tmp_path / "10/index.html").read_text()
    assert seed.printed_page(9) == seed.printed_page(8)
    assert seed.printed_python(12) == seed.printed_python(2)


def test_tutorial_11_prints_no_code(tmp_path: Path):
    with pytest.raises(seed.NoPrintedCode, match="tutorial 11"):
        seed.printed_tutorial(11, tmp_path)
    with pytest.raises(ValueError):
        seed.printed_tutorial(13, tmp_path)


def test_printed_command_keeps_a_literal_port_placeholder(tmp_path: Path):
    command = seed.printed_command(3, tmp_path)
    assert command.count("{port}") == 1
    assert command.endswith(" tut03.py {port}")
    assert str(seed.LAUNCHER) in command


def test_seed_path_can_be_overridden(tmp_path: Path):
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


# --- running them as printed ------------------------------------------------


def check_1(base, s, workdir):
    r = s.get(base + "/", timeout=5)
    assert (r.status_code, r.text) == (200, "Hello world!")


def check_2(base, s, workdir):
    check_1(base, s, workdir)
    r = s.get(base + "/generate", timeout=5)
    assert r.status_code == 200
    assert_generated(r.text, 8)


def check_3(base, s, workdir):
    check_2(base, s, workdir)
    r = s.get(base + "/generate", params={"length": 16}, timeout=5)
    assert_generated(r.text, 16)


def check_4(base, s, workdir):
    r = s.get(base + "/", timeout=5)
    assert '<form method="get" action="generate">' in r.text
    r = s.post(base + "/generate", data={"length": 5}, timeout=5)
    assert r.status_code == 200
    assert_generated(r.text, 5)


def check_5(base, s, workdir):
    r = s.get(base + "/generate", params={"length": 12}, timeout=5)
    assert_generated(r.text, 12)
    assert s.get(base + "/display", timeout=5).text == r.text
    with client() as fresh:
        assert fresh.get(base + "/display", timeout=5).status_code == 500  # KeyError


def check_6(base, s, workdir):
    check_5(base, s, workdir)
    assert '<link href="/static/css/style.css" rel="stylesheet">' in s.get(base, timeout=5).text
    r = s.get(base + "/static/css/style.css", timeout=5)
    assert r.status_code == 200
    assert media_type(r) == "text/css"
    assert r.text == seed.printed_stylesheet(6)


def check_7(base, s, workdir, path="/"):
    # The transcript printed in tutorial 7.
    url = base + path
    assert s.get(url, timeout=5).status_code == 500
    r = s.post(url, timeout=5)
    assert r.status_code == 200
    assert_generated(r.text, 8)
    assert media_type(r) == "text/plain"
    again = s.get(url, timeout=5)
    assert (again.status_code, again.text) == (200, r.text)
    assert s.get(url, headers={"Accept": "application/json"}, timeout=5).status_code == 406
    s.put(url, params={"another_string": "hello"}, timeout=5)
    r = s.get(url, timeout=5)
    assert (r.status_code, r.text) == (200, "hello")
    s.delete(url, timeout=5)
    assert s.get(url, timeout=5).status_code == 500


def check_8(base, s, workdir):
    r = s.get(base + "/", timeout=5)
    assert (r.status_code, media_type(r)) == (200, "text/html")
    assert r.text == seed.printed_page(8)
    r = s.get(base + "/static/css/style.css", timeout=5)
    assert r.text == seed.printed_stylesheet(8)
    check_7(base, s, workdir, "/generator")


def check_9(base, s, workdir):
    url = base + "/generator"
    assert s.get(base + "/", timeout=5).text == seed.printed_page(9)
    # GET returns cursor.fetchone(): None before a POST (an empty 200), and a
    # one-element tuple afterwards, which CherryPy serves as the string.
    r = s.get(url, timeout=5)
    assert (r.status_code, r.text) == (200, "")
    first = s.post(url, timeout=5).text
    assert_generated(first, 8)
    assert s.get(url, timeout=5).text == first
    # A second POST inserts a second row; fetchone() still returns the first.
    second = s.post(url, data={"length": 4}, timeout=5).text
    assert_generated(second, 4)
    assert s.get(url, timeout=5).text == first
    s.put(url, params={"another_string": "h\u00e9llo"}, timeout=5)
    assert s.get(url, timeout=5).text == "h\u00e9llo"
    s.delete(url, timeout=5)
    assert (s.get(url, timeout=5).status_code, s.get(url, timeout=5).text) == (200, "")
    with closing(sqlite3.connect(workdir / "my.db")) as db:
        tables = db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    assert tables == [("user_string",)]


def check_10(base, s, workdir):
    r = s.get(base + "/", timeout=5)
    assert r.text == seed.printed_page(10)
    r = s.get(base + "/static/js/gen.js", timeout=5)
    assert r.status_code == 200
    assert r.text == seed.printed_gen_js()
    r = s.post(base + "/generator", data={"length": 6}, timeout=5)
    assert_generated(r.text, 6)
    assert s.get(base + "/generator", timeout=5).text == r.text


def check_12(base, s, workdir):
    check_2(base, s, workdir)


CHECKS = {n: globals()[f"check_{n}"] for n in seed.PRINTED}


@pytest.mark.slow
@pytest.mark.parametrize("number", seed.PRINTED)
def test_printed_tutorial_runs_unchanged(number: int, tmp_path: Path):
    seed.printed_tutorial(number, tmp_path)
    with running(seed.printed_command(number, tmp_path)) as server, client() as session:
        CHECKS[number](server.base_url, session, tmp_path)
        returncode = server.stop()
        log = server.tail(100_000)
    # 0, or 70 when SIGTERM lands while the engine is still STARTING (CherryPy
    # answers HTTP a little before its bus reaches STARTED, and then exits
    # with os._exit(70) after stopping normally).
    assert returncode in (0, 70), log
    assert "ENGINE Bus STOPPED" in log
    if number == 9:
        # The 'stop' subscriber dropped the table; my.db itself stays.
        with closing(sqlite3.connect(tmp_path / "my.db")) as db:
            assert db.execute("SELECT name FROM sqlite_master").fetchall() == []


@pytest.mark.slow
def test_printed_test_tut12_passes(tmp_path: Path):
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
