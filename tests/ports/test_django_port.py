"""Smoke tests of the Django port, started the way the kit starts a target."""

from __future__ import annotations

import shlex
import sqlite3
import string
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.support.process import client, running

pytestmark = [pytest.mark.slow]

PORT_SCRIPT = Path(__file__).resolve().with_name("django_tutorials.py")


@pytest.fixture(autouse=True)
def _django():
    pytest.importorskip("django", minversion="5.2")


def command(tutorial: int, *options: str) -> str:
    """A ``--target-cmd`` for the port of ``tutorial``, with a literal ``{port}``."""
    python, script = shlex.quote(sys.executable), shlex.quote(str(PORT_SCRIPT))
    extra = "".join(f" {shlex.quote(o)}" for o in options)
    return f"exec {python} {script} {tutorial} --port {{port}}{extra}"


def assert_generated(text: str, length: int) -> None:
    assert len(text) == length
    assert set(text) <= set(string.hexdigits)
    assert len(set(text)) == length


def test_tutorial_1(tmp_path: Path):
    with running(command(1), cwd=tmp_path) as server, client() as s:
        r = s.get(server.url + "/", timeout=5)
        assert (r.status_code, r.text) == (200, "Hello world!")
        assert s.get(server.url + "/nowhere", timeout=5).status_code == 404
        assert server.stop() == 0


def test_tutorial_5(tmp_path: Path):
    with running(command(5), cwd=tmp_path) as server, client() as s, client() as other:
        base = server.url
        assert '<form method="get" action="generate">' in s.get(base + "/", timeout=5).text
        assert other.get(base + "/display", timeout=5).status_code == 404
        r = s.post(base + "/generate", data={"length": "12"}, timeout=5)
        assert_generated(r.text, 12)
        assert "sessionid" in r.cookies
        assert "HttpOnly" in r.headers["Set-Cookie"]
        assert s.get(base + "/display", timeout=5).text == r.text
        assert other.get(base + "/display", timeout=5).status_code == 404
        for bad in ("x", "8.0", "", "23", "-1"):
            assert s.get(base + "/generate", params={"length": bad}, timeout=5).status_code == 400
        forged = {"sessionid": "forgedforgedforgedforged"}
        r = other.get(base + "/generate", cookies=forged, timeout=5)
        assert r.cookies["sessionid"] != forged["sessionid"]
        assert server.stop() == 0


def test_tutorial_6_static(tmp_path: Path):
    with running(command(6), cwd=tmp_path) as server, client() as s:
        url = server.url + "/static/css/style.css"
        r = s.get(url, timeout=5)
        assert r.status_code == 200
        assert r.headers["Content-Type"].startswith("text/css")
        since = {"If-Modified-Since": r.headers["Last-Modified"]}
        assert s.get(url, headers=since, timeout=5).status_code == 304
        assert s.get(server.url + "/static/css", timeout=5).status_code == 404
        assert server.stop() == 0


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
        assert s.get(url, headers={"Accept": "TEXT/Plain"}, timeout=5).status_code == 200
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


def test_tutorial_9(tmp_path: Path):
    db = tmp_path / "my.db"
    for _ in range(2):  # a second run starts on the file the first one left
        with running(command(9, "--db", str(db)), cwd=tmp_path) as server, client() as s:
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
