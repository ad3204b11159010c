"""Tutorial 11: Organize my code.

The tutorial prints no code: it names three mechanisms (a plugin for the
backend, tools for per-request work, dispatchers to pick the handler) with
the image of a superstore. Here they organise tutorial 9's application, and
the dispatcher serves the RESTful URLs the tutorial 7 note mentions,
``/library/12/book/15``.

Plugin: :class:`Database`, a ``SimplePlugin`` on the engine bus, owns the
SQLite file. On ``start`` it creates the schema (dropping tables a crashed
run left behind); on ``stop`` it drops the tables and closes its
connections. Requests borrow connections from its lock-guarded pool
(``check_same_thread=False``, each connection used by one thread at a time),
so no connection is opened per call as in tutorial 9.

Tools: ``tools.database`` runs the page handler inside one transaction on a
pooled connection, reachable as ``cherrypy.request.db`` (commit on success,
roll back on an exception, connection returned to the pool);
``tools.keep_session`` touches the session before the handler so CherryPy
keeps it and its id (tutorial 9 writes a dummy ``ts`` in every handler).

Dispatcher: ``/library`` uses :class:`LibraryDispatcher`, a
``MethodDispatcher`` whose resources are found by ``_cp_dispatch`` (the
RESTful recipe of CherryPy's advanced docs) and which answers 404 for every
path under ``/library`` that is not one of the three below.

HTTP behaviour (what a conformance catalogue can state)
--------------------------------------------------------

``/``, ``/static/...`` and ``/generator`` behave exactly as in tutorial 9
(tutorial 8's page; the string store keyed by session, 200 with an empty
body before anything is stored, the latest string wins; a fresh SQLite
table per start).

The library is data shared by every client (no session), kept in the same
SQLite file and dropped at stop. An *id* is a path segment in canonical
decimal: ``0`` or a digit 1-9 followed by at most 17 digits (so
``/library/012``, ``/library/-1``, ``/library/1e3``, ``/library/x`` are not
ids). Every path under ``/library`` other than the three below, with an
optional trailing slash, answers 404 (a non-numeric or non-canonical id, a
missing or extra segment, ``/library/12/books/15``). CherryPy merges repeated
slashes before dispatching: ``/library//12`` is ``/library/12`` (INFO).

``GET /library``
    200 ``text/plain; charset=utf-8``: the ids of the libraries that hold at
    least one book, ascending, each followed by ``\\n`` (empty body if none).
``GET /library/{lib}``
    200 ``text/plain``: the ids of the library's books, ascending, each
    followed by ``\\n``; 404 if the library holds no book.
``GET /library/{lib}/book/{book}``
    200 ``text/plain; charset=utf-8``: the book's title; 404 if there is no
    such book.
``PUT /library/{lib}/book/{book}`` with ``title`` (query string or
urlencoded body; any text, empty included)
    stores the title: 201 if the book did not exist, 204 if it replaced a
    title; empty body. 400 if ``title`` is missing or given more than once.
``DELETE /library/{lib}/book/{book}``
    204 and the book is gone; 404 if there was no such book.

HEAD is GET without the body. Other methods answer 405 with ``Allow``:
``GET, HEAD`` for ``/library`` and ``/library/{lib}``, ``DELETE, GET, HEAD,
PUT`` for a book. Every GET (and HEAD) answers 406 unless ``text/plain`` is
acceptable (``tools.rfc_accept``). Parameters a handler does not declare
get CherryPy's answers (404 in the query string, 400 in a body): INFO.

Departures from tutorial 9's printed code, besides the organisation above:
everything :mod:`reference_app.tut09_database` lists (database path as a
parameter, a start that survives a crashed run, the latest string wins,
bare string answers, closed connections, the page's bytes, RFC 9110
negotiation and conditional GETs, checked static root, HttpOnly cookie and
own session store, ``production``), and the ``user_string`` table has
``session_id`` as its primary key so that storing is one ``INSERT OR
REPLACE``.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import sqlite3
import string
import threading
import time
from collections.abc import Callable, Iterator

import cherrypy
import tutorial_fixtures
from cherrypy.process import plugins, wspbus

from .hardening import hardened  # importing it registers cherrypy.tools.rfc_accept

__all__ = [
    "Book",
    "Database",
    "Libraries",
    "Library",
    "LibraryDispatcher",
    "StringGenerator",
    "StringGeneratorWebService",
    "application",
    "config",
    "subscriptions",
]

INDEX_HTML = tutorial_fixtures.path("tut08", "index.html")

# ------------------------------------------------------------------ plugin --

SCHEMA = (
    "CREATE TABLE user_string (session_id TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE book (library INTEGER NOT NULL, book INTEGER NOT NULL,"
    " title TEXT NOT NULL, PRIMARY KEY (library, book))",
)
TABLES = ("user_string", "book")


class Database(plugins.SimplePlugin):
    """The superstore's crew: owns the SQLite database while the engine runs."""

    def __init__(self, bus: wspbus.Bus, db_path: str | os.PathLike[str]) -> None:
        super().__init__(bus)
        self.db_path = os.fspath(db_path)
        self._lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._open = False

    def start(self) -> None:
        """Create the schema, replacing tables a crashed run left behind."""
        self.bus.log(f"Creating the tables in {self.db_path}")
        self._open = True
        with self.connection() as db:
            for table in TABLES:
                db.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in SCHEMA:
                db.execute(statement)

    def stop(self) -> None:
        """Drop the tables and close every pooled connection."""
        self.bus.log(f"Dropping the tables in {self.db_path}")
        with self.connection() as db:
            for table in TABLES:
                db.execute(f"DROP TABLE IF EXISTS {table}")
        with self._lock:
            self._open = False
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    @property
    def idle_connections(self) -> int:
        """How many pooled connections are waiting to be lent."""
        with self._lock:
            return len(self._idle)

    @contextlib.contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """Lend a connection for one transaction (commit, or roll back on an
        exception); it goes back to the pool, or is closed if the plugin has
        stopped meanwhile."""
        with self._lock:
            connection = self._idle.pop() if self._idle else None
        if connection is None:
            connection = sqlite3.connect(self.db_path, check_same_thread=False)
        try:
            with connection:
                yield connection
        finally:
            with self._lock:
                if self._open:
                    self._idle.append(connection)
                    connection = None
            if connection is not None:
                connection.close()


