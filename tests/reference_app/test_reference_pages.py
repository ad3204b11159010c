"""Tutorials 1 to 4 (and 12, which is tutorial 2 again): pages, /generate and the form."""

from __future__ import annotations

import string
from html.parser import HTMLParser

import pytest
import tutorial_fixtures

HEXDIGITS = set(string.hexdigits)


def assert_generated(text: str, length: int) -> None:
    assert len(text) == length
    assert set(text) <= HEXDIGITS
    assert len(set(text)) == length, "characters are drawn without replacement"


@pytest.mark.parametrize("number", [1, 2, 3, 12])
def test_root_says_hello_world(client, number):
    response = client(number).get("/")
    assert response.status_code == 200
    assert response.text == "Hello world!"
    assert response.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("number", [2, 3, 4, 12])
def test_generate_answers_eight_distinct_hexdigits_by_default(client, number):
    session = client(number)
    answers = {session.get("/generate").text for _ in range(5)}
    for text in answers:
        assert_generated(text, 8)
    assert len(answers) > 1, "the string is random"


def test_tutorial_1_has_no_generate_page(client):
    assert client(1).get("/generate").status_code == 404


def test_tutorial_2_ignores_no_length_but_refuses_a_length_parameter(client):
    # CherryPy answers 404 to a query parameter the handler does not declare.
    assert client(2).get("/generate", params={"length": "4"}).status_code == 404


@pytest.mark.parametrize("number", [3, 4])
@pytest.mark.parametrize("length", [0, 1, 16, 22])
def test_generate_answers_as_many_characters_as_the_length_parameter(client, number, length):
    response = client(number).get("/generate", params={"length": str(length)})
    assert response.status_code == 200
    assert_generated(response.text, length)


@pytest.mark.parametrize("number", [3, 4])
@pytest.mark.parametrize("length", ["abc", "1.5", "", "-1", "23", "0x10"])
def test_a_length_int_refuses_is_an_error(client, number, length):
    assert client(number).get("/generate", params={"length": length}).status_code == 500


def test_a_length_int_accepts_is_a_length_as_in_python(client):
    # int(length) semantics: surrounding blanks and a sign are accepted.
    assert_generated(client(3).get("/generate", params={"length": " +5 "}).text, 5)


def test_an_extra_path_segment_is_the_length(client):
    assert_generated(client(3).get("/generate/12").text, 12)


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": attrs, "inputs": [], "buttons": []})
        elif tag == "input":
            self.forms[-1]["inputs"].append(attrs)
        elif tag == "button":
            self.forms[-1]["buttons"].append(attrs)


@pytest.mark.parametrize("number", [4, 5, 6])
def test_the_page_is_a_form_that_gets_generate_with_a_length_of_8(client, number):
    response = client(number).get("/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    parser = FormParser()
    parser.feed(response.text)
    (form,) = parser.forms
    assert form["attrs"] == {"method": "get", "action": "generate"}
    assert form["inputs"] == [{"type": "text", "value": "8", "name": "length"}]
    assert form["buttons"] == [{"type": "submit"}]
    assert "Give it now!" in response.text


def test_submitting_the_form_by_get_or_post_answers_a_string_of_its_length(client):
    session = client(4)
    assert_generated(session.get("/generate", params={"length": "8"}).text, 8)
    assert_generated(session.post("/generate", data={"length": "11"}).text, 11)


@pytest.mark.parametrize("number", [1, 2, 3, 4, 12])
def test_an_unknown_path_is_404(client, number):
    assert client(number).get("/nowhere").status_code == 404


PAGES = {8: "tut08", 9: "tut08", 10: "tut10", 11: "tut08"}


@pytest.mark.parametrize("number", sorted(PAGES))
def test_the_root_answers_the_tutorial_s_page(client, number):
    response = client(number).get("/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.content == tutorial_fixtures.path(PAGES[number], "index.html").read_bytes()
    assert '<link href="/static/css/style.css" rel="stylesheet">' in response.text
