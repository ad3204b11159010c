"""Tutorial 7 whose DELETE pops a misspelt session key (``"my_string"``): it answers
success and forgets nothing."""

import cherrypy

from reference_app import tut07_rest as tutorial

TUTORIAL = 7
BREAKS = {"rest-transcript", "rest-delete", "store-model", "load-latest"}


def deviate() -> None:
    def DELETE(self):
        cherrypy.session.pop("my_string", None)

    tutorial.StringGeneratorWebService.DELETE = DELETE
