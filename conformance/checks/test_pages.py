"""Pages: the root of tutorials 1-3 and 12, the form of 4-6, unknown paths."""

from __future__ import annotations

import uuid

from conformance import oracles, requirement
from conformance.oracles import forms


@requirement("root-hello")
def test_root_says_hello_world(client):
    r = client.get("/")
    assert r.status_code == 200, f"GET / answered {r.status_code}, expected 200"
    assert r.text.rstrip() == "Hello world!", (
        f"GET / answered {r.text[:80]!r}, expected 'Hello world!'"
    )


@requirement("unknown-path-404")
def test_a_path_the_tutorial_does_not_define_is_not_found(client):
    path = f"/no-such-page-{uuid.uuid4().hex[:8]}"
    r = client.get(path)
    assert r.status_code == 404, f"GET {path} answered {r.status_code}, expected 404"


def _the_form(client):
    r = client.get("/")
    assert r.status_code == 200, f"GET / answered {r.status_code}, expected 200 with a form"
    found = [f for f in forms.forms(r.text) if "length" in f.fields]
    assert found, "GET / answered a page without a form that has a field named length"
    return found[0]


@requirement("form-page")
def test_root_page_offers_the_length_form(client):
    form = _the_form(client)
    action = forms.resolve("/", form.action or "/")
    assert action == "/generate", f"the form's action resolves to {action!r}, expected '/generate'"
    assert "length" in form.text_fields, "the form's length field is not a text input"
    assert form.fields["length"] == "8", (
        f"the length field's value is {form.fields['length']!r}, expected '8'"
    )
    assert form.has_submit, "the form has no submit button"


@requirement("form-submit")
def test_submitting_the_form_generates_a_string_of_the_field_length(client):
    form = _the_form(client)
    action = forms.resolve("/", form.action or "/")
    for length in (form.fields["length"], "16"):
        fields = {**form.fields, "length": length}
        if form.method == "post":
            r = client.post(action, data=fields)
        else:
            r = client.get(action, params=fields)
        what = f"submitting the form ({form.method.upper()} {action}, length={length})"
        assert r.status_code == 200, f"{what} answered {r.status_code}, expected 200"
        problem = oracles.generated_string_problem(r.text, int(length))
        assert problem is None, f"{what} answered {problem}"


@requirement("form-post")
def test_posting_the_form_fields_works_like_the_query_string(client):
    form = _the_form(client)
    action = forms.resolve("/", form.action or "/")
    r = client.post(action, data={**form.fields, "length": "12"})
    assert r.status_code == 200, (
        f"POST {action} with length=12 answered {r.status_code}, expected 200"
    )
    problem = oracles.generated_string_problem(r.text, 12)
    assert problem is None, f"POST {action} with length=12 answered {problem}"
