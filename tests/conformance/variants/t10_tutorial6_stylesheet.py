"""Tutorial 10 serving tutorial 6's stylesheet (the static folder copied from the
wrong tutorial: no ``#the-string`` rule)."""

import tutorial_fixtures

from reference_app import tut10_react as tutorial

TUTORIAL = 10
BREAKS = {"static-stylesheet", "static-path-property"}


def deviate() -> None:
    tutorial.config["/"]["tools.staticdir.root"] = str(tutorial_fixtures.path("tut06"))
