"""Tutorial 11: tutorial 9's application organised with a plugin, tools and
a dispatcher for RESTful URLs (/library/{lib}/book/{book})."""

from __future__ import annotations

import concurrent.futures
import contextlib
import sqlite3

import pytest
from cherrypy.process import wspbus

from reference_app import module
from reference_app.server import running

tut11 = module(11)


def tables(db_path) -> set[str]:
    with contextlib.closing(sqlite3.connect(db_path)) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        return {name for (name,) in rows}


def media_type(response) -> str:
    return response.headers["Content-Type"].split(";")[0].strip()


# ------------------------------------------------------------------ plugin --


def test_the_plugin_creates_the_schema_on_start_and_drops_it_on_stop(tmp_path):
    bus = wspbus.Bus()
    database = tut11.Database(bus, tmp_path / "my.db")
    database.subscribe()
    bus.start()
    try:
        assert tables(tmp_path / "my.db") == {"user_string", "book"}
    finally:
        bus.exit()
    assert tables(tmp_path / "my.db") == set()
    assert database.idle_connections == 0


def test_the_plugin_starts_after_a_crash_left_tables_behind(tmp_path):
    db_path = tmp_path / "my.db"
    with contextlib.closing(sqlite3.connect(db_path)) as connection, connection:
        connection.execute("CREATE TABLE book (library, book, title)")
        connection.execute("INSERT INTO book VALUES (1, 1, 'stale')")
    with running(11, db_path=db_path) as served:
        assert tables(db_path) == {"user_string", "book"}
        with contextlib.closing(sqlite3.connect(db_path)) as connection:
            assert connection.execute("SELECT * FROM book").fetchall() == []
        assert served.db_path == str(db_path)
    assert tables(db_path) == set()


def test_a_connection_commits_or_rolls_back_and_returns_to_the_pool(tmp_path):
    database = tut11.Database(wspbus.Bus(), tmp_path / "my.db")
    database.start()
    with database.connection() as db:
        db.execute("INSERT INTO book VALUES (1, 1, 'kept')")
    with pytest.raises(ZeroDivisionError), database.connection() as db:
        db.execute("INSERT INTO book VALUES (1, 2, 'rolled back')")
        1 / 0  # noqa: B018
    assert database.idle_connections == 1
    with database.connection() as db:
        assert db.execute("SELECT book, title FROM book").fetchall() == [(1, "kept")]
    database.stop()
    assert database.idle_connections == 0


def test_a_connection_lent_when_the_plugin_stops_is_closed_on_return(tmp_path):
    database = tut11.Database(wspbus.Bus(), tmp_path / "my.db")
    database.start()
    with database.connection() as db:
        database.stop()
    assert database.idle_connections == 0
    with pytest.raises(sqlite3.ProgrammingError):
        db.execute("SELECT 1")


def test_subscriptions_are_the_plugin_s_start_and_stop(tmp_path):
    app = tut11.application(tmp_path / "my.db")
    database = app.config["/"]["tools.database.plugin"]
    assert isinstance(database, tut11.Database)
    assert tut11.subscriptions(app) == [("start", database.start), ("stop", database.stop)]


# ------------------------------------------------------------ tools, pages --


def test_requests_share_pooled_connections(server, client):
    served = server(11)
    database = served.app.config["/"]["tools.database.plugin"]
    session = client(11)
    for _ in range(5):
        session.post("/generator")
        session.get("/library")
    assert 1 <= database.idle_connections <= 10


def test_many_clients_at_once_each_keep_their_string(server, open_client):
    served = server(11)

    def conversation(index: int) -> bool:
        session = open_client(served)
        stored = session.post("/generator", data={"length": str(1 + index % 22)}).text
        session.put(f"/library/{index}/book/{index}", data={"title": f"t{index}"})
        return (
            session.get("/generator").text == stored
            and session.get(f"/library/{index}/book/{index}").text == f"t{index}"
        )

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        assert all(pool.map(conversation, range(1000, 1040)))


def test_the_page_and_static_files_are_tutorial_9_s(client):
    session = client(11)
    assert session.get("/").content == client(9).get("/").content
    assert (
        session.get("/static/css/style.css").content
        == client(9).get("/static/css/style.css").content
    )


# ---------------------------------------------------------------- library --


@pytest.fixture
def library(tmp_path, open_client):
    """A client of a fresh tutorial 11 server (an empty library)."""
    with running(11, db_path=tmp_path / "my.db") as served:
        yield open_client(served)


def test_an_empty_library_lists_nothing(library):
    response = library.get("/library")
    assert (response.status_code, response.text, media_type(response)) == (200, "", "text/plain")
    assert library.get("/library/12").status_code == 404
    assert library.get("/library/12/book/15").status_code == 404


