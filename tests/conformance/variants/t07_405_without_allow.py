"""Tutorial 7 whose dispatcher answers 405 to a method the resource lacks
without an ``Allow`` header."""

import cherrypy

from reference_app import tut07_rest as tutorial

TUTORIAL = 7
BREAKS = {"rest-405-allow"}


class DispatcherWithoutAllow(cherrypy.dispatch.MethodDispatcher):
    def __call__(self, path_info):
        super().__call__(path_info)
        cherrypy.serving.response.headers.pop("Allow", None)


def deviate() -> None:
    assert isinstance(tutorial.config["/"]["request.dispatch"], cherrypy.dispatch.MethodDispatcher)
    tutorial.config["/"]["request.dispatch"] = DispatcherWithoutAllow()
