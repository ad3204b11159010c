"""Tutorial 11 whose static handler opens the requested file unchecked: a missing
file raises ``FileNotFoundError`` (500) instead of answering 404."""

import cherrypy

from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"static-missing-404"}


def deviate() -> None:
    assert tutorial.config["/static"]["tools.staticdir.on"]
    staticdir = cherrypy.tools.staticdir.callable

    def open_unchecked(*args, **kwargs):
        handled = staticdir(*args, **kwargs)
        if not handled and cherrypy.serving.request.method in ("GET", "HEAD"):
            raise FileNotFoundError(cherrypy.serving.request.path_info)
        return handled

    cherrypy.tools.staticdir.callable = open_unchecked
