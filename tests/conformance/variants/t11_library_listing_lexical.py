"""Tutorial 11 that lists a library's books in the lexical order of their
ids as text (``16`` before ``2``), as ids stored as text or JavaScript's
default sort give."""

import cherrypy

from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"library-listing"}


def deviate() -> None:
    get = tutorial.Library.GET

    def GET(self):
        text = tutorial._ids_text(
            cherrypy.request.db.execute(
                "SELECT book FROM book WHERE library=? ORDER BY CAST(book AS TEXT)",
                [self.library],
            )
        )
        if not text:
            raise cherrypy.NotFound()
        return text

    GET._cp_config = get._cp_config
    tutorial.Library.GET = GET
