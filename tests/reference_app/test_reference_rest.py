"""The string web service: tutorial 7 at /, tutorials 8 to 11 at /generator."""

from __future__ import annotations

import string

import pytest

from tests.support import seed

SERVICE = {7: "/", 8: "/generator", 9: "/generator", 10: "/generator", 11: "/generator"}
SESSION_BACKED = [7, 8]
DATABASE_BACKED = [9, 10, 11]


def media_type(response) -> str:
    return response.headers["Content-Type"].split(";")[0].strip().lower()


def test_tutorial_7_replays_the_printed_transcript(client):
    # Replayed from the seed, the one copy of the transcript the kit's tests
    # use (the kit's own check rest-transcript is the specification's). Every
    # line it exercises is also reached by the tests below, so coverage does
    # not depend on the seed.
    seed.require_seed()
    s = client(7)
    generated: dict[str, str] = {}  # printed random string -> the one served
    for step in seed.printed_transcript_steps():
        r = s.request(step.method, step.path, **step.kwargs)
        for name, printed in step.shown:
            if name == "text" and step.method == "POST":
                assert len(r.text) == len(printed)
                assert set(r.text) <= set(string.hexdigits)
                generated[printed] = r.text
            else:
                expected = generated.get(printed, printed) if name == "text" else printed
                assert getattr(r, name) == expected, (step, name)


@pytest.mark.parametrize("number", sorted(SERVICE))
def test_post_stores_and_answers_a_string_of_the_requested_length(client, number):
    s = client(number)
    path = SERVICE[number]
    posted = s.post(path, data={"length": "14"})
    assert posted.status_code == 200
    assert media_type(posted) == "text/plain"
    assert len(set(posted.text)) == 14
    assert set(posted.text) <= set(string.hexdigits)
    got = s.get(path)
    assert (got.status_code, got.text, media_type(got)) == (200, posted.text, "text/plain")


@pytest.mark.parametrize("number", sorted(SERVICE))
def test_post_defaults_to_eight_characters(client, number):
    assert len(client(number).post(SERVICE[number]).text) == 8


@pytest.mark.parametrize("number", sorted(SERVICE))
def test_post_with_an_invalid_length_is_an_error(client, number):
    assert client(number).post(SERVICE[number], data={"length": "x"}).status_code == 500


@pytest.mark.parametrize("number", sorted(SERVICE))
def test_the_latest_post_wins(client, number):
    s = client(number)
    path = SERVICE[number]
    s.post(path)
    second = s.post(path).text
    assert s.get(path).text == second


@pytest.mark.parametrize("number", sorted(SERVICE))
@pytest.mark.parametrize("where", ["params", "data"])
def test_put_replaces_the_string_from_query_or_body(client, number, where):
    s = client(number)
    path = SERVICE[number]
    s.post(path)
    text = "h\u00e9llo, w\u00f6rld \u2603"
    assert s.put(path, **{where: {"another_string": text}}).status_code == 200
    assert s.get(path).text == text


@pytest.mark.parametrize("number", sorted(SERVICE))
def test_put_before_any_post_stores_the_string(client, number):
    s = client(number)
    path = SERVICE[number]
    s.put(path, params={"another_string": "first"})
    assert s.get(path).text == "first"


@pytest.mark.parametrize("number", SESSION_BACKED)
def test_reading_with_nothing_stored_is_500_in_session_tutorials(client, number):
    s = client(number)
    assert s.get(SERVICE[number]).status_code == 500
    s.post(SERVICE[number])
    s.delete(SERVICE[number])
    assert s.get(SERVICE[number]).status_code == 500


@pytest.mark.parametrize("number", DATABASE_BACKED)
def test_reading_with_nothing_stored_is_empty_in_database_tutorials(client, number):
    s = client(number)
    first = s.get(SERVICE[number])
    assert (first.status_code, first.text, media_type(first)) == (200, "", "text/plain")
    s.post(SERVICE[number])
    assert s.delete(SERVICE[number]).status_code == 200
    assert s.get(SERVICE[number]).text == ""


@pytest.mark.parametrize("number", sorted(SERVICE))
def test_the_session_id_stays_the_same_across_requests(client, number):
    s = client(number)
    s.post(SERVICE[number])
    first = s.cookies["session_id"]
    s.get(SERVICE[number])
    s.delete(SERVICE[number])
    s.get(SERVICE[number])
    assert s.cookies["session_id"] == first


@pytest.mark.parametrize("number", sorted(SERVICE))
def test_clients_never_see_each_other_s_string(client, number):
    path = SERVICE[number]
    alice, bob = client(number), client(number)
    a, b = alice.post(path, data={"length": "20"}).text, bob.post(path, data={"length": "20"}).text
    assert alice.get(path).text == a
    assert bob.get(path).text == b
    bob.delete(path)
    assert alice.get(path).text == a


@pytest.mark.parametrize("number", sorted(SERVICE))
def test_a_method_the_service_lacks_is_405_with_allow(client, number):
    response = client(number).patch(SERVICE[number])
    assert response.status_code == 405
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert allowed == {"DELETE", "GET", "HEAD", "POST", "PUT"}


@pytest.mark.parametrize("number", sorted(SERVICE))
def test_accept_is_checked_on_get_only(client, number):
    s = client(number)
    path = SERVICE[number]
    json_only = {"Accept": "application/json"}
    assert s.post(path, headers=json_only).status_code == 200
    assert s.get(path, headers=json_only).status_code == 406
    assert s.head(path, headers=json_only).status_code == 406
    assert s.put(path, data={"another_string": "x"}, headers=json_only).status_code == 200
    assert s.delete(path, headers=json_only).status_code == 200


@pytest.mark.parametrize("number", sorted(SERVICE))
@pytest.mark.parametrize(
    ("accept", "status"),
    [
        (None, 200),
        ("", 200),
        ("text/plain", 200),
        ("TEXT/PLAIN", 200),
        ("text/*", 200),
        ("*/*", 200),
        ("application/json, text/plain;q=0.1", 200),
        ("text/plain;charset=UTF-8", 200),
        ("text/plain;q=0, */*", 406),
        ("text/*;q=0, */*;q=1", 406),
        ("text/*;q=0, text/plain;q=0.5", 200),
        ("text/html", 406),
        ("image/*", 406),
        ("text/plain;q=0", 406),
    ],
)
def test_get_negotiates_text_plain_per_rfc_9110(client, number, accept, status):
    s = client(number)
    s.post(SERVICE[number])
    headers = {} if accept is None else {"Accept": accept}
    if accept is None:
        s.headers.pop("Accept")
    assert s.get(SERVICE[number], headers=headers).status_code == status


def test_head_is_get_without_a_body(client):
    s = client(7)
    stored = s.post("/").text
    head = s.head("/")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["Content-Length"] == str(len(stored))
