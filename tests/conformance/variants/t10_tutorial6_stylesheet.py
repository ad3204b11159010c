"""Tutorial 10 serving tutorial 6's stylesheet (the static folder copied from the
wrong tutorial: no ``#the-string`` rule, and none of the page's scripts, so the
page never renders its component)."""

import tutorial_fixtures

from reference_app import tut10_react as tutorial

TUTORIAL = 10
BREAKS = {
    "static-stylesheet",
    "static-path-property",
    "page-loads-clean",
    "page-generate",
    "page-replace",
    "page-delete",
    "page-isolation",
}


def deviate() -> None:
    tutorial.config["/"]["tools.staticdir.root"] = str(tutorial_fixtures.path("tut06"))
