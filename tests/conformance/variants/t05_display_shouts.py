"""Tutorial 5 whose /display answers the stored string with an exclamation mark added."""

import cherrypy

from reference_app import tut05_sessions as tutorial

TUTORIAL = 5
BREAKS = {"session-readback", "session-latest", "session-isolation", "store-model", "load-latest"}


def deviate() -> None:
    display = tutorial.StringGenerator.display

    @cherrypy.expose
    def shouting(self):
        return display(self) + "!"

    tutorial.StringGenerator.display = shouting
