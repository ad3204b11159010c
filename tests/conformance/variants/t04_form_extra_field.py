"""Tutorial 4 whose form carries a hidden ``csrf_token`` field that /generate does not take.

The page still offers the length form, but submitting it sends the extra
field, which the handler refuses (CherryPy: 404 for an undeclared query
parameter, 400 for an undeclared body parameter).
"""

import cherrypy

from reference_app import tut04_forms as tutorial

TUTORIAL = 4
BREAKS = {"form-submit", "form-post"}

HIDDEN = '<input type="hidden" name="csrf_token" value="0123456789abcdef" />'


def deviate() -> None:
    index = tutorial.StringGenerator.index

    @cherrypy.expose
    def with_token(self):
        page = index(self)
        assert "<button" in page
        return page.replace("<button", HIDDEN + "\n              <button", 1)

    tutorial.StringGenerator.index = with_token
