"""Tutorial 9 whose POST inserts a row without replacing the session's earlier one,
as the printed code does: GET keeps answering the first string.

The MUST store model allows this (the printed code does it); its SHOULD
counterpart does not.
"""

import random
import string
import time

import cherrypy

from reference_app import tut09_database as tutorial

TUTORIAL = 9
BREAKS = {"store-post-replaces", "store-model-latest"}


def deviate() -> None:
    def POST(self, length=8):
        some_string = "".join(random.sample(string.hexdigits, int(length)))
        with tutorial.connect(self.db_string) as c:
            cherrypy.session["ts"] = time.time()
            c.execute("INSERT INTO user_string VALUES (?, ?)", [cherrypy.session.id, some_string])
        return some_string

    tutorial.StringGeneratorWebService.POST = POST
