"""Sessions: the per-client string of tutorials 5-11, identified by a cookie.

The cookie is discovered from Set-Cookie, never assumed by name.
"""

from __future__ import annotations

import pytest

from conformance import requirement
from conformance.checks.store import Store


@pytest.fixture
def store(tutorial) -> Store:
    return Store(tutorial)


def _session_cookie(response, what: str) -> tuple[str, str]:
    cookies = list(response.cookies)
    assert cookies, f"{what} set no cookie; a session needs an identifier the client carries"
    return cookies[0].name, cookies[0].value


@requirement("session-cookie")
def test_storing_a_string_sets_a_session_cookie(client, store):
    r = store.write_response(client)
    assert r.status_code == 200, f"{store.write_label} answered {r.status_code}, expected 200"
    _session_cookie(r, store.write_label)


@requirement("session-readback")
def test_display_shows_the_string_just_generated(client, store):
    generated = store.write(client)
    problem = store.holds_problem(store.read(client), generated, store.write_label)
    assert problem is None, problem


@requirement("session-latest")
def test_display_shows_the_latest_string(client, store):
    store.write(client)
    second = store.write(client)
    problem = store.holds_problem(store.read(client), second, f"a second {store.write_label}")
    assert problem is None, problem


@requirement("session-nothing-stored")
def test_display_before_generate_is_an_error(client, store):
    problem = store.nothing_stored_problem(store.read(client))
    assert problem is None, problem


@requirement("info-nothing-stored-500")
def test_cherrypy_answers_500_when_nothing_is_stored(client, store):
    r = store.read(client)
    assert r.status_code == 500, (
        f"{store.read_label} with nothing stored answered {r.status_code}, CherryPy gives 500"
    )


@requirement("session-isolation")
def test_two_clients_each_read_their_own_string(new_client, store):
    alice, bob = new_client(), new_client()
    a = store.write(alice, length=10)
    b = store.write(bob, length=12)
    for name, client, mine in (("first", alice, a), ("second", bob, b)):
        r = store.read(client)
        problem = store.holds_problem(r, mine, "both clients stored a string")
        assert problem is None, f"{name} client: {problem}"


def _forged(value: str) -> str:
    """Another value of the same length and alphabet, so that it looks issued."""
    rotated = []
    for ch in value:
        for alphabet in (
            "0123456789",
            "abcdef",
            "ABCDEF",
            "ghijklmnopqrstuvwxyz",
            "GHIJKLMNOPQRSTUVWXYZ",
        ):
            if ch in alphabet:
                ch = alphabet[(alphabet.index(ch) + 1) % len(alphabet)]
                break
        rotated.append(ch)
    forged = "".join(rotated)
    return forged if forged != value else value + "0"


@requirement("session-forged-id")
def test_a_forged_session_id_is_not_adopted(new_client, store):
    honest = new_client()
    name, issued = _session_cookie(store.write_response(honest), store.write_label)
    forged = _forged(issued)
    attacker = new_client()
    attacker.session.cookies.set(name, forged)
    r = store.write_response(attacker)
    assert r.status_code == 200, f"{store.write_label} answered {r.status_code}, expected 200"
    replaced = {c.name: c.value for c in r.cookies}.get(name)
    assert replaced is not None and replaced != forged, (
        f"{store.write_label} with the unissued session id {name}={forged} kept that id; "
        "the server must issue its own"
    )
    victim = new_client()
    victim.session.cookies.set(name, forged)
    problem = store.nothing_stored_problem(store.read(victim))
    assert problem is None, f"a client presenting the forged id: {problem}"
