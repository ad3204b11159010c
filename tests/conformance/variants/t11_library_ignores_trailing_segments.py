"""Tutorial 11 whose library URLs ignore whatever follows the ids:
``/library/12/books/15`` lists library 12 and ``/library/12/book/15/extra``
is book 15."""

import re

from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"library-not-found"}


def deviate() -> None:
    ident = tutorial._ID
    tutorial._RESOURCE = re.compile(f"(?P<library>{ident})(?:/book/(?P<book>{ident}))?(?:/.*)?")
    tutorial.LIBRARY_PATH = re.compile(r"/library(?:/.*)?")
