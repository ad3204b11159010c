"""The string service of tutorials 7-11: methods, Accept, the tutorial 7 transcript."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st

from conformance import oracles, requirement
from conformance.checks.store import Store
from conformance.oracles import accept
from conformance.properties import property_check, strategies


@pytest.fixture
def store(tutorial) -> Store:
    return Store(tutorial)


@pytest.fixture
def service(tutorial) -> str:
    return tutorial.service


@requirement("rest-transcript")
def test_the_tutorial_7_transcript_replays(client, store, service):
    # The seed's interactive session, line by line (status codes generalised
    # where the transcript's 500 only means "nothing stored": an error status).
    r = client.get(service)
    assert oracles.is_error(r.status_code), (
        f"step 1, GET {service} before any POST answered {r.status_code}, expected an error status"
    )
    r = client.post(service)
    assert r.status_code == 200, f"step 2, POST {service} answered {r.status_code}, expected 200"
    generated = r.text
    problem = oracles.generated_string_problem(generated, 8)
    assert problem is None, f"step 2, POST {service} answered {problem}"
    r = client.get(service)
    assert (r.status_code, r.text) == (200, generated), (
        f"step 3, GET {service} answered {r.status_code} {r.text!r}, expected 200 {generated!r}"
    )
    r = client.get(service, headers={"Accept": "application/json"})
    assert r.status_code == 406, (
        f"step 4, GET {service} with Accept application/json answered {r.status_code}, expected 406"
    )
    r = client.put(service, params={"another_string": "hello"})
    assert 200 <= r.status_code < 300, (
        f"step 5, PUT {service}?another_string=hello answered {r.status_code}, expected 2xx"
    )
    r = client.get(service)
    assert (r.status_code, r.text) == (200, "hello"), (
        f"step 6, GET {service} answered {r.status_code} {r.text!r}, expected 200 'hello'"
    )
    r = client.delete(service)
    assert 200 <= r.status_code < 300, (
        f"step 7, DELETE {service} answered {r.status_code}, expected 2xx"
    )
    r = client.get(service)
    assert oracles.is_error(r.status_code), (
        f"step 8, GET {service} after DELETE answered {r.status_code}, expected an error status"
    )


@requirement("rest-post")
@pytest.mark.parametrize("length", [None, 1, 16, 22])
def test_post_generates_a_string_of_the_requested_length(client, store, length):
    store.write(client, length)


@requirement("rest-text-plain")
def test_service_answers_are_text_plain(client, store, service):
    r = store.write_response(client)
    found = oracles.media_type(r.headers.get("Content-Type"))
    assert r.status_code == 200 and found == "text/plain", (
        f"POST {service} answered {r.status_code} {found!r}, expected 200 text/plain"
    )
    r = store.read(client)
    found = oracles.media_type(r.headers.get("Content-Type"))
    assert r.status_code == 200 and found == "text/plain", (
        f"GET {service} answered {r.status_code} {found!r}, expected 200 text/plain"
    )


@requirement("rest-nothing-stored")
def test_a_new_client_reads_the_empty_answer(client, store):
    problem = store.nothing_stored_problem(store.read(client))
    assert problem is None, problem


@requirement("rest-readback")
def test_get_answers_what_post_generated(client, store):
    generated = store.write(client)
    problem = store.holds_problem(store.read(client), generated, store.write_label)
    assert problem is None, problem


@requirement("rest-406")
@pytest.mark.parametrize(
    "accept",
    ["application/json", "text/html", "image/*", "application/xml, application/json;q=0.9"],
)
def test_get_refuses_clients_that_do_not_accept_text_plain(client, store, service, accept):
    store.write(client)
    r = store.read(client, headers={"Accept": accept})
    assert r.status_code == 406, (
        f"GET {service} with Accept {accept!r} answered {r.status_code}, expected 406"
    )


@requirement("rest-accept-wildcards")
@pytest.mark.parametrize(
    "accept",
    [
        None,
        "text/plain",
        "text/*",
        "*/*",
        "application/json, text/plain",
        "text/html;q=0.9, */*;q=0.1",
    ],
)
def test_get_serves_clients_that_accept_text_plain(client, store, service, accept):
    generated = store.write(client)
    r = store.read(client, headers={"Accept": accept})
    shown = "no Accept header" if accept is None else f"Accept {accept!r}"
    problem = store.holds_problem(r, generated, f"POST, with {shown}")
    assert problem is None, problem


@requirement("rest-accept-rfc")
@pytest.mark.parametrize(
    ("accept", "acceptable"),
    [
        ("TEXT/PLAIN", True),
        ("Text/*", True),
        ("text/plain;q=0, */*", False),
        ("*/*;q=0", False),
        ("text/plain;q=0", False),
    ],
)
def test_get_negotiates_as_rfc_9110_says(client, store, service, accept, acceptable):
    store.write(client)
    r = store.read(client, headers={"Accept": accept})
    if acceptable:
        assert r.status_code == 200, (
            f"GET {service} with Accept {accept!r} answered {r.status_code}, expected 200"
        )
    else:
        assert r.status_code == 406, (
            f"GET {service} with Accept {accept!r} answered {r.status_code}, expected 406"
        )


@requirement("rest-accept-get-only")
def test_other_methods_ignore_the_accept_header(client, service):
    refuse = {"Accept": "application/json"}
    steps = [
        ("POST", client.post(service, headers=refuse)),
        ("PUT", client.put(service, params={"another_string": "x"}, headers=refuse)),
        ("DELETE", client.delete(service, headers=refuse)),
    ]
    for method, r in steps:
        assert 200 <= r.status_code < 300, (
            f"{method} {service} with Accept application/json answered {r.status_code}, expected 2xx"
        )


@requirement("rest-put-query")
def test_put_by_query_string_replaces_the_string(client, store, service):
    store.write(client)
    r = client.put(service, params={"another_string": "hello"})
    assert 200 <= r.status_code < 300, (
        f"PUT {service}?another_string=hello answered {r.status_code}, expected 2xx"
    )
    problem = store.holds_problem(store.read(client), "hello", "PUT ?another_string=hello")
    assert problem is None, problem


@requirement("rest-put-form")
def test_put_by_form_body_replaces_the_string(client, store, service):
    store.write(client)
    r = client.put(service, data={"another_string": "hello world"})
    assert 200 <= r.status_code < 300, (
        f"PUT {service} with body another_string=hello+world answered {r.status_code}, expected 2xx"
    )
    problem = store.holds_problem(store.read(client), "hello world", "PUT with a form body")
    assert problem is None, problem


@requirement("rest-delete")
def test_delete_empties_the_store(client, store, service):
    store.write(client)
    r = client.delete(service)
    assert 200 <= r.status_code < 300, f"DELETE {service} answered {r.status_code}, expected 2xx"
    problem = store.nothing_stored_problem(store.read(client))
    assert problem is None, f"after DELETE: {problem}"


def _second_post_wins(client, store):
    store.write(client)
    second = store.write(client)
    problem = store.holds_problem(store.read(client), second, "a second POST")
    assert problem is None, problem


@requirement("rest-post-replaces")
def test_a_second_post_replaces_the_session_string(client, store):
    _second_post_wins(client, store)


@requirement("store-post-replaces")
def test_a_second_post_replaces_the_stored_row(client, store):
    _second_post_wins(client, store)


@requirement("rest-405-allow")
def test_a_method_the_service_lacks_is_405_with_allow(client, service):
    r = client.request("PATCH", service, data={"another_string": "x"})
    assert r.status_code == 405, f"PATCH {service} answered {r.status_code}, expected 405"
    allowed = oracles.allow_methods(r.headers.get("Allow"))
    missing = {"GET", "POST", "PUT", "DELETE"} - allowed
    assert not missing, (
        f"PATCH {service} answered 405 with Allow {r.headers.get('Allow')!r}, missing {sorted(missing)}"
    )


# ------------------------------------------------------------ properties --


def _shown(header: str | None) -> str:
    return "no Accept header" if header is None else f"Accept {header!r}"


def _negotiates(new_client, store, service, header, verdict, rule) -> None:
    client = new_client()
    stored = store.write(client)
    r = store.read(client, headers={"Accept": header})
    what = f"GET {service} with {_shown(header)} answered {r.status_code}"
    if verdict is accept.ACCEPTABLE:
        assert r.status_code == 200, f"{what}; text/plain is acceptable ({rule}), expected 200"
    elif verdict is accept.UNACCEPTABLE:
        assert r.status_code == 406, f"{what}; text/plain is not acceptable ({rule}), expected 406"
        return
    else:
        assert r.status_code < 500, f"{what}; an Accept header must not break the server"
    if 200 <= r.status_code < 300:
        assert oracles.body_text(r) == stored, (
            f"{what} {r.text[:60]!r}, expected the stored {stored!r}"
        )


#: The decisive corners of the two Accept properties, sent first whatever the
#: Hypothesis release: q=0 spelt with decimals (the same weight), a
#: non-text type wildcard (never text/plain), upper case (the RFC compares
#: case-insensitively, CherryPy's tools.accept does not) and a refusal of
#: text/plain beside */* (the most specific range decides), and text/plain
#: acceptable only in a later element (every element counts).
ACCEPT_EXAMPLES = [
    {"header": header}
    for header in (
        "text/plain;q=0.0",
        "text/plain;q=0.000, text/html",
        "image/*",
        "application/*;q=0.5",
        "TEXT/PLAIN",
        "text/plain;q=0, */*",
        "application/json, text/plain",
    )
]


@requirement("rest-accept-property")
@property_check(header=strategies.accept_headers(), examples=ACCEPT_EXAMPLES)
def test_get_answers_406_exactly_when_the_tutorial_and_rfc_refuse(
    new_client, store, service, header
):
    verdict = accept.agreed_verdict(header)
    _negotiates(new_client, store, service, header, verdict, "tutorial 7 and RFC 9110")


@requirement("rest-accept-rfc-property")
@property_check(header=strategies.accept_headers(), examples=ACCEPT_EXAMPLES)
def test_get_answers_406_exactly_when_rfc_9110_refuses(new_client, store, service, header):
    verdict = accept.rfc_verdict(header)
    _negotiates(new_client, store, service, header, verdict, "RFC 9110 12.5.1")


@requirement("rest-put-roundtrip")
@property_check(value=strategies.unicode_strings(), where=st.sampled_from(("query", "body")))
def test_any_string_put_reads_back_identical(new_client, store, service, value, where):
    client = new_client()
    store.write(client)
    if where == "query":
        what = f"PUT {service}?another_string={value!a}"
        r = client.put(service, params={"another_string": value})
    else:
        what = f"PUT {service} with body another_string={value!a}"
        r = client.put(service, data={"another_string": value})
    assert 200 <= r.status_code < 300, f"{what} answered {r.status_code}, expected 2xx"
    r = store.read(client)
    assert r.status_code == 200, (
        f"GET {service} after {what} answered {r.status_code}, expected 200"
    )
    text = oracles.body_text(r)
    assert text == value, f"GET {service} after {what} answered {text!a}, not the string stored"
