"""Tutorial 2 whose ``/generate`` always answers the same valid string.

``"a1B2c3D4"`` is eight distinct characters of ``string.hexdigits``, so
every check of the alphabet and the length passes; only the five successive
draws of ``generate-random`` see that it never changes.
"""

import cherrypy

from reference_app import tut02_urls as tutorial

TUTORIAL = 2
BREAKS = {"generate-random"}


def deviate() -> None:
    @cherrypy.expose
    def generate(self):
        return "a1B2c3D4"

    tutorial.StringGenerator.generate = generate
