"""Tutorial 8 whose static handler joins the request path to the static root
without checking that the result stays inside it: ``/static/../../etc/passwd``
is served."""

import os
import urllib.parse

import cherrypy
from cherrypy.lib import static

from reference_app import tut08_ajax as tutorial

TUTORIAL = 8
BREAKS = {"static-traversal", "static-path-property"}


def deviate() -> None:
    assert tutorial.config["/static"]["tools.staticdir.on"]

    def staticdir(section, dir, root="", match="", content_types=None, index="", debug=False):
        request = cherrypy.serving.request
        if request.method not in ("GET", "HEAD"):
            return False
        if not os.path.isabs(dir):
            dir = os.path.join(root, dir)
        section = "/" if section == "global" else section.rstrip("\\/")
        branch = urllib.parse.unquote(request.path_info[len(section) + 1 :].lstrip("\\/"))
        return static._attempt(os.path.join(dir, branch), content_types)

    cherrypy.tools.staticdir.callable = staticdir
