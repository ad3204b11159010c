"""Tutorial 9 whose GET negotiates with CherryPy's own ``tools.accept`` (as printed)
instead of RFC 9110: media types compare case-sensitively and
``text/plain;q=0, */*`` is accepted."""

import cherrypy

from reference_app import tut09_database as tutorial

TUTORIAL = 9
BREAKS = {"rest-accept-rfc", "rest-accept-rfc-property"}


def deviate() -> None:
    get = tutorial.StringGeneratorWebService.GET

    @cherrypy.tools.accept(media="text/plain")
    def GET(self):
        return get(self)

    tutorial.StringGeneratorWebService.GET = GET
