"""The CherryPy tutorials 1 to 12 as runnable, tested applications.

One module per tutorial, each written to sit beside its tutorial:

==  ======================  ==================================================
 1  ``tut01_basic``         A basic web application
 2  ``tut02_urls``          Different URLs lead to different functions
 3  ``tut03_params``        My URLs have parameters
 4  ``tut04_forms``         Submit this form
 5  ``tut05_sessions``      Track my end-user's activity
 6  ``tut06_static``        What about my javascripts, CSS and images?
 7  ``tut07_rest``          Give us a REST
 8  ``tut08_ajax``          Make it smoother with Ajax
 9  ``tut09_database``      Data is all my life
10  ``tut10_react``         Make it a modern single-page application with React.js
11  ``tut11_organize``      Organize my code
12  ``tut12_testing``       Using pytest and code coverage
==  ======================  ==================================================

Every module exposes its root object class(es), its ``config`` dict and
``application(**options) -> cherrypy.Application``; tutorials 9 to 11 also
expose ``subscriptions(app)``, the engine listeners the application needs.
:mod:`reference_app.hardening` holds what the reference adds to CherryPy's
defaults, and :mod:`reference_app.server` serves any tutorial, in this process
(``running``) or as a blocking server (``serve``).
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["TITLES", "module"]

TITLES: dict[int, str] = {
    1: "A basic web application",
    2: "Different URLs lead to different functions",
    3: "My URLs have parameters",
    4: "Submit this form",
    5: "Track my end-user\u2019s activity",
    6: "What about my javascripts, CSS and images?",
    7: "Give us a REST",
    8: "Make it smoother with Ajax",
    9: "Data is all my life",
    10: "Make it a modern single-page application with React.js",
    11: "Organize my code",
    12: "Using pytest and code coverage",
}
"""Tutorial number -> title, as the seed prints it."""

_MODULES: dict[int, str] = {
    1: "tut01_basic",
    2: "tut02_urls",
    3: "tut03_params",
    4: "tut04_forms",
    5: "tut05_sessions",
    6: "tut06_static",
    7: "tut07_rest",
    8: "tut08_ajax",
    9: "tut09_database",
    10: "tut10_react",
    11: "tut11_organize",
    12: "tut12_testing",
}


def module(number: int) -> ModuleType:
    """Return the module of tutorial ``number`` (1 to 12).

    Raises:
        ValueError: there is no tutorial with that number.
    """
    try:
        name = _MODULES[number]
    except (KeyError, TypeError):
        raise ValueError(f"no tutorial {number!r}: tutorials are numbered 1 to 12") from None
    return importlib.import_module(f"{__name__}.{name}")
