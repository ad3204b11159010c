"""Tutorial 11 whose store replaces a string with ``DELETE FROM user_string``
(no ``WHERE``) then ``INSERT``: storing one client's string deletes every
other client's."""

import cherrypy

from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"session-isolation", "store-model", "store-model-latest", "page-isolation", "load-latest"}


def deviate() -> None:
    def _store(value):
        cherrypy.request.db.execute("DELETE FROM user_string")
        cherrypy.request.db.execute(
            "INSERT INTO user_string VALUES (?, ?)", [cherrypy.session.id, value]
        )

    tutorial.StringGeneratorWebService._store = staticmethod(_store)
