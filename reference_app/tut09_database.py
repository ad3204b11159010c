"""Tutorial 9: Data is all my life.

Tutorial 8's application with the string kept in SQLite instead of the
session, one row per session id. Engine listeners create the table when the
engine starts and drop it when it stops; see :func:`subscriptions`.

- ``GET /generator`` answers the session's string, or 200 with an empty body
  when it has none (the printed code's ``fetchone()`` gives None, which
  CherryPy renders as an empty body); 406 unless ``text/plain`` is
  acceptable.
- ``POST`` generates, stores and answers a string; ``PUT`` stores
  ``another_string``; ``DELETE`` forgets it. Each touches the session (the
  tutorial's dummy ``ts``) so that CherryPy keeps it and its id.

Departures from the printed code:

- The database path is a parameter of :func:`application` (the printed
  ``DB_STRING = "my.db"`` is relative to the working directory);
  :mod:`reference_app.server` defaults it to a fresh file in a new temporary
  folder per server, removed when the server stops.
- ``setup_database`` drops any table left by a run that crashed before it
  creates the table (the printed ``CREATE TABLE`` raises if the table
  exists, and an exception in an engine start listener ends the process
  with ``os._exit(70)``); ``cleanup_database`` uses ``DROP TABLE IF EXISTS``
  for the same reason.
- ``POST`` and ``PUT`` replace the session's row (the printed ``POST``
  inserts a second row that ``GET`` never returns, and the printed ``PUT``
  updates nothing when no row exists yet): the latest string wins.
- ``GET`` answers the bare string (the printed code returns the row, a
  1-tuple, which CherryPy renders as its only element).
- Every connection is closed after use (the printed ``with
  sqlite3.connect(...)`` commits but leaves closing to the garbage
  collector, which Python 3.13 reports with a ResourceWarning).
- ``index`` answers the page's bytes (tutorial 8's page, from
  ``tutorial_fixtures``, with jQuery vendored) instead of an open file.
- ``GET`` negotiates with ``tools.rfc_accept`` instead of ``tools.accept``
  (RFC 9110; see :mod:`reference_app.hardening`).
- No ``cherrypy.quickstart``: :mod:`reference_app.server` subscribes the
  listeners and serves the application, on any host and port.
- Hardening: the static root is absolute (tutorial 8's fixture folder) and
  has no sibling sharing its name as a prefix; RFC 9110 conditional GETs
  of static files; HttpOnly session cookie and a session store of the
  application's own; ``application(production=True)`` hides tracebacks.
"""

from __future__ import annotations

import contextlib
import functools
import os
import random
import sqlite3
import string
import time
from collections.abc import Callable, Iterator

import cherrypy
import tutorial_fixtures

from .hardening import hardened  # importing it registers cherrypy.tools.rfc_accept

__all__ = [
    "StringGenerator",
    "StringGeneratorWebService",
    "application",
    "cleanup_database",
    "config",
    "connect",
    "setup_database",
    "subscriptions",
]

INDEX_HTML = tutorial_fixtures.path("tut08", "index.html")


@contextlib.contextmanager
def connect(db_string: str) -> Iterator[sqlite3.Connection]:
    """``with sqlite3.connect(db_string) as c:`` as the tutorial writes it
    (commit, or roll back on an exception), and close the connection."""
    connection = sqlite3.connect(db_string)
    try:
        with connection:
            yield connection
    finally:
        connection.close()


class StringGenerator:
    @cherrypy.expose
    def index(self):
        return INDEX_HTML.read_bytes()


@cherrypy.expose
class StringGeneratorWebService:
    def __init__(self, db_string: str) -> None:
        self.db_string = db_string

    @cherrypy.tools.rfc_accept(media="text/plain")
    def GET(self):
        with connect(self.db_string) as c:
            cherrypy.session["ts"] = time.time()
            r = c.execute("SELECT value FROM user_string WHERE session_id=?", [cherrypy.session.id])
            row = r.fetchone()
        return row[0] if row else ""

    def POST(self, length=8):
        some_string = "".join(random.sample(string.hexdigits, int(length)))
        self._store(some_string)
        return some_string

    def PUT(self, another_string):
        self._store(another_string)

    def DELETE(self):
        cherrypy.session.pop("ts", None)
        with connect(self.db_string) as c:
            c.execute("DELETE FROM user_string WHERE session_id=?", [cherrypy.session.id])

    def _store(self, value: str) -> None:
        """Replace the session's string (one row per session id)."""
        with connect(self.db_string) as c:
            cherrypy.session["ts"] = time.time()
            c.execute("DELETE FROM user_string WHERE session_id=?", [cherrypy.session.id])
            c.execute("INSERT INTO user_string VALUES (?, ?)", [cherrypy.session.id, value])


def setup_database(db_string: str) -> None:
    """Create the ``user_string`` table on server startup (replacing any
    table a crashed run left behind)."""
    with connect(db_string) as con:
        con.execute("DROP TABLE IF EXISTS user_string")
        con.execute("CREATE TABLE user_string (session_id, value)")


def cleanup_database(db_string: str) -> None:
    """Destroy the ``user_string`` table on server shutdown."""
    with connect(db_string) as con:
        con.execute("DROP TABLE IF EXISTS user_string")


config = {
    "/": {
        "tools.sessions.on": True,
        "tools.staticdir.root": str(tutorial_fixtures.path("tut08")),
    },
    "/generator": {
        "request.dispatch": cherrypy.dispatch.MethodDispatcher(),
        "tools.response_headers.on": True,
        "tools.response_headers.headers": [("Content-Type", "text/plain")],
    },
    "/static": {
        "tools.staticdir.on": True,
        "tools.staticdir.dir": "./public",
    },
}


def application(db_path: str | os.PathLike[str], production: bool = False) -> cherrypy.Application:
    """Return tutorial 9 as an application to mount at ``/``, keeping its
    strings in the SQLite file ``db_path``. Subscribe :func:`subscriptions`
    before starting the engine."""
    webapp = StringGenerator()
    webapp.generator = StringGeneratorWebService(os.fspath(db_path))
    return cherrypy.Application(webapp, "", hardened(config, production))


def subscriptions(app: cherrypy.Application) -> list[tuple[str, Callable[[], None]]]:
    """The engine listeners of ``app``: ``(channel, callback)`` pairs, as the
    tutorial's ``cherrypy.engine.subscribe('start', setup_database)`` and
    ``cherrypy.engine.subscribe('stop', cleanup_database)``."""
    db_string = app.root.generator.db_string
    return [
        ("start", functools.partial(setup_database, db_string)),
        ("stop", functools.partial(cleanup_database, db_string)),
    ]
