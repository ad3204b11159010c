"""/generate: the random string of tutorials 2-6 and 12, and its length parameter."""

from __future__ import annotations

import re

import pytest

from conformance import oracles, requirement
from conformance.checks.store import Store
from conformance.properties import property_check, strategies
from conformance.spec.tutorials import MAX_LENGTH

#: Lengths that ``int()`` or ``random.sample(string.hexdigits, n)`` refuse, and
#: that no careful port would take either.  Open forms (' 8', '+8', '٨') are
#: left to the properties, which assert only what holds everywhere.
INVALID_LENGTHS = ("abc", "1.5", "", "-1", str(MAX_LENGTH + 1), "99999999999999999999")


@requirement("generate-default-length")
def test_generate_without_length_gives_eight_characters(client):
    r = client.get("/generate")
    assert r.status_code == 200, f"GET /generate answered {r.status_code}, expected 200"
    assert len(r.text) == 8, (
        f"GET /generate answered {r.text!r}: {len(r.text)} characters, expected 8"
    )


@requirement("generate-alphabet")
def test_generated_characters_are_distinct_hexdigits(client, tutorial):
    requests_ = [("/generate", None)] * 5
    if tutorial.takes_length:
        requests_ += [("/generate", {"length": str(MAX_LENGTH)})] * 3
    for path, params in requests_:
        r = client.get(path, params=params)
        what = f"GET {path}" + (f"?length={params['length']}" if params else "")
        assert r.status_code == 200, f"{what} answered {r.status_code}, expected 200"
        problem = oracles.generated_string_problem(r.text)
        assert problem is None, f"{what} answered {problem}"


#: How many strings ``generate-random`` draws.  A faithful
#: ``random.sample(string.hexdigits, 8)`` has 22!/14! = 12,893,126,400 equally
#: likely answers, so 5 draws repeat one with probability
#: 1 - prod(1 - i/12893126400 for i in range(5)), about 7.8e-10.
RANDOM_DRAWS = 5


@requirement("generate-random")
def test_successive_generated_strings_differ(client, tutorial):
    store = Store(tutorial)
    seen: dict[str, int] = {}
    for draw in range(1, RANDOM_DRAWS + 1):
        r = store.write_response(client)
        what = f"{store.write_label} (draw {draw} of {RANDOM_DRAWS})"
        assert r.status_code == 200, f"{what} answered {r.status_code}, expected 200"
        assert r.text not in seen, (
            f"{what} answered {r.text!r}, as draw {seen.get(r.text)} did; a random "
            f"string repeats within {RANDOM_DRAWS} draws with probability below 1e-9"
        )
        seen[r.text] = draw


@requirement("generate-length")
def test_every_length_from_1_to_22_is_honoured(client):
    for n in range(1, MAX_LENGTH + 1):
        r = client.get("/generate", params={"length": str(n)})
        assert r.status_code == 200, (
            f"GET /generate?length={n} answered {r.status_code}, expected 200"
        )
        problem = oracles.generated_string_problem(r.text, n)
        assert problem is None, f"GET /generate?length={n} answered {problem}"


@requirement("generate-length-invalid")
@pytest.mark.parametrize("length", INVALID_LENGTHS, ids=lambda v: repr(v))
def test_an_invalid_length_is_never_a_success(client, length):
    r = client.get("/generate", params={"length": length})
    assert not 200 <= r.status_code < 300, (
        f"GET /generate?length={length} answered {r.status_code} {r.text[:40]!r}; "
        "an invalid length must not succeed"
    )


@requirement("info-invalid-length-500")
def test_cherrypy_answers_500_to_an_invalid_length(client):
    r = client.get("/generate", params={"length": "abc"})
    assert r.status_code == 500, (
        f"GET /generate?length=abc answered {r.status_code}, CherryPy gives 500"
    )


@requirement("info-unexpected-param-404")
def test_cherrypy_answers_404_to_an_undeclared_parameter(client):
    r = client.get("/generate", params={"length": "8", "colour": "blue"})
    assert r.status_code == 404, (
        f"GET /generate?length=8&colour=blue answered {r.status_code}, CherryPy gives 404"
    )


@requirement("info-path-param")
def test_cherrypy_binds_an_extra_path_segment_to_length(client):
    r = client.get("/generate/16")
    assert r.status_code == 200, f"GET /generate/16 answered {r.status_code}, CherryPy gives 200"
    problem = oracles.generated_string_problem(r.text, 16)
    assert problem is None, f"GET /generate/16 answered {problem}"


# -------------------------------------------------------------- property --

#: The canonical spelling of a length every stack reads the same way.
_CANONICAL = re.compile(r"[1-9][0-9]?")


def length_verdict(value: str) -> tuple[str, int | None]:
    """What the specification pins for ``length=value``.

    - ``("required", n)``: ASCII decimal without sign, padding or leading
      zero, 1 to 22: a 2xx answer with exactly ``n`` characters.
    - ``("forbidden", None)``: Python's ``int()`` (the printed code) refuses
      it, or reads a number outside 0 to 22: never a 2xx answer.
    - ``("open", n)``: ``int()`` reads ``n`` in 0 to 22 but other stacks may
      refuse the form (``'0'``, ``' 8'``, ``'+8'``, ``'-0'``, non-ASCII
      digits): a 2xx answer has exactly ``n`` characters.
    - ``("open", None)``: as above, but the form's value is itself in doubt
      (leading zeros read as octal, underscores): a 2xx answer is just a
      well-formed string.
    """
    if _CANONICAL.fullmatch(value) and int(value) <= MAX_LENGTH:
        return "required", int(value)
    try:
        number = int(value)
    except ValueError:
        return "forbidden", None
    if not 0 <= number <= MAX_LENGTH:
        return "forbidden", None
    digits = value.strip().lstrip("+-")
    if "_" in digits or (len(digits) > 1 and int(digits[0]) == 0):
        return "open", None
    return "open", number


#: The boundaries every run sends first, whatever Hypothesis draws after them ("0",
#: open, is left to generation: the kit's tests rely on a failure found by it).
LENGTH_EXAMPLES = [{"length": v} for v in ("1", "22", "23", "-1", "8.0")]


@requirement("generate-length-property")
@property_check(length=strategies.lengths(), examples=LENGTH_EXAMPLES)
def test_any_length_is_honoured_exactly_or_refused(new_client, tutorial, length):
    client = new_client()
    if tutorial.service:
        what = f"POST {tutorial.service} with length={length!r}"
        r = client.post(tutorial.service, data={"length": length})
    else:
        what = f"GET /generate?length={length!r}"
        r = client.get("/generate", params={"length": length})
    kind, number = length_verdict(length)
    success = 200 <= r.status_code < 300
    if kind == "forbidden":
        assert not success, (
            f"{what} answered {r.status_code} {r.text[:40]!r}; "
            "a length that is not an integer from 0 to 22 must not succeed"
        )
        return
    if kind == "required":
        assert success, f"{what} answered {r.status_code}, expected 2xx with {number} characters"
    if success:
        problem = oracles.generated_string_problem(r.text, number)
        assert problem is None, f"{what} answered {problem}"
