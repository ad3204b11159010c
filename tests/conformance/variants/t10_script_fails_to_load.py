"""Tutorial 10 whose page names a script the server does not have
(``/static/js/react-dom-0.13.3.js``): the component still works, the load
logs a 404."""

from reference_app import tut10_react as tutorial

from ._pages import serve_page

TUTORIAL = 10
BREAKS = {"page-loads-clean"}


def deviate() -> None:
    old = '<script src="/static/js/react-0.13.3.js"></script>'
    serve_page(
        tutorial, (old, old + '\n      <script src="/static/js/react-dom-0.13.3.js"></script>')
    )
