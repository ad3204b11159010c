"""Tutorial 10 whose POST refuses a length of 22 with 400: an off-by-one at the top
(``if not 0 <= n < len(string.hexdigits)``).

The store model POSTs the longest length too, so it fails as well.
"""

import random
import string

import cherrypy

from reference_app import tut10_react as tutorial

TUTORIAL = 10
BREAKS = {"rest-post", "store-model", "store-model-latest"}


def deviate() -> None:
    def POST(self, length=8):
        n = int(length)
        if not 0 <= n < len(string.hexdigits):
            raise cherrypy.HTTPError(400, "length must be from 0 to 21")
        some_string = "".join(random.sample(string.hexdigits, n))
        self._store(some_string)
        return some_string

    tutorial.StringGeneratorWebService.POST = POST
