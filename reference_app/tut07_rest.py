"""Tutorial 7: Give us a REST.

One resource at ``/`` with a method per HTTP verb (``MethodDispatcher``),
the string kept in the client's session, every answer forced to
``Content-Type: text/plain``:

- ``GET`` answers the stored string; 500 if nothing is stored (the printed
  code's ``KeyError``); 406 if the client does not accept ``text/plain``;
- ``POST`` generates, stores and answers a string (``length``, default 8);
- ``PUT`` stores ``another_string`` (query string or urlencoded body);
- ``DELETE`` forgets the string;
- any other method (PATCH, OPTIONS) is 405 with an ``Allow`` header
  (``DELETE, GET, HEAD, POST, PUT``); HEAD is GET without the body.

Departures from the printed code:

- ``GET`` negotiates with ``tools.rfc_accept`` instead of ``tools.accept``
  (RFC 9110: the most specific matching media range decides, so
  ``text/plain;q=0, */*`` is refused; media types compare
  case-insensitively); see :mod:`reference_app.hardening`. Still on GET only.
- No ``cherrypy.quickstart`` under ``if __name__ == '__main__'``: the module
  builds the application (:func:`application`) and
  :mod:`reference_app.server` serves it, on any host and port.
- Hardening: the session cookie is HttpOnly and the application's sessions
  live in a store of its own; ``application(production=True)`` hides
  tracebacks in error pages.
"""

from __future__ import annotations

import random
import string

import cherrypy

from .hardening import hardened  # importing it registers cherrypy.tools.rfc_accept

__all__ = ["StringGeneratorWebService", "application", "config"]


@cherrypy.expose
class StringGeneratorWebService:
    @cherrypy.tools.rfc_accept(media="text/plain")
    def GET(self):
        return cherrypy.session["mystring"]

    def POST(self, length=8):
        some_string = "".join(random.sample(string.hexdigits, int(length)))
        cherrypy.session["mystring"] = some_string
        return some_string

    def PUT(self, another_string):
        cherrypy.session["mystring"] = another_string

    def DELETE(self):
        cherrypy.session.pop("mystring", None)


config = {
    "/": {
        "request.dispatch": cherrypy.dispatch.MethodDispatcher(),
        "tools.sessions.on": True,
        "tools.response_headers.on": True,
        "tools.response_headers.headers": [("Content-Type", "text/plain")],
    }
}


def application(production: bool = False) -> cherrypy.Application:
    """Return tutorial 7 as an application to mount at ``/``."""
    return cherrypy.Application(StringGeneratorWebService(), "", hardened(config, production))
