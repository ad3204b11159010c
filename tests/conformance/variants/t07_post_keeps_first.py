"""Tutorial 7 whose POST stores a string only if the session holds none yet
(``cherrypy.session.setdefault``): a second POST answers a string it never stores."""

import random
import string

import cherrypy

from reference_app import tut07_rest as tutorial

TUTORIAL = 7
BREAKS = {"rest-post-replaces", "store-model"}


def deviate() -> None:
    def POST(self, length=8):
        some_string = "".join(random.sample(string.hexdigits, int(length)))
        cherrypy.session.setdefault("mystring", some_string)
        return some_string

    tutorial.StringGeneratorWebService.POST = POST
