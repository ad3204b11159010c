"""Tutorial 4 whose /generate answers only GET (405 to a POST), as a route declared
for GET alone would: the form (a GET form) works, POSTing its fields does not."""

import cherrypy

from reference_app import tut04_forms as tutorial

TUTORIAL = 4
BREAKS = {"form-post"}


def deviate() -> None:
    generate = tutorial.StringGenerator.generate

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET"])
    def get_only(self, length=8):
        return generate(self, length)

    tutorial.StringGenerator.generate = get_only
