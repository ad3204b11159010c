"""Tutorial 11 whose clients each remember the titles they PUT in their
session and read those before the shared library: a client never sees
another's later PUT or DELETE of a book it stored itself."""

import cherrypy

from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"library-shared"}


def deviate() -> None:
    tutorial.config["/library"]["tools.sessions.on"] = True
    get, put, delete = tutorial.Book.GET, tutorial.Book.PUT, tutorial.Book.DELETE

    def GET(self):
        mine = cherrypy.session.get(f"book {self.key}")
        return get(self) if mine is None else mine

    def PUT(self, title=None):
        put(self, title)
        cherrypy.session[f"book {self.key}"] = title

    def DELETE(self):
        cherrypy.session.pop(f"book {self.key}", None)
        delete(self)

    GET._cp_config = get._cp_config
    tutorial.Book.GET, tutorial.Book.PUT, tutorial.Book.DELETE = GET, PUT, DELETE
