"""Tutorial 11 whose library routes match the raw request target: a
percent-encoded digit (``/library/%31%32``) names no library (404)."""

import cherrypy

from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"library-percent-encoded"}


def deviate() -> None:
    dispatch = tutorial.Libraries._cp_dispatch

    def _cp_dispatch(self, vpath):
        # request_line is rebuilt from the decoded path: read the raw target.
        target = cherrypy.request.wsgi_environ.get("REQUEST_URI", "")
        if "%" in target.partition("?")[0]:
            return None
        return dispatch(self, vpath)

    tutorial.Libraries._cp_dispatch = _cp_dispatch
