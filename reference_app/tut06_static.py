"""Tutorial 6: What about my javascripts, CSS and images?

The page of tutorial 5 now links ``/static/css/style.css``, and everything
under ``/static`` is served from the tutorial's ``public`` folder (with the
media type from the file's extension: ``text/css`` for the stylesheet).

Departures from the printed code:

- The static root is absolute and does not depend on the working
  directory: ``tools.staticdir.root`` is the tutorial's fixture folder
  (``tutorial_fixtures.path("tut06")``) instead of ``os.getcwd()``; the
  stylesheet there is the one the tutorial prints.
- No ``cherrypy.quickstart`` under ``if __name__ == '__main__'``: the module
  builds the application (:func:`application`) and
  :mod:`reference_app.server` serves it, on any host and port.
- Hardening (:mod:`reference_app.hardening`): conditional GETs of static
  files follow RFC 9110 (304 for an ``If-Modified-Since`` not earlier than
  ``Last-Modified``); building the application fails if an entry beside the
  static root shares its name as a prefix (CherryPy's traversal check is a
  bare prefix test); the session cookie is HttpOnly and the application's
  sessions live in a store of its own; ``application(production=True)``
  hides tracebacks in error pages.
"""

from __future__ import annotations

import random
import string

import cherrypy
import tutorial_fixtures

from .hardening import hardened

__all__ = ["StringGenerator", "application", "config"]


class StringGenerator:
    @cherrypy.expose
    def index(self):
        return """<html>
          <head>
            <link href="/static/css/style.css" rel="stylesheet">
          </head>
          <body>
            <form method="get" action="generate">
              <input type="text" value="8" name="length" />
              <button type="submit">Give it now!</button>
            </form>
          </body>
        </html>"""

    @cherrypy.expose
    def generate(self, length=8):
        some_string = "".join(random.sample(string.hexdigits, int(length)))
        cherrypy.session["mystring"] = some_string
        return some_string

    @cherrypy.expose
    def display(self):
        return cherrypy.session["mystring"]


config = {
    "/": {
        "tools.sessions.on": True,
        "tools.staticdir.root": str(tutorial_fixtures.path("tut06")),
    },
    "/static": {
        "tools.staticdir.on": True,
        "tools.staticdir.dir": "./public",
    },
}


def application(production: bool = False) -> cherrypy.Application:
    """Return tutorial 6 as an application to mount at ``/``."""
    return cherrypy.Application(StringGenerator(), "", hardened(config, production))
