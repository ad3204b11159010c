"""Tutorial 11 whose library answers 405 without an ``Allow`` header."""

import cherrypy

from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"library-405-allow"}


def deviate() -> None:
    dispatch = tutorial.LibraryDispatcher.__call__

    def __call__(self, path_info):
        dispatch(self, path_info)
        cherrypy.serving.response.headers.pop("Allow", None)

    tutorial.LibraryDispatcher.__call__ = __call__
