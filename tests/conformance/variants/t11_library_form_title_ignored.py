"""Tutorial 11 whose book PUT reads ``title`` from the query string only: a
title sent in a form body is missing, and the PUT answers 400."""

import urllib.parse

import cherrypy

from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"library-book", "load-answers"}


def deviate() -> None:
    put = tutorial.Book.PUT

    def PUT(self, title=None):
        query = urllib.parse.parse_qs(cherrypy.request.query_string, keep_blank_values=True)
        titles = query.get("title", [])
        return put(self, titles[0] if len(titles) == 1 else None)

    tutorial.Book.PUT = PUT
