"""Tutorial 8 whose PUT reads ``another_string`` from the query string only: a PUT
with a urlencoded body fails (500)."""

import urllib.parse

import cherrypy

from reference_app import tut08_ajax as tutorial

TUTORIAL = 8
BREAKS = {"rest-put-form", "rest-put-roundtrip", "store-model", "page-replace", "load-answers"}


def deviate() -> None:
    def PUT(self, **params):
        query = urllib.parse.parse_qs(cherrypy.request.query_string)
        cherrypy.session["mystring"] = query["another_string"][0]

    tutorial.StringGeneratorWebService.PUT = PUT
