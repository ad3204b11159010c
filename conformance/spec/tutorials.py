"""What each tutorial serves, as far as the checks need to know it.

One row per tutorial of the seed.  The checks read these facts instead of
testing tutorial numbers, so a newcomer sees in one table how the tutorials
differ: where the string service lives, what a read answers before anything
was stored, which stylesheet the tutorial prints, and what its page (tutorial
8's, reused by 9 and 11, or tutorial 10's React component) does on screen.
"""

from __future__ import annotations

import dataclasses
import string

#: The characters ``random.sample(string.hexdigits, n)`` draws from.
HEXDIGITS = string.hexdigits
#: The longest string ``random.sample`` can draw without repeating a character.
MAX_LENGTH = len(HEXDIGITS)


@dataclasses.dataclass(frozen=True)
class Tutorial:
    """The observable shape of one tutorial."""

    number: int
    title: str
    #: Path of the REST string service, or None where the tutorial has none.
    service: str | None = None
    #: What a read answers before anything is stored: "error" (4xx/5xx) or "empty" (200, no body).
    nothing_stored: str = "error"
    #: Name of the printed stylesheet the tutorial serves under /static, if any.
    stylesheet: str | None = None
    #: Whether /generate takes a ``length`` parameter (tutorial 3 on).
    takes_length: bool = False
    #: The alert the page shows once "Replace" has stored the string (tutorial 8's page).
    replace_alert: str | None = None
    #: Whether "Delete it" hides the element that showed the string (tutorial 8's page).
    delete_hides: bool = False
    #: Path of the RESTful library of books (``/library/{lib}/book/{book}``), if any.
    library: str | None = None
    #: The page's own script under /static, compiled in the browser (tutorial 10's
    #: React component): a port may write it its own way, so its bytes are not pinned.
    component: str | None = None


TUTORIALS: dict[int, Tutorial] = {
    t.number: t
    for t in (
        Tutorial(1, "A basic web application"),
        Tutorial(2, "Different URLs lead to different functions"),
        Tutorial(3, "My URLs have parameters", takes_length=True),
        Tutorial(4, "Submit this form", takes_length=True),
        Tutorial(5, "Track my end-user's activity", takes_length=True),
        Tutorial(
            6, "What about my javascripts, CSS and images?", stylesheet="tut06", takes_length=True
        ),
        Tutorial(7, "Give us a REST", service="/"),
        Tutorial(
            8,
            "Make it smoother with Ajax",
            service="/generator",
            stylesheet="tut08",
            replace_alert="Replaced!",
            delete_hides=True,
        ),
        Tutorial(
            9,
            "Data is all my life",
            service="/generator",
            nothing_stored="empty",
            stylesheet="tut08",
            replace_alert="Replaced!",
            delete_hides=True,
        ),
        Tutorial(
            10,
            "Make it a modern single-page application with React.js",
            service="/generator",
            nothing_stored="empty",
            stylesheet="tut08",
            component="js/gen.js",
        ),
        Tutorial(
            11,
            "Organize my code",
            service="/generator",
            nothing_stored="empty",
            stylesheet="tut08",
            replace_alert="Replaced!",
            delete_hides=True,
            library="/library",
        ),
        Tutorial(12, "Using pytest and code coverage"),
    )
}


def get(number: int) -> Tutorial:
    """The tutorial with this number; KeyError names the valid range."""
    try:
        return TUTORIALS[number]
    except KeyError:
        raise KeyError(f"no tutorial {number}: choose 1 to {max(TUTORIALS)}") from None
