"""Tutorial 11 whose library URLs read ids with ``int()``: ``/library/012``
is library 12, and Arabic-Indic or fullwidth digits name it too."""

import re

from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"library-not-found"}


def deviate() -> None:
    ident = r"\d+"  # any Unicode decimal digits, leading zeros included
    tutorial._ID = ident
    tutorial._RESOURCE = re.compile(f"(?P<library>{ident})(?:/book/(?P<book>{ident}))?")
    tutorial.LIBRARY_PATH = re.compile(f"/library(?:/{tutorial._RESOURCE.pattern})?/?")
