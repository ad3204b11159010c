"""Tutorial 5: Track my end-user's activity.

``/generate`` also stores the string in the client's session and
``/display`` answers it back. Reading before anything was stored is the
printed code's ``KeyError``: 500.

Departures from the printed code:

- No ``cherrypy.quickstart`` under ``if __name__ == '__main__'``: the module
  builds the application (:func:`application`) and
  :mod:`reference_app.server` serves it, on any host and port.
- Hardening (:mod:`reference_app.hardening`): the session cookie is
  HttpOnly; the application keeps its sessions in a store of its own
  (CherryPy's in-memory store is otherwise shared by every application of
  the process) that purges expired sessions without a background thread;
  ``application(production=True)`` hides tracebacks in error pages.
"""

from __future__ import annotations

import random
import string

import cherrypy

from .hardening import hardened

__all__ = ["StringGenerator", "application", "config"]


class StringGenerator:
    @cherrypy.expose
    def index(self):
        return """<html>
          <head></head>
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
    }
}


def application(production: bool = False) -> cherrypy.Application:
    """Return tutorial 5 as an application to mount at ``/``."""
    return cherrypy.Application(StringGenerator(), "", hardened(config, production))
