"""Tutorial 4 whose /generate reads a zero length as "use the default":
``int(length) or 8``, so ``length=0`` answers 8 characters instead of none.
Only a generated length finds it: the examples ask for 1 to 22 and for
invalid values, never for 0 in any spelling."""

import random
import string

import cherrypy

from reference_app import tut04_forms as tutorial

TUTORIAL = 4
BREAKS = {"generate-length-property"}


def deviate() -> None:
    @cherrypy.expose
    def generate(self, length=8):
        return "".join(random.sample(string.hexdigits, int(length) or 8))

    tutorial.StringGenerator.generate = generate
