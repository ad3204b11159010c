"""Tutorial 10 whose static handler picks the media type from the request's
spelling: a file asked for with an empty or dot segment (``/static//js/gen.js``,
``/static/js/./gen.js``) is served as text/plain, the canonical spelling as
JavaScript.  The page (canonical spellings only) works; a generated spelling
of the component finds the disagreement."""

import cherrypy
from cherrypy.lib import static

from reference_app import tut10_react as tutorial

TUTORIAL = 10
BREAKS = {"static-path-property"}


def deviate() -> None:
    assert tutorial.config["/static"]["tools.staticdir.on"]
    original = static._attempt

    def attempt(filename, content_types, debug=False):
        path = cherrypy.serving.request.path_info
        if filename.endswith(".js") and ("//" in path or "/./" in path):
            content_types = {"js": "text/plain"}
        return original(filename, content_types, debug)

    static._attempt = attempt
