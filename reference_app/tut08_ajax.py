"""Tutorial 8: Make it smoother with Ajax.

``/`` answers the tutorial's page (``index.html``), whose jQuery code talks
to the web service of tutorial 7, now mounted at ``/generator``; ``/static``
serves the page's stylesheet (which hides ``#the-string``) and script.

Departures from the printed code:

- The page and the static root come from the tutorial's fixture folder
  (``tutorial_fixtures.path("tut08")``), absolute, whatever the working
  directory. The page is the printed one except that jQuery is a vendored
  local copy (2.1.1; 2.0.3 is not on the npm registry) under
  ``/static/js/`` instead of a CDN script, so it works offline.
- ``index`` answers the page's bytes, read on each request, instead of an
  open file object left for the garbage collector to close.
- ``GET /generator`` negotiates with ``tools.rfc_accept`` instead of
  ``tools.accept`` (RFC 9110; see :mod:`reference_app.hardening`).
- No ``cherrypy.quickstart`` under ``if __name__ == '__main__'``: the module
  builds the application (:func:`application`) and
  :mod:`reference_app.server` serves it, on any host and port.
- Hardening: RFC 9110 conditional GETs of static files; the static root
  must have no sibling sharing its name as a prefix; HttpOnly session
  cookie and a session store of the application's own;
  ``application(production=True)`` hides tracebacks in error pages.
"""

from __future__ import annotations

import random
import string

import cherrypy
import tutorial_fixtures

from .hardening import hardened  # importing it registers cherrypy.tools.rfc_accept

__all__ = ["StringGenerator", "StringGeneratorWebService", "application", "config"]

INDEX_HTML = tutorial_fixtures.path("tut08", "index.html")


class StringGenerator:
    @cherrypy.expose
    def index(self):
        return INDEX_HTML.read_bytes()


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


def application(production: bool = False) -> cherrypy.Application:
    """Return tutorial 8 as an application to mount at ``/``."""
    webapp = StringGenerator()
    webapp.generator = StringGeneratorWebService()
    return cherrypy.Application(webapp, "", hardened(config, production))
