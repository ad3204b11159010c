"""Tutorial 6 whose page links ``/css/style.css`` (the path inside ``public``)
instead of ``/static/css/style.css``."""

import cherrypy

from reference_app import tut06_static as tutorial

TUTORIAL = 6
BREAKS = {"static-linked"}


def deviate() -> None:
    index = tutorial.StringGenerator.index

    @cherrypy.expose
    def page(self):
        text = index(self)
        assert 'href="/static/css/style.css"' in text
        return text.replace('href="/static/css/style.css"', 'href="/css/style.css"')

    tutorial.StringGenerator.index = page
