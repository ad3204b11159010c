"""Tutorial 12: Using pytest and code coverage.

Tutorial 2's application again, now with a test module: the tutorial's
``CPWebCase`` test is ``tests/reference_app/test_tut12.py``, and the
coverage run it describes is the repository's own
(``--cov=reference_app --cov-branch``).

Departures from the printed code:

- No ``cherrypy.quickstart`` under ``if __name__ == '__main__':  # pragma:
  no cover``: the module builds the application (:func:`application`) and
  :mod:`reference_app.server` serves it, on any host and port, so there is
  no unreachable line to exclude from coverage.
- ``application(production=True)`` hides tracebacks in error pages.
- The test module differs from the printed one where it must (see its
  docstring): it imports ``StringGenerator`` from this module instead of
  ``tut12``, binds an ephemeral port instead of CPWebCase's fixed 54583,
  and runs in a pytest process of its own.
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
    """Return tutorial 12 as an application to mount at ``/``."""
    return cherrypy.Application(StringGenerator(), "", hardened(config, production))
