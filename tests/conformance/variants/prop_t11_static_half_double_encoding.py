"""Tutorial 11 whose static handler refuses dot segments as they arrive (a
literal ``..`` or a fully double-encoded ``%252e%252e``) and then decodes the
path once more before serving it, with no check that the file stays inside
the root: a dot segment double-encoded only in part (``.%252e``,
``%252e.``, ``%2e%252e``) leaks.  The examples' payloads are all refused; a
generated one finds the gap."""

import os
import urllib.parse

import cherrypy
from cherrypy.lib import static

from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"static-path-property"}


def deviate() -> None:
    assert tutorial.config["/static"]["tools.staticdir.on"]

    def staticdir(section, dir, root="", match="", content_types=None, index="", debug=False):
        request = cherrypy.serving.request
        if request.method not in ("GET", "HEAD"):
            return False
        if not os.path.isabs(dir):
            dir = os.path.join(root, dir)
        section = "/" if section == "global" else section.rstrip("\\/")
        branch = request.path_info[len(section) + 1 :]
        if ".." in branch or "%2e%2e" in branch.lower():
            raise cherrypy.HTTPError(403)
        branch = urllib.parse.unquote(branch.lstrip("\\/"))
        return static._attempt(os.path.join(dir, branch), content_types)

    cherrypy.tools.staticdir.callable = staticdir
