"""Tutorial 8 whose PUT stores ``another_string`` after a round trip through
the wrong codec (its UTF-8 bytes read as Latin-1): ASCII survives, ``é``
comes back as ``Ã©``.  The examples PUT ``hello`` and ``hello world``; a
generated string with one non-ASCII character finds it."""

import cherrypy

from reference_app import tut08_ajax as tutorial

TUTORIAL = 8
BREAKS = {"rest-put-roundtrip", "store-model"}


def deviate() -> None:
    def PUT(self, another_string):
        cherrypy.session["mystring"] = another_string.encode("utf-8").decode("latin-1")

    tutorial.StringGeneratorWebService.PUT = PUT
