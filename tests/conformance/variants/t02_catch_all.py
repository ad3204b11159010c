"""Tutorial 2 with a catch-all ``default`` handler: every unknown path answers 200 "Hello world!"."""

import cherrypy

from reference_app import tut02_urls as tutorial

TUTORIAL = 2
BREAKS = {"unknown-path-404"}


def deviate() -> None:
    @cherrypy.expose
    def default(self, *args, **kwargs):
        return self.index()

    tutorial.StringGenerator.default = default
