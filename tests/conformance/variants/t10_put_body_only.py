"""Tutorial 10 whose PUT reads ``another_string`` from the request body only: a PUT
with the query string of tutorial 7's transcript fails (500)."""

import cherrypy

from reference_app import tut10_react as tutorial

TUTORIAL = 10
BREAKS = {
    "rest-put-query",
    "rest-accept-get-only",
    "rest-put-roundtrip",
    "store-model",
    "store-model-latest",
}


def deviate() -> None:
    def PUT(self, **params):
        self._store(cherrypy.request.body.params["another_string"])

    tutorial.StringGeneratorWebService.PUT = PUT
