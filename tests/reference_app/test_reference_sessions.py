"""Tutorials 5 and 6: the generated string is kept in the client's session."""

from __future__ import annotations

import string

import pytest


@pytest.mark.parametrize("number", [5, 6])
def test_display_answers_the_string_generate_stored(client, number):
    session = client(number)
    generated = session.get("/generate", params={"length": "12"})
    assert generated.status_code == 200
    assert "session_id" in generated.cookies
    displayed = session.get("/display")
    assert displayed.status_code == 200
    assert displayed.text == generated.text


@pytest.mark.parametrize("number", [5, 6])
def test_display_answers_the_latest_string(client, number):
    session = client(number)
    session.get("/generate")
    second = session.get("/generate").text
    assert session.get("/display").text == second


@pytest.mark.parametrize("number", [5, 6])
def test_reading_before_generating_is_an_error(client, number):
    assert client(number).get("/display").status_code == 500


@pytest.mark.parametrize("number", [5, 6])
def test_two_clients_each_read_their_own_string(client, number):
    alice, bob = client(number), client(number)
    alice_string = alice.get("/generate", params={"length": "22"}).text
    bob_string = bob.get("/generate", params={"length": "22"}).text
    assert sorted(alice_string) == sorted(bob_string) == sorted(string.hexdigits)
    assert alice.get("/display").text == alice_string
    assert bob.get("/display").text == bob_string


def test_the_session_cookie_is_httponly(client):
    response = client(5).get("/generate")
    assert "httponly" in response.headers["Set-Cookie"].lower()


def test_a_forged_session_id_is_replaced_and_reads_nothing(client):
    session = client(5)
    forged = "f" * 40
    session.cookies.set("session_id", forged)
    response = session.get("/display")
    assert response.status_code == 500
    assert response.cookies["session_id"] != forged


def test_tutorials_do_not_share_sessions(client):
    # CherryPy's RamSession is one store per process; each app has its own.
    five, six = client(5), client(6)
    stored = five.get("/generate").text
    six.cookies.update(five.cookies)
    assert six.get("/display").status_code == 500
    assert five.get("/display").text == stored
