"""Tutorial 11 whose book DELETE answers 204 for an existing book without
deleting it: it still reads back, and its library stays listed."""

import cherrypy

from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"library-delete", "library-listing", "library-shared", "load-latest"}


def deviate() -> None:
    def DELETE(self):
        found = cherrypy.request.db.execute(
            "SELECT 1 FROM book WHERE library=? AND book=?", self.key
        ).fetchone()
        if found is None:
            raise cherrypy.NotFound()
        cherrypy.response.status = 204

    tutorial.Book.DELETE = DELETE
