"""Tutorial 2: Different URLs lead to different functions.

``/`` is handled by ``index`` and ``/generate`` by ``generate``, which answers
8 distinct characters drawn at random from ``string.hexdigits``.

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
        return "Hello world!"

    @cherrypy.expose
    def generate(self):
        return "".join(random.sample(string.hexdigits, 8))


config: dict = {}
"""The printed tutorial mounts its root with no config at all."""


def application(production: bool = False) -> cherrypy.Application:
    """Return tutorial 2 as an application to mount at ``/``."""
    return cherrypy.Application(StringGenerator(), "", hardened(config, production))
