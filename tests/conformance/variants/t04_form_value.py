"""Tutorial 4 whose form's length field defaults to 10 instead of 8.

Submitting that form still gives a string of the field's length, so only
the page itself deviates.
"""

import cherrypy

from reference_app import tut04_forms as tutorial

TUTORIAL = 4
BREAKS = {"form-page"}


def deviate() -> None:
    index = tutorial.StringGenerator.index

    @cherrypy.expose
    def ten(self):
        page = index(self)
        assert 'value="8"' in page
        return page.replace('value="8"', 'value="10"')

    tutorial.StringGenerator.index = ten