# ------------------------------------------------------------------- tools --


def _in_transaction(plugin: Database) -> None:
    """before_handler: run the handler on a pooled connection, in one transaction."""
    request = cherrypy.serving.request
    handler = request.handler

    def handler_in_transaction(*args, **kwargs):
        with plugin.connection() as request.db:
            return handler(*args, **kwargs)

    request.handler = handler_in_transaction


def _keep_session() -> None:
    """before_handler: touch the session so that CherryPy saves it, and keeps its id."""
    cherrypy.session["ts"] = time.time()


cherrypy.tools.database = cherrypy.Tool("before_handler", _in_transaction)
cherrypy.tools.keep_session = cherrypy.Tool("before_handler", _keep_session)

# -------------------------------------------------------------- handlers --


class StringGenerator:
    @cherrypy.expose
    def index(self):
        return INDEX_HTML.read_bytes()


@cherrypy.expose
class StringGeneratorWebService:
    """Tutorial 9's web service, with the plugin and the tools doing the chores."""

    @cherrypy.tools.rfc_accept(media="text/plain")
    def GET(self):
        row = cherrypy.request.db.execute(
            "SELECT value FROM user_string WHERE session_id=?", [cherrypy.session.id]
        ).fetchone()
        return row[0] if row else ""

    def POST(self, length=8):
        some_string = "".join(random.sample(string.hexdigits, int(length)))
        self._store(some_string)
        return some_string

    def PUT(self, another_string):
        self._store(another_string)

    def DELETE(self):
        cherrypy.request.db.execute(
            "DELETE FROM user_string WHERE session_id=?", [cherrypy.session.id]
        )

    @staticmethod
    def _store(value: str) -> None:
        cherrypy.request.db.execute(
            "INSERT OR REPLACE INTO user_string VALUES (?, ?)", [cherrypy.session.id, value]
        )


_ID = "(?:0|[1-9][0-9]{0,17})"
_RESOURCE = re.compile(f"(?P<library>{_ID})(?:/book/(?P<book>{_ID}))?")
LIBRARY_PATH = re.compile(f"/library(?:/{_RESOURCE.pattern})?/?")
"""The paths under /library that name a resource."""


def _ids_text(rows: Iterator[tuple[int]]) -> str:
    return "".join(f"{number}\n" for (number,) in rows)


@cherrypy.expose
class Libraries:
    """``/library``: the libraries that hold at least one book."""

    @cherrypy.tools.rfc_accept(media="text/plain")
    def GET(self):
        return _ids_text(
            cherrypy.request.db.execute("SELECT DISTINCT library FROM book ORDER BY library")
        )

    def _cp_dispatch(self, vpath: list[str]):
        """``/library/{lib}`` and ``/library/{lib}/book/{book}``: consume the
        virtual path and answer the resource it names (None if it names none:
        :class:`LibraryDispatcher` then answers 404)."""
        match = _RESOURCE.fullmatch("/".join(vpath))
        if match is None:
            return None
        del vpath[:]
        library = int(match["library"])
        if match["book"] is None:
            return Library(library)
        return Book(library, int(match["book"]))


