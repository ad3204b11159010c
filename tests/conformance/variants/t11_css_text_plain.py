"""Tutorial 11 on a host whose MIME map says ``.css`` is text/plain (as some
Windows registries do): the stylesheet is served, GET and HEAD alike, as
text/plain."""

import mimetypes

from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"static-media-type", "static-head", "static-path-property"}


def deviate() -> None:
    assert tutorial.config["/static"]["tools.staticdir.on"]
    mimetypes.add_type("text/plain", ".css")
