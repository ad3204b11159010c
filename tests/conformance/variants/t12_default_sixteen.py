"""Tutorial 12 whose /generate answers 16 characters (the length of tutorial 3's
``?length=16`` example) instead of 8."""

import random
import string

import cherrypy

from reference_app import tut12_testing as tutorial

TUTORIAL = 12
BREAKS = {"generate-default-length"}


def deviate() -> None:
    @cherrypy.expose
    def generate(self):
        return "".join(random.sample(string.hexdigits, 16))

    tutorial.StringGenerator.generate = generate