@cherrypy.expose
class Library:
    """``/library/{lib}``: the ids of the library's books."""

    def __init__(self, library: int) -> None:
        self.library = library

    @cherrypy.tools.rfc_accept(media="text/plain")
    def GET(self):
        text = _ids_text(
            cherrypy.request.db.execute(
                "SELECT book FROM book WHERE library=? ORDER BY book", [self.library]
            )
        )
        if not text:
            raise cherrypy.NotFound()
        return text


@cherrypy.expose
class Book:
    """``/library/{lib}/book/{book}``: one book's title."""

    def __init__(self, library: int, book: int) -> None:
        self.key = [library, book]

    @cherrypy.tools.rfc_accept(media="text/plain")
    def GET(self):
        row = cherrypy.request.db.execute(
            "SELECT title FROM book WHERE library=? AND book=?", self.key
        ).fetchone()
        if row is None:
            raise cherrypy.NotFound()
        return row[0]

    def PUT(self, title=None):
        if not isinstance(title, str):
            raise cherrypy.HTTPError(400, "Give the book's title once, as the title parameter.")
        replaced = cherrypy.request.db.execute(
            "UPDATE book SET title=? WHERE library=? AND book=?", [title, *self.key]
        ).rowcount
        if not replaced:
            cherrypy.request.db.execute("INSERT INTO book VALUES (?, ?, ?)", [*self.key, title])
        cherrypy.response.status = 204 if replaced else 201

    def DELETE(self):
        deleted = cherrypy.request.db.execute(
            "DELETE FROM book WHERE library=? AND book=?", self.key
        ).rowcount
        if not deleted:
            raise cherrypy.NotFound()
        cherrypy.response.status = 204


class LibraryDispatcher(cherrypy.dispatch.MethodDispatcher):
    """A ``MethodDispatcher`` that answers 404 for any path under ``/library``
    that does not name a resource (see :data:`LIBRARY_PATH`), instead of
    letting the object tree's other attributes or a leftover segment pick
    a handler."""

    def __call__(self, path_info: str) -> None:
        super().__call__(path_info)
        if LIBRARY_PATH.fullmatch(path_info) is None:
            cherrypy.serving.request.handler = cherrypy.NotFound()
            cherrypy.serving.response.headers.pop("Allow", None)


# ------------------------------------------------------------------ config --

config = {
    "/": {
        "tools.sessions.on": True,
        "tools.staticdir.root": str(tutorial_fixtures.path("tut08")),
    },
    "/generator": {
        "request.dispatch": cherrypy.dispatch.MethodDispatcher(),
        "tools.response_headers.on": True,
        "tools.response_headers.headers": [("Content-Type", "text/plain")],
        "tools.database.on": True,
        "tools.keep_session.on": True,
    },
    "/library": {
        "request.dispatch": LibraryDispatcher(),
        "tools.response_headers.on": True,
        "tools.response_headers.headers": [("Content-Type", "text/plain")],
        "tools.database.on": True,
        "tools.sessions.on": False,
    },
    "/static": {
        "tools.staticdir.on": True,
        "tools.staticdir.dir": "./public",
    },
}
"""The application's config; :func:`application` adds ``tools.database.plugin``."""


def application(db_path: str | os.PathLike[str], production: bool = False) -> cherrypy.Application:
    """Return tutorial 11 as an application to mount at ``/``, with a
    :class:`Database` plugin for the SQLite file ``db_path``. Subscribe
    :func:`subscriptions` before starting the engine."""
    database = Database(cherrypy.engine, db_path)
    webapp = StringGenerator()
    webapp.generator = StringGeneratorWebService()
    webapp.library = Libraries()
    conf = {**config, "/": {**config["/"], "tools.database.plugin": database}}
    return cherrypy.Application(webapp, "", hardened(conf, production))


def subscriptions(app: cherrypy.Application) -> list[tuple[str, Callable[[], None]]]:
    """The engine listeners of ``app``: its :class:`Database` plugin's
    ``start`` and ``stop`` (what ``plugin.subscribe()`` subscribes)."""
    database = app.config["/"]["tools.database.plugin"]
    return [("start", database.start), ("stop", database.stop)]
