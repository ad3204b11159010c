"""Tutorial 8 whose page renamed the element that shows the string
(``the-string`` became ``result``) but not the script that fills it: the
POST stores a string the page never shows."""

from reference_app import tut08_ajax as tutorial

from ._pages import serve_page

TUTORIAL = 8
BREAKS = {"page-generate", "page-replace", "page-delete", "page-isolation"}


def deviate() -> None:
    serve_page(tutorial, ('<div id="the-string">', '<div id="result">'))
