"""Tutorial 5 that converts the length with ``int(float(length))``: "1.5" is taken as 1."""

import random
import string

import cherrypy

from reference_app import tut05_sessions as tutorial

TUTORIAL = 5
BREAKS = {"generate-length-invalid", "generate-length-property"}


def deviate() -> None:
    @cherrypy.expose
    def generate(self, length=8):
        some_string = "".join(random.sample(string.hexdigits, int(float(length))))
        cherrypy.session["mystring"] = some_string
        return some_string

    tutorial.StringGenerator.generate = generate