def test_put_creates_then_replaces_a_book(library):
    created = library.put("/library/12/book/15", params={"title": "Dune"})
    assert (created.status_code, created.content) == (201, b"")
    replaced = library.put("/library/12/book/15", data={"title": "Dune Messiah"})
    assert (replaced.status_code, replaced.content) == (204, b"")
    book = library.get("/library/12/book/15")
    assert (book.status_code, book.text, media_type(book)) == (200, "Dune Messiah", "text/plain")


def test_titles_are_any_text(library):
    for title in ("", "  spaced  ", "Caf\u00e9 \u2603 \U0001f4da", "a/b?c=d&e"):
        library.put("/library/1/book/1", data={"title": title})
        assert library.get("/library/1/book/1").text == title


def test_listings_are_ascending_ids_one_per_line(library):
    for lib, book in [(12, 15), (12, 3), (7, 0), (12, 100)]:
        library.put(f"/library/{lib}/book/{book}", data={"title": "x"})
    assert library.get("/library").text == "7\n12\n"
    assert library.get("/library/12").text == "3\n15\n100\n"
    assert library.get("/library/12/").text == "3\n15\n100\n"
    assert library.get("/library/").text == "7\n12\n"


def test_delete_removes_a_book_once(library):
    library.put("/library/12/book/15", data={"title": "Dune"})
    deleted = library.delete("/library/12/book/15")
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert library.get("/library/12/book/15").status_code == 404
    assert library.delete("/library/12/book/15").status_code == 404
    assert library.get("/library/12").status_code == 404
    assert library.get("/library").text == ""


def test_the_library_is_shared_by_every_client(library, open_client):
    library.put("/library/3/book/4", data={"title": "Shared"})
    stranger = open_client(library.url)
    assert stranger.get("/library/3/book/4").text == "Shared"


def test_put_without_exactly_one_title_is_400(library):
    assert library.put("/library/1/book/1").status_code == 400
    assert library.put("/library/1/book/1?title=a", data={"title": "b"}).status_code == 400
    assert library.get("/library/1/book/1").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/library/012",
        "/library/-1",
        "/library/+1",
        "/library/1e3",
        "/library/x",
        "/library/1234567890123456789",
        "/library/12/book",
        "/library/12/book/",
        "/library/12/books/15",
        "/library/12/book/015",
        "/library/12/book/15/extra",
        "/library/GET",
        "/library/__class__",
        "/library/_cp_dispatch",
        "/library/12/book/abc",
    ],
)
def test_paths_that_name_no_resource_are_404_whatever_the_method(client, path):
    session = client(11)
    for method in ("GET", "HEAD", "PUT", "DELETE", "POST", "PATCH"):
        response = session.request(method, path, data={"title": "x"})
        assert response.status_code == 404, method
        assert "Allow" not in response.headers


def test_repeated_slashes_are_merged_before_dispatching(library):
    library.put("/library/12/book/15", data={"title": "x"})
    assert library.get("/library//12//book//15").text == "x"


def test_the_largest_id_has_18_digits(library):
    largest = "9" * 18
    assert library.put(f"/library/{largest}/book/0", data={"title": "big"}).status_code == 201
    assert library.get("/library").text == f"{largest}\n"


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/library", {"GET", "HEAD"}),
        ("/library/1", {"GET", "HEAD"}),
        ("/library/1/book/2", {"DELETE", "GET", "HEAD", "PUT"}),
    ],
)
def test_methods_a_resource_lacks_are_405_with_allow(library, path, allowed):
    library.put("/library/1/book/2", data={"title": "x"})
    for method in ("PATCH", "POST") + (("PUT", "DELETE") if "book" not in path else ()):
        response = library.request(method, path)
        assert response.status_code == 405
        assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed


def test_library_reads_negotiate_text_plain(library):
    library.put("/library/1/book/2", data={"title": "x"})
    for path in ("/library", "/library/1", "/library/1/book/2"):
        assert library.get(path, headers={"Accept": "application/json"}).status_code == 406
        assert library.get(path, headers={"Accept": "text/*"}).status_code == 200
    assert (
        library.put(
            "/library/1/book/2", data={"title": "y"}, headers={"Accept": "application/json"}
        ).status_code
        == 204
    )


def test_head_of_a_book_is_get_without_the_body(library):
    library.put("/library/1/book/2", data={"title": "Title"})
    head = library.head("/library/1/book/2")
    assert (head.status_code, head.content, head.headers["Content-Length"]) == (200, b"", "5")


def test_the_library_sets_no_session_cookie(library):
    assert "Set-Cookie" not in library.get("/library").headers
