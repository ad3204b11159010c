"""Static content under /static (tutorials 6, 8 to 11): byte-exact files,
media types, 404s, traversal, HEAD and RFC 9110 conditional GETs."""

from __future__ import annotations

import datetime
import email.utils

import pytest
import tutorial_fixtures

STATIC = {6: "tut06", 8: "tut08", 9: "tut08", 10: "tut10", 11: "tut08"}
STYLESHEET = "/static/css/style.css"


def fixture_bytes(number: int, *parts: str) -> bytes:
    return tutorial_fixtures.path(STATIC[number], "public", *parts).read_bytes()


@pytest.mark.parametrize("number", sorted(STATIC))
def test_the_stylesheet_is_served_byte_for_byte_as_text_css(client, number):
    response = client(number).get(STYLESHEET)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/css"
    # The fixture is the one copy of each printed stylesheet (tests/fixtures
    # compares it with the seed's and tells tutorial 6's from tutorial 8's).
    assert response.content == fixture_bytes(number, "css", "style.css")


@pytest.mark.parametrize(
    ("number", "script"),
    [(8, "jquery-2.1.1.min.js"), (10, "gen.js"), (10, "react-0.13.3.js")],
)
def test_page_scripts_are_served_locally(client, number, script):
    response = client(number).get(f"/static/js/{script}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] in ("application/javascript", "text/javascript")
    assert response.content == fixture_bytes(number, "js", script)


@pytest.mark.parametrize("number", sorted(STATIC))
def test_a_missing_static_file_is_404(client, number):
    assert client(number).get("/static/css/missing.css").status_code == 404


@pytest.mark.parametrize(
    "target",
    [
        "/static/../tut06/public/css/style.css",
        "/static/../../__init__.py",
        "/static/%2e%2e/%2e%2e/__init__.py",
        "/static/..%2f..%2f__init__.py",
        "/static/css/../../../__init__.py",
        "/static/%2e%2e%5c%2e%2e%5c__init__.py",
        "/static/..\\..\\__init__.py",
        "/static/css%00/style.css",
    ],
)
def test_a_path_out_of_the_static_root_is_never_served(server, raw_get, target):
    status, _headers, body = raw_get(server(6), target)
    assert status in (400, 403, 404)
    assert b"tutorial_fixtures" not in body
    assert tutorial_fixtures.path("__init__.py").read_bytes()[:200] not in body


def test_head_of_the_stylesheet_is_get_without_the_body(client):
    session = client(6)
    head = session.head(STYLESHEET)
    assert head.status_code == 200
    assert head.headers["Content-Type"] == "text/css"
    assert head.content == b""
    assert head.headers["Content-Length"] == str(len(fixture_bytes(6, "css", "style.css")))


def http_date(timestamp: float) -> str:
    return email.utils.formatdate(timestamp, usegmt=True)


def last_modified(session) -> float:
    response = session.get(STYLESHEET)
    return email.utils.parsedate_to_datetime(response.headers["Last-Modified"]).timestamp()


@pytest.mark.parametrize("number", sorted(STATIC))
@pytest.mark.parametrize("offset", [0, 1, 86400 * 365 * 30])
def test_if_modified_since_not_earlier_than_last_modified_is_304(client, number, offset):
    session = client(number)
    since = http_date(last_modified(session) + offset)
    for method in (session.get, session.head):
        response = method(STYLESHEET, headers={"If-Modified-Since": since})
        assert response.status_code == 304
        assert response.content == b""
        assert "Content-Length" not in response.headers or response.headers["Content-Length"] == "0"
        assert "Last-Modified" in response.headers


@pytest.mark.parametrize(
    "since",
    [
        "Thu, 01 Jan 1970 00:00:01 GMT",
        "garbage",
        "Sat, 31 Feb 2099 00:00:00 GMT",
        "sat, 01 Jan 2099 00:00:00 GMT",
        "Sat, 01 Jan 2099 00:00:00 UTC",
        "",
    ],
)
def test_if_modified_since_earlier_or_invalid_is_ignored(client, since):
    response = client(6).get(STYLESHEET, headers={"If-Modified-Since": since})
    assert response.status_code == 200
    assert response.content == fixture_bytes(6, "css", "style.css")


def test_the_older_http_date_forms_count_too(client):
    session = client(6)
    # RFC 850 years: more than 50 years ahead means the previous century.
    two_digits = (datetime.datetime.now(datetime.timezone.utc).year + 51) % 100
    long_ago = f"Sunday, 06-Nov-{two_digits:02d} 08:49:37 GMT"
    assert session.get(STYLESHEET, headers={"If-Modified-Since": long_ago}).status_code == 200
    asctime = "Thu Dec 31 23:59:59 2099"
    assert session.get(STYLESHEET, headers={"If-Modified-Since": asctime}).status_code == 304


def test_if_unmodified_since_fails_only_for_an_earlier_date(client):
    session = client(6)
    modified = last_modified(session)
    later = session.get(STYLESHEET, headers={"If-Unmodified-Since": http_date(modified + 60)})
    assert later.status_code == 200
    earlier = session.get(STYLESHEET, headers={"If-Unmodified-Since": http_date(modified - 60)})
    assert earlier.status_code == 412


def test_entity_tag_preconditions_hold_only_for_the_wildcard(client):
    session = client(6)
    assert session.get(STYLESHEET, headers={"If-Match": "*"}).status_code == 200
    assert session.get(STYLESHEET, headers={"If-Match": '"abc"'}).status_code == 412
    assert session.get(STYLESHEET, headers={"If-None-Match": "*"}).status_code == 304
    since = http_date(last_modified(session) + 60)
    # If-None-Match without a match makes If-Modified-Since irrelevant.
    response = session.get(
        STYLESHEET, headers={"If-None-Match": '"abc"', "If-Modified-Since": since}
    )
    assert response.status_code == 200


def test_preconditions_do_not_apply_to_a_missing_file(client):
    response = client(6).get("/static/css/missing.css", headers={"If-None-Match": "*"})
    assert response.status_code == 404
