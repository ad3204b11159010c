"""Tutorial 9 that keys each string by the session id *and* the client's TCP
port: a client keeps reading its string while its keep-alive connection
lives, and reads nothing on a new connection with the same cookie."""

import time

import cherrypy

from reference_app import tut09_database as tutorial

TUTORIAL = 9
BREAKS = {"lifecycle-new-connection", "page-generate", "page-replace", "page-delete"}
#: Under load a client's keep-alive connection is sometimes replaced, and its next read
#: then misses its latest write; whether that happens within the bounded load is chance.
MAY_BREAK = {"load-latest"}


def _key() -> str:
    return f"{cherrypy.session.id}:{cherrypy.request.remote.port}"


def deviate() -> None:
    service = tutorial.StringGeneratorWebService
    get = service.GET

    def GET(self):
        with tutorial.connect(self.db_string) as c:
            cherrypy.session["ts"] = time.time()
            row = c.execute("SELECT value FROM user_string WHERE session_id=?", [_key()]).fetchone()
        return row[0] if row else ""

    def DELETE(self):
        cherrypy.session.pop("ts", None)
        with tutorial.connect(self.db_string) as c:
            c.execute("DELETE FROM user_string WHERE session_id=?", [_key()])

    def _store(self, value):
        with tutorial.connect(self.db_string) as c:
            cherrypy.session["ts"] = time.time()
            c.execute("DELETE FROM user_string WHERE session_id=?", [_key()])
            c.execute("INSERT INTO user_string VALUES (?, ?)", [_key(), value])

    GET.__dict__.update(get.__dict__)  # the tools.rfc_accept decoration
    service.GET, service.DELETE, service._store = GET, DELETE, _store
