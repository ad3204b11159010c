"""Tutorial 10: Make it a modern single-page application with React.js.

The application of tutorial 9 (same web service at ``/generator``, same
SQLite table and engine listeners) with the HTML and JavaScript replaced:
``/`` answers the tutorial's page, whose React component
(``/static/js/gen.js``, as printed) talks to ``/generator``.

Departures from the printed code (tutorial 9's, which this one reuses, plus):

- The page and the static root come from the tutorial's fixture folder
  (``tutorial_fixtures.path("tut10")``), absolute, whatever the working
  directory. The page is the printed one except that React 0.13.3,
  jQuery 2.1.1 and babel-core 5.8.23 are vendored local copies under
  ``/static/js/`` instead of CDN scripts, so it works offline.
- Everything tutorial 9 lists: database path as a parameter (a temporary
  file per server by default), a start listener that survives a crashed
  run, the latest string wins, ``GET`` answers the bare string, closed
  connections, the page's bytes instead of an open file, RFC 9110
  negotiation and conditional GETs, a checked static root, HttpOnly session
  cookie and a session store of the application's own,
  ``application(production=True)`` hiding tracebacks.
"""

from __future__ import annotations

import os

import cherrypy
import tutorial_fixtures

from .hardening import hardened
from .tut09_database import (
    StringGeneratorWebService,
    cleanup_database,
    setup_database,
    subscriptions,
)

__all__ = [
    "StringGenerator",
    "StringGeneratorWebService",
    "application",
    "cleanup_database",
    "config",
    "setup_database",
    "subscriptions",
]

INDEX_HTML = tutorial_fixtures.path("tut10", "index.html")


class StringGenerator:
    @cherrypy.expose
    def index(self):
        return INDEX_HTML.read_bytes()


config = {
    "/": {
        "tools.sessions.on": True,
        "tools.staticdir.root": str(tutorial_fixtures.path("tut10")),
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
    """Return tutorial 10 as an application to mount at ``/``, keeping its
    strings in the SQLite file ``db_path``. Subscribe :func:`subscriptions`
    before starting the engine."""
    webapp = StringGenerator()
    webapp.generator = StringGeneratorWebService(os.fspath(db_path))
    return cherrypy.Application(webapp, "", hardened(config, production))
