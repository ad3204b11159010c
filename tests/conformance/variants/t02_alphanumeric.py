"""Tutorial 2 that draws from letters and digits (``string.ascii_letters + string.digits``)
instead of ``string.hexdigits``.

Eight distinct characters of 62 are all hexdigits with probability
C(22, 8) / C(62, 8) (about 1e-4); the check draws five strings, so it fails
every time in practice (all five pass with probability about 1e-20).
"""

import random
import string

import cherrypy

from reference_app import tut02_urls as tutorial

TUTORIAL = 2
BREAKS = {"generate-alphabet"}


def deviate() -> None:
    @cherrypy.expose
    def generate(self):
        return "".join(random.sample(string.ascii_letters + string.digits, 8))

    tutorial.StringGenerator.generate = generate
