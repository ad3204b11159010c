"""Tutorial 6 whose static files answer GET only: HEAD falls through to the
page handlers, which answer 404."""

import cherrypy

from reference_app import tut06_static as tutorial

TUTORIAL = 6
BREAKS = {"static-head"}


def deviate() -> None:
    assert tutorial.config["/static"]["tools.staticdir.on"]
    staticdir = cherrypy.tools.staticdir.callable

    def get_only(*args, **kwargs):
        if cherrypy.serving.request.method != "GET":
            return False
        return staticdir(*args, **kwargs)

    cherrypy.tools.staticdir.callable = get_only
