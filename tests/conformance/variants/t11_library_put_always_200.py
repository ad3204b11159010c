"""Tutorial 11 whose book PUT answers 200 whether it created the book or
replaced its title: RFC 9110 wants 201 for a resource PUT created."""

import cherrypy

from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"library-put-status"}


def deviate() -> None:
    put = tutorial.Book.PUT

    def PUT(self, title=None):
        put(self, title)
        cherrypy.response.status = 200

    tutorial.Book.PUT = PUT
