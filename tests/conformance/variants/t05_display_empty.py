"""Tutorial 5 whose /display answers 200 with an empty body when nothing is stored
(``cherrypy.session.get("mystring", "")``) instead of an error.

A client presenting a forged session id reads through the same path, so the
forged-id check (which expects the empty store's error) fails too.
"""

import cherrypy

from reference_app import tut05_sessions as tutorial

TUTORIAL = 5
BREAKS = {"session-nothing-stored", "session-forged-id", "store-model"}


def deviate() -> None:
    @cherrypy.expose
    def display(self):
        return cherrypy.session.get("mystring", "")

    tutorial.StringGenerator.display = display
