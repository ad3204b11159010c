"""Tutorial 8 whose page loads jQuery from the CDN it prints
(``code.jquery.com``) instead of serving it: it works only online."""

from reference_app import tut08_ajax as tutorial

from ._pages import serve_page

TUTORIAL = 8
BREAKS = {"page-self-contained"}


def deviate() -> None:
    serve_page(
        tutorial,
        (
            '<script src="/static/js/jquery-2.1.1.min.js"></script>',
            '<script src="http://code.jquery.com/jquery-2.0.3.min.js"></script>',
        ),
    )
