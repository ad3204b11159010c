"""Tutorial 9 whose static files carry no ``Last-Modified`` (so no conditional GET
can answer 304)."""

import cherrypy

from reference_app import tut09_database as tutorial

TUTORIAL = 9
BREAKS = {"static-conditional-get"}


def deviate() -> None:
    assert tutorial.config["/static"]["tools.staticdir.on"]
    staticdir = cherrypy.tools.staticdir.callable

    def without_last_modified(*args, **kwargs):
        handled = staticdir(*args, **kwargs)
        cherrypy.serving.response.headers.pop("Last-Modified", None)
        return handled

    cherrypy.tools.staticdir.callable = without_last_modified
