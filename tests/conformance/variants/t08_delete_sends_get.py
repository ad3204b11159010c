"""Tutorial 8 whose "Delete it" sends ``GET /generator`` instead of DELETE: the
page hides the string, the service still holds it."""

from reference_app import tut08_ajax as tutorial

from ._pages import serve_page

TUTORIAL = 8
BREAKS = {"page-delete"}


def deviate() -> None:
    serve_page(tutorial, ('type: "DELETE",', 'type: "GET",'))
