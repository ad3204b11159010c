"""Tutorial 11 that lists a library's books in descending order."""

import cherrypy

from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"library-listing"}


def deviate() -> None:
    get = tutorial.Library.GET

    def GET(self):
        text = tutorial._ids_text(
            cherrypy.request.db.execute(
                "SELECT book FROM book WHERE library=? ORDER BY book DESC", [self.library]
            )
        )
        if not text:
            raise cherrypy.NotFound()
        return text

    GET._cp_config = get._cp_config
    tutorial.Library.GET = GET
