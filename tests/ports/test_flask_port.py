"""Smoke tests of the Flask port, started the way the kit starts a target."""

from __future__ import annotations

import shlex
import sqlite3
import string
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.ports.flask_tutorials import plain_text_acceptable
from tests.support.process import client, running

PORT_SCRIPT = Path(__file__).resolve().with_name("flask_tutorials.py")


def command(tutorial: int) -> str:
    """A ``--target-cmd`` for the port of ``tutorial``, with a literal ``{port}``."""
    python, script = shlex.quote(sys.executable), shlex.quote(str(PORT_SCRIPT))
    return f"exec {python} {script} {tutorial} --port {{port}}"


def assert_generated(text: str, length: int) -> None:
    assert len(text) == length
    assert set(text) <= set(string.hexdigits)
    assert len(set(text)) == length


@pytest.mark.parametrize(
    ("accept", "acceptable"),
    [
        (None, True),
        ("", True),
        ("*/*", True),
        ("text/*", True),
        ("Text/Plain", True),
        # A range with parameters the server never lists: open in RFC 9110, and
        # Werkzeug's best_match does not match it against a bare text/plain.
        ("text/plain;charset=UTF-8", False),
        ("application/json, text/plain;q=0.001", True),
        ('text/plain;foo="a,b";q=1, application/json', False),  # params we never send
        ("application/json", False),
        ("*/*;q=0", False),
        ("text/plain;q=0, */*", False),  # the most specific range decides
        ("text/*;q=0, */*;q=1", False),
        ("text/plain;q=0.5, text/*;q=0", True),
    ],
)
def test_negotiation(accept: str | None, acceptable: bool):
    assert plain_text_acceptable(accept) is acceptable


@pytest.mark.slow
def test_tutorial_1(tmp_path: Path):
    with running(command(1), cwd=tmp_path) as server, client() as s:
        r = s.get(server.url + "/", timeout=5)
        assert (r.status_code, r.text) == (200, "Hello world!")
        assert server.stop() == 0


@pytest.mark.slow
def test_tutorial_5(tmp_path: Path):
    with running(command(5), cwd=tmp_path) as server, client() as s, client() as other:
        base = server.url
        assert '<form method="get" action="generate">' in s.get(base + "/", timeout=5).text
        assert other.get(base + "/display", timeout=5).status_code == 404
        r = s.post(base + "/generate", data={"length": "12"}, timeout=5)
        assert_generated(r.text, 12)
        assert "session" in r.cookies
        assert "HttpOnly" in r.headers["Set-Cookie"]
        assert s.get(base + "/display", timeout=5).text == r.text
        assert other.get(base + "/display", timeout=5).status_code == 404
        assert s.get(base + "/generate", params={"length": "x"}, timeout=5).status_code == 400
        assert server.stop() == 0


@pytest.mark.slow
def test_tutorial_7(tmp_path: Path):
    with running(command(7), cwd=tmp_path) as server, client() as s:
        url = server.url + "/"
        assert s.get(url, timeout=5).status_code == 404
        r = s.post(url, timeout=5)
        assert r.status_code == 200
        assert r.headers["Content-Type"].startswith("text/plain")
        assert_generated(r.text, 8)
        assert s.get(url, timeout=5).text == r.text
        assert s.get(url, headers={"Accept": "application/json"}, timeout=5).status_code == 406
        assert s.put(url, params={"another_string": "hello"}, timeout=5).status_code == 204
        assert s.get(url, timeout=5).text == "hello"
        assert s.delete(url, timeout=5).status_code == 204
        assert s.get(url, timeout=5).status_code == 404
        r = s.patch(url, timeout=5)
        assert r.status_code == 405
        assert {"GET", "POST", "PUT", "DELETE"} <= {
            m.strip() for m in r.headers["Allow"].split(",")
        }
        assert server.stop() == 0


@pytest.mark.slow
def test_tutorial_9(tmp_path: Path):
    db = tmp_path / "my.db"
    for _ in range(2):  # a second run starts on the file the first one left
        with running(command(9), cwd=tmp_path) as server, client() as s:
            url = server.url + "/generator"
            assert (s.get(url, timeout=5).status_code, s.get(url, timeout=5).text) == (200, "")
            s.post(url, timeout=5)
            second = s.post(url, data={"length": 5}, timeout=5).text
            assert s.get(url, timeout=5).text == second  # the latest string wins
            s.put(url, data={"another_string": "caf\u00e9 \u2603"}, timeout=5)
            assert s.get(url, timeout=5).text == "caf\u00e9 \u2603"
            with closing(sqlite3.connect(db)) as con:
                assert con.execute("SELECT count(*) FROM user_string").fetchone() == (1,)
            assert server.stop() == 0
        with closing(sqlite3.connect(db)) as con:
            assert con.execute("SELECT name FROM sqlite_master").fetchall() == []
