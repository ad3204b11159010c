"""Tutorial 6 that refuses a length of 22 with 400: an off-by-one at the top
(``if not 0 <= n < len(string.hexdigits)``).

The alphabet check and the store model draw strings of the longest length,
so they fail too.
"""

import random
import string

import cherrypy

from reference_app import tut06_static as tutorial

TUTORIAL = 6
BREAKS = {"generate-length", "generate-alphabet", "generate-length-property", "store-model"}


def deviate() -> None:
    @cherrypy.expose
    def generate(self, length=8):
        n = int(length)
        if not 0 <= n < len(string.hexdigits):
            raise cherrypy.HTTPError(400, "length must be from 0 to 21")
        some_string = "".join(random.sample(string.hexdigits, n))
        cherrypy.session["mystring"] = some_string
        return some_string

    tutorial.StringGenerator.generate = generate
