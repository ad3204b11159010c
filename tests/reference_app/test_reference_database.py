"""Tutorials 9 and 10: the SQLite table follows the engine's start and stop."""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3

import pytest

from reference_app import module
from reference_app.server import running


def tables(db_path) -> set[str]:
    with contextlib.closing(sqlite3.connect(db_path)) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        return {name for (name,) in rows}


def rows(db_path) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(db_path)) as connection:
        return connection.execute("SELECT * FROM user_string").fetchall()


@pytest.mark.parametrize("number", [9, 10])
def test_the_table_exists_while_serving_and_is_dropped_at_stop(tmp_path, number):
    db_path = tmp_path / "my.db"
    with running(number, db_path=db_path) as served:
        assert served.db_path == str(db_path)
        assert tables(db_path) == {"user_string"}
    assert tables(db_path) == set()


@pytest.mark.parametrize("number", [9, 10])
def test_one_row_per_session_holds_the_latest_string(tmp_path, open_client, number):
    db_path = tmp_path / "my.db"
    with running(number, db_path=db_path) as served:
        session = open_client(served)
        session.post("/generator")
        latest = session.post("/generator").text
        assert rows(db_path) == [(session.cookies["session_id"], latest)]
        session.put("/generator", data={"another_string": "replaced"})
        assert rows(db_path) == [(session.cookies["session_id"], "replaced")]
        session.delete("/generator")
        assert rows(db_path) == []


@pytest.mark.parametrize("number", [9, 10])
def test_a_server_starts_after_a_crash_left_the_table_behind(tmp_path, number):
    db_path = tmp_path / "my.db"
    with contextlib.closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute("CREATE TABLE user_string (session_id, value)")
        connection.execute("INSERT INTO user_string VALUES ('stale', 'left over')")
    with running(number, db_path=db_path):
        assert tables(db_path) == {"user_string"}
        assert rows(db_path) == []
    assert tables(db_path) == set()


def test_the_default_database_is_a_temporary_file_removed_at_stop():
    with running(9) as served:
        assert os.path.exists(served.db_path)
        folder = os.path.dirname(served.db_path)
    assert not os.path.exists(folder)


def test_each_server_gets_a_database_of_its_own():
    with running(9) as first, running(9) as second:
        assert first.db_path != second.db_path


def test_subscriptions_name_the_listeners_of_the_tutorial(tmp_path):
    tut09 = module(9)
    app = tut09.application(tmp_path / "my.db")
    (start_channel, setup), (stop_channel, cleanup) = tut09.subscriptions(app)
    assert (start_channel, stop_channel) == ("start", "stop")
    setup()
    setup()  # a second start does not fail
    assert tables(tmp_path / "my.db") == {"user_string"}
    cleanup()
    cleanup()  # nor a second stop
    assert tables(tmp_path / "my.db") == set()


def test_a_database_sqlite_cannot_open_is_refused_before_serving(tmp_path):
    with pytest.raises(sqlite3.OperationalError), running(9, db_path=tmp_path / "no" / "my.db"):
        pass


def test_a_failing_start_listener_raises_and_releases_the_port(tmp_path):
    db_path = tmp_path / "my.db"
    with contextlib.closing(sqlite3.connect(db_path)) as connection, connection:
        # DROP TABLE cannot drop a view: the start listener fails.
        connection.execute("CREATE VIEW user_string AS SELECT 1 AS session_id, 2 AS value")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(sqlite3.OperationalError), running(9, port=port, db_path=db_path):
        pass
    with running(1, port=port) as served:
        assert served.port == port
