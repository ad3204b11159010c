"""Tutorial 1: A basic web application.

One exposed ``index`` method answers ``/`` with "Hello world!".

Departures from the printed code:

- No ``cherrypy.quickstart`` under ``if __name__ == '__main__'``: the module
  builds the application (:func:`application`) and
  :mod:`reference_app.server` serves it, on any host and port
  (``python -m reference_app serve 1`` behaves like the printed script).
- ``application(production=True)`` hides tracebacks in error pages
  (:mod:`reference_app.hardening`).
"""

from __future__ import annotations

import cherrypy

from .hardening import hardened

__all__ = ["HelloWorld", "application", "config"]


class HelloWorld:
    @cherrypy.expose
    def index(self):
        return "Hello world!"


config: dict = {}
"""The printed tutorial mounts its root with no config at all."""


def application(production: bool = False) -> cherrypy.Application:
    """Return tutorial 1 as an application to mount at ``/``."""
    return cherrypy.Application(HelloWorld(), "", hardened(config, production))
