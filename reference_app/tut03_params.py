"""Tutorial 3: My URLs have parameters.

``/generate?length=16`` answers 16 distinct characters of
``string.hexdigits``; without the parameter the default, 8, applies. The
value is converted with ``int(length)``, so anything ``int()`` refuses, a
negative number or more than 22 (the size of ``string.hexdigits``) is an
unhandled exception: 500.

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
    def generate(self, length=8):
        return "".join(random.sample(string.hexdigits, int(length)))


config: dict = {}
"""The printed tutorial mounts its root with no config at all."""


def application(production: bool = False) -> cherrypy.Application:
    """Return tutorial 3 as an application to mount at ``/``."""
    return cherrypy.Application(StringGenerator(), "", hardened(config, production))
