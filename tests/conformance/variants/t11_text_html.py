"""Tutorial 11 whose string service does not force ``Content-Type: text/plain``:
its answers keep CherryPy's default, text/html."""

from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"rest-text-plain"}


def deviate() -> None:
    tutorial.config["/generator"]["tools.response_headers.on"] = False
