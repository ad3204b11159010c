"""Tutorial 9 whose GET answers ``fetchone()[0]`` unguarded: with no row stored
it raises ``TypeError`` (500) instead of answering 200 with an empty body.

Every read of an empty store fails that way: a fresh client, after DELETE,
and a client presenting a forged session id.
"""

import time

import cherrypy

from reference_app import tut09_database as tutorial

TUTORIAL = 9
BREAKS = {
    "rest-nothing-stored",
    "rest-delete",
    "session-forged-id",
    "store-model",
    "store-model-latest",
    "page-delete",
    "page-isolation",
    "load-answers",
}


def deviate() -> None:
    @cherrypy.tools.rfc_accept(media="text/plain")
    def GET(self):
        with tutorial.connect(self.db_string) as c:
            cherrypy.session["ts"] = time.time()
            r = c.execute("SELECT value FROM user_string WHERE session_id=?", [cherrypy.session.id])
            return r.fetchone()[0]

    tutorial.StringGeneratorWebService.GET = GET
