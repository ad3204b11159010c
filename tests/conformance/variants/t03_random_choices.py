"""Tutorial 3 that draws with ``random.choices`` (with replacement) instead of ``random.sample``.

Characters repeat: 22 characters drawn with replacement are all distinct
with probability 22!/22**22 (about 3e-9), so every length-22 string breaks
the alphabet and length checks.  ``choices`` also takes ``k=-1`` (an empty
string) and ``k=23``: invalid lengths get 200.
"""

import random
import string

import cherrypy

from reference_app import tut03_params as tutorial

TUTORIAL = 3
BREAKS = {
    "generate-alphabet",
    "generate-length",
    "generate-length-invalid",
    "generate-length-property",
}


def deviate() -> None:
    @cherrypy.expose
    def generate(self, length=8):
        return "".join(random.choices(string.hexdigits, k=int(length)))

    tutorial.StringGenerator.generate = generate
