"""Tutorial 10 whose PUT replaces the string of the session that POSTed last,
not the requester's: a write-back "cache" of one row.  One client alone never
notices (it POSTs, then PUTs its own row), and neither do the examples; two
clients interleaving POST, POST, PUT do: the first client's string lands in
the second client's row.  Under load (many clients at once) it shows at
once: clients read strings others stored, and miss their own latest write."""

import time

import cherrypy

from reference_app import tut09_database as tutorial
from reference_app.tut09_database import connect

TUTORIAL = 10
BREAKS = {"store-model", "store-model-latest", "load-isolation", "load-latest"}


def deviate() -> None:
    service = tutorial.StringGeneratorWebService
    post = service.POST
    last = {"poster": None}

    def POST(self, length=8):
        answer = post(self, length)
        last["poster"] = cherrypy.session.id
        return answer

    def PUT(self, another_string):
        with connect(self.db_string) as c:
            cherrypy.session["ts"] = time.time()
            owner = last["poster"] or cherrypy.session.id
            c.execute("DELETE FROM user_string WHERE session_id=?", [owner])
            c.execute("INSERT INTO user_string VALUES (?, ?)", [owner, another_string])

    service.POST = POST
    service.PUT = PUT
