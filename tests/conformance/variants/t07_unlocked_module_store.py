"""Tutorial 7 whose POST passes the new string through a module-level
variable, read and written without a lock, on its way into the session: one
request at a time it works; when requests overlap, a client can be given the
string another client generated."""

import random
import string
import time

import cherrypy

from reference_app import tut07_rest as tutorial

TUTORIAL = 7
BREAKS = {"load-isolation"}

_latest = {"string": ""}


def deviate() -> None:
    def POST(self, length=8):
        _latest["string"] = "".join(random.sample(string.hexdigits, int(length)))
        time.sleep(0.002)  # a slow store: the window in which requests overlap
        some_string = _latest["string"]
        cherrypy.session["mystring"] = some_string
        return some_string

    tutorial.StringGeneratorWebService.POST = POST
