"""Tutorial 4: Submit this form.

``/`` answers an HTML form whose GET submission,
``generate?length=<field>``, reaches the handler of tutorial 3; a POST of
the same fields as a urlencoded body reaches it too (CherryPy passes query
and body parameters alike).

Departures from the printed code:

- No ``cherrypy.quickstart`` under ``if __name__ == '__main__'``: the module
  builds the application (:func:`application`) and
  :mod:`reference_app.server` serves it, on any host and port.
- ``application(production=True)`` hides tracebacks in error pages
  (:mod:`reference_app.hardening`).
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
        return "".join(random.sample(string.hexdigits, int(length)))


config: dict = {}
"""The printed tutorial mounts its root with no config at all."""


def application(production: bool = False) -> cherrypy.Application:
    """Return tutorial 4 as an application to mount at ``/``."""
    return cherrypy.Application(StringGenerator(), "", hardened(config, production))
