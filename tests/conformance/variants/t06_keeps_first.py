"""Tutorial 6 whose /generate stores a string only if the session holds none yet
(``cherrypy.session.setdefault``): a second string is answered but never stored."""

import random
import string

import cherrypy

from reference_app import tut06_static as tutorial

TUTORIAL = 6
BREAKS = {"session-latest", "store-model", "load-latest"}


def deviate() -> None:
    @cherrypy.expose
    def generate(self, length=8):
        some_string = "".join(random.sample(string.hexdigits, int(length)))
        cherrypy.session.setdefault("mystring", some_string)
        return some_string

    tutorial.StringGenerator.generate = generate
