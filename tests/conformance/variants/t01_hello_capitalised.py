"""Tutorial 1 whose index answers "Hello World!" (a capital W), not "Hello world!"."""

import cherrypy

from reference_app import tut01_basic as tutorial

TUTORIAL = 1
BREAKS = {"root-hello"}


def deviate() -> None:
    @cherrypy.expose
    def index(self):
        return "Hello World!"

    tutorial.HelloWorld.index = index
