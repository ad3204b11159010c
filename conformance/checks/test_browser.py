"""The pages of tutorials 8 and 10 (8's page also serves 9 and 11), used as a person uses them.

Each check opens ``/`` in Chromium (a fresh browser context per person) and
walks the tutorial's flow: type a length, press "Give it now!", edit the
string and press "Replace", press "Delete it".  Controls are found as a person
finds them, by the labels the tutorial prints and by role (the length field is
the page's first text field; the string is the text field that shows it),
never by the reference's ids or markup.  Every effect is judged on screen and
through the string service in the page's own session (its cookies copied into
a kit client), so a page that merely looks right fails.
"""

from __future__ import annotations

import contextlib
import dataclasses

import pytest

from conformance import oracles, requirement
from conformance.http.browser import Visit
from conformance.http.client import Client

from .store import Store

pytestmark = pytest.mark.browser

GIVE, REPLACE, DELETE = "Give it now!", "Replace", "Delete it"
#: Not the page's default (8), so that a page that ignores the field is caught.
LENGTH = 12


@dataclasses.dataclass
class Person:
    """One person: a browser visit and a kit client that shares its session."""

    visit: Visit
    client: Client
    store: Store

    def api(self):
        """``GET`` the string service with the cookies the page holds now."""
        jar = self.client.session.cookies
        jar.clear()
        for cookie in self.visit.cookies():
            jar.set(cookie["name"], cookie["value"], domain=cookie["domain"], path=cookie["path"])
        return self.store.read(self.client)

    def generate(self, length: int = LENGTH) -> str:
        """Open the page, type ``length``, press "Give it now!"; the string it shows."""
        self.visit.open("/")
        self.visit.ready(GIVE)
        self.visit.fill_first(str(length))
        sent = self.visit.press(GIVE)
        try:
            return self.visit.wait_for_shown(besides=str(length))
        except AssertionError as error:
            raise AssertionError(
                f"after typing {length} and pressing {GIVE!r} ({sent}), {error}"
            ) from None


@pytest.fixture
def person(visit, new_client, tutorial):
    """``person()``: a new person on the target's page."""

    def make() -> Person:
        client = new_client()
        return Person(visit(client), client, Store(tutorial))

    return make


def _clean(visit: Visit) -> str | None:
    problems = visit.problems()
    if not problems:
        return None
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    blocked = (
        f"; requests to other hosts were blocked: {', '.join(visit.blocked_hosts)}"
        if visit.blocked
        else ""
    )
    return f"{problems[0]}{more}{blocked}"


@requirement("page-loads-clean")
def test_the_page_loads_with_no_error(person):
    me = person()
    me.visit.open("/")
    me.visit.ready(GIVE)
    problem = _clean(me.visit)
    assert problem is None, f"loading / in Chromium: {problem}"


@requirement("page-self-contained")
def test_the_page_loads_nothing_from_another_host(person):
    me = person()
    me.visit.open("/")
    with contextlib.suppress(AssertionError):
        me.visit.ready(GIVE)  # a page that never renders may still load what it names
    elsewhere = [*me.visit.routed, *me.visit.blocked]
    assert not elsewhere, (
        f"loading / requests {len(elsewhere)} resource(s) from other hosts, first {elsewhere[0]}"
    )


@requirement("page-generate")
def test_give_it_now_shows_a_stored_string_of_the_length_typed(person):
    me = person()
    shown = me.generate()
    problem = oracles.generated_string_problem(shown, LENGTH)
    assert problem is None, f"after typing {LENGTH} and pressing {GIVE!r}, the page shows {problem}"
    problem = me.store.holds_problem(me.api(), shown, f"{GIVE!r} in the page's session")
    assert problem is None, problem


@requirement("page-replace")
def test_replace_stores_the_edited_string(person, tutorial):
    me = person()
    shown = me.generate()
    edited = f"{shown[::-1]}Edited"
    me.visit.fill_showing(shown, edited)
    sent = me.visit.press(REPLACE)
    if tutorial.replace_alert is not None:
        seen = me.visit.wait_for_dialog()
        assert tutorial.replace_alert in seen, (
            f"after {REPLACE!r} the page showed {seen!r}, expected the alert "
            f"{tutorial.replace_alert!r}"
        )
    problem = me.store.holds_problem(
        me.api(), edited, f"editing the string to {edited!r} and pressing {REPLACE!r} ({sent})"
    )
    assert problem is None, problem


@requirement("page-delete")
def test_delete_it_removes_the_string(person, tutorial):
    me = person()
    shown = me.generate()
    problem = me.store.holds_problem(me.api(), shown, f"{GIVE!r}, before {DELETE!r}")
    assert problem is None, problem
    handles = [box.element_handle() for box in me.visit.textboxes()]
    showing = [h for h, v in zip(handles, me.visit.values()) if v == shown]
    sent = me.visit.press(DELETE)
    problem = me.store.nothing_stored_problem(me.api())
    assert problem is None, f"after pressing {DELETE!r} ({sent}), {problem}"
    me.visit.wait_until_not_shown(shown)
    if tutorial.delete_hides:
        assert showing and all(h.is_hidden() for h in showing), (
            f"after pressing {DELETE!r} the text field that showed the string is still visible"
        )


@requirement("page-isolation")
def test_another_person_and_a_reload_show_only_what_the_service_holds(person):
    me, other = person(), person()
    mine = me.generate()
    before = me.api()
    other.visit.open("/")
    other.visit.ready(GIVE)
    assert not other.visit.shows(mine), (
        f"a second person opening / sees the first person's string {mine!r}"
    )
    problem = other.store.nothing_stored_problem(other.api())
    assert problem is None, f"for a second person who pressed nothing, {problem}"
    theirs = other.generate()
    me.visit.reload()
    me.visit.ready(GIVE)
    assert not me.visit.shows(theirs), (
        f"after a reload the first person sees the second person's string {theirs!r}"
    )
    after = me.api()
    assert (after.status_code, after.text) == (before.status_code, before.text), (
        f"{me.store.read_label} in the first person's session answered {before.status_code} "
        f"{before.text[:40]!r} before the second person pressed {GIVE!r} and the first "
        f"reloaded, {after.status_code} {after.text[:40]!r} after"
    )
    for text in [v for v in me.visit.values() if v.strip() and not v.strip().isdigit()]:
        assert text == after.text, (
            f"after a reload the page shows {text!r}, the service answers {after.text[:40]!r}"
        )
    other.visit.reload()
    other.visit.ready(GIVE)
    assert not other.visit.shows(mine), (
        f"after a reload the second person sees the first person's string {mine!r}"
    )
