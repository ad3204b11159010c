"""Tutorial 10 whose POST reads ``length`` from the query string only (as
``request.args`` would): the urlencoded body's length is ignored, so every
POST answers 8 characters.

Every check that POSTs a length in the body sees it: the example check of
POST, the two clients of the isolation check (10 and 12 characters), the
length property and the store model.
"""

import random
import string
import urllib.parse

import cherrypy

from reference_app import tut10_react as tutorial

TUTORIAL = 10
BREAKS = {
    "rest-post",
    "session-isolation",
    "generate-length-property",
    "store-model",
    "store-model-latest",
    "page-generate",
}


def deviate() -> None:
    def POST(self, **params):
        query = urllib.parse.parse_qs(cherrypy.request.query_string)
        length = query.get("length", ["8"])[0]
        some_string = "".join(random.sample(string.hexdigits, int(length)))
        self._store(some_string)
        return some_string

    tutorial.StringGeneratorWebService.POST = POST
