"""The Accept oracle (``conformance.accept``) on hand-picked cases, and against
the implementations it judges.

Hand-picked: RFC 9110 12.5.1's own example, each rule of the oracle, and each
place where the RFC leaves the answer open.  Contested: each corner of the grammar
where widely used parsers disagree (``accept.CONTESTED``), with what
Werkzeug, CherryPy and the reference really answer.  Generated: on every
header ``strategies.accept_headers()`` produces, a pinned RFC verdict agrees
with the reference's negotiation, the Flask port's and Werkzeug's own, and a
pinned agreed verdict agrees with CherryPy 18.10's ``tools.accept`` (what the
printed tutorials run) and Werkzeug.
"""

from __future__ import annotations

import contextlib

import cherrypy
import pytest
from cherrypy._cprequest import Request
from cherrypy.lib import cptools, httputil
from hypothesis import given, settings
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from conformance.oracles import accept
from conformance.oracles.accept import ACCEPTABLE, OPEN, UNACCEPTABLE
from conformance.properties import strategies
from reference_app import hardening
from tests.ports.flask_tutorials import plain_text_acceptable

RFC_CASES = [
    # No field: anything goes.
    (None, ACCEPTABLE),
    ("text/plain", ACCEPTABLE),
    ("text/*", ACCEPTABLE),
    ("*/*", ACCEPTABLE),
    ("application/json", UNACCEPTABLE),
    ("image/*, application/*", UNACCEPTABLE),
    ("text/html;q=0.9, */*;q=0.1", ACCEPTABLE),
    # Case-insensitive types and parameter names.
    ("TEXT/PLAIN", ACCEPTABLE),
    ("Text/*", ACCEPTABLE),
    ("text/plain;Q=0", UNACCEPTABLE),
    # q=0 in every spelling of the qvalue grammar.
    ("text/plain;q=0", UNACCEPTABLE),
    ("text/plain;q=0.000", UNACCEPTABLE),
    ("text/plain;q=1.000", ACCEPTABLE),
    # Open: a trailing dot, which Werkzeug drops (CONTESTED).
    ("text/plain;q=0.", OPEN),
    ("text/plain;q=1., text/html", OPEN),
    ("text/plain;q=0.001", ACCEPTABLE),
    # The most specific matching range decides.
    ("text/plain;q=0, */*", UNACCEPTABLE),
    ("text/plain;q=0, text/*", UNACCEPTABLE),
    ("*/*;q=0, text/plain", ACCEPTABLE),
    ("text/*;q=0, text/plain;q=0.5", ACCEPTABLE),
    ("*/*;q=0, text/*;q=0.1", ACCEPTABLE),
    ("text/*;q=0, */*", UNACCEPTABLE),
    # Whitespace the grammar allows.
    ("text/plain ; q=0", UNACCEPTABLE),
    ("text/plain\t;\tq=0 ,\t*/*;q=0", UNACCEPTABLE),
    ("application/json ,text/plain", ACCEPTABLE),
    # RFC 9110 12.5.1's example: text/plain is matched by text/plain;q=0.7
    # (and maybe by the ranges with parameters), acceptable either way.
    (
        "text/*;q=0.3, text/plain;q=0.7, text/plain;format=flowed, "
        "text/plain;format=fixed;q=0.4, */*;q=0.5",
        ACCEPTABLE,
    ),
    # Equally specific ranges that agree.
    ("text/plain;q=0.5, text/plain;q=1", ACCEPTABLE),
    ("text/plain;q=0, TEXT/PLAIN;q=0", UNACCEPTABLE),
    # A range with parameters that cannot change the answer.
    ("text/plain;charset=utf-8;q=0", UNACCEPTABLE),
    ("application/json;charset=utf-8", UNACCEPTABLE),
    ('application/json;a="b,text/plain"', UNACCEPTABLE),
    ("text/plain;format=flowed, text/plain", ACCEPTABLE),
    # Open: an empty field or element.
    ("", OPEN),
    (",", OPEN),
    ("text/plain, ,", OPEN),
    (", text/plain", OPEN),
    # Open: malformed elements.
    ("text", OPEN),
    ("text/", OPEN),
    ("*/plain", OPEN),
    ("text / plain", OPEN),
    ("text/plain;q = 0", OPEN),
    ("text/plain;q=2", OPEN),
    ("text/plain;q=0.0001", OPEN),
    ("text/plain;q=abc", OPEN),
    ("text/plain;q=-1", OPEN),
    ("text/plain;q=0;q=1", OPEN),
    ("text/plain;q=0.5;charset=utf-8", OPEN),
    ("text/plain;charset", OPEN),
    ("text/plain, garbage", OPEN),
    # Open: a range with parameters decides.
    ("text/plain;charset=utf-8", OPEN),
    ("text/plain;format=flowed, */*;q=0", OPEN),
    ("text/*;charset=utf-8", OPEN),
    ('text/plain;charset="a,b"', OPEN),
    # Open: equally specific ranges disagree.
    ("text/plain, text/plain;q=0", OPEN),
    ("text/*;q=0, TEXT/*", OPEN),
]

#: Where the tutorial's rule (CherryPy's tools.accept) and RFC 9110 agree, and where not.
AGREED_CASES = [
    (None, ACCEPTABLE),
    ("text/plain", ACCEPTABLE),
    ("application/json", UNACCEPTABLE),
    ("text/plain;q=0", UNACCEPTABLE),
    ("text/plain;q=0.0", UNACCEPTABLE),
    ("text/plain;Q=0", UNACCEPTABLE),
    ("*/*;q=0, text/plain", ACCEPTABLE),
    ("text/*;q=0, text/plain", ACCEPTABLE),
    ("text/plain;q=0, text/*;q=0", UNACCEPTABLE),
    ("text/plain;charset=utf-8;q=0", UNACCEPTABLE),
    # The RFC refuses, the tutorial's code serves.
    ("text/plain;q=0, */*", OPEN),
    ("text/plain;q=0, text/*", OPEN),
    # The RFC serves, the tutorial's code (case-sensitive) refuses.
    ("TEXT/PLAIN", OPEN),
    ("Text/*", OPEN),
    # Open for the RFC already.
    ("text/plain;format=flowed", OPEN),
    ("text/plain;q=abc", OPEN),
    ("", OPEN),
    # A quoted string: outside the plain reading of the tutorial's rule.
    ('application/json;a="b";q=0.5, text/plain', OPEN),
]


@pytest.mark.parametrize(("header", "verdict"), RFC_CASES)
def test_rfc_verdict_on_hand_picked_headers(header, verdict):
    assert accept.rfc_verdict(header) is verdict


@pytest.mark.parametrize(("header", "verdict"), AGREED_CASES)
def test_agreed_verdict_on_hand_picked_headers(header, verdict):
    assert accept.agreed_verdict(header) is verdict


def test_agreed_verdict_is_pinned_only_where_the_rfc_pins_the_same():
    for header, _ in RFC_CASES + AGREED_CASES:
        agreed = accept.agreed_verdict(header)
        assert agreed in (OPEN, accept.rfc_verdict(header)), header


def test_split_list_keeps_quoted_commas_and_semicolons():
    assert accept.split_list('a;b="x,y", c') == ['a;b="x,y"', " c"]
    assert accept.split_list('a;b="x\\",y";c', ";") == ["a", 'b="x\\",y"', "c"]


@contextlib.contextmanager
def _serving(header: str | None):
    """A CherryPy request with this Accept field, as tools.accept sees it."""
    saved = cherrypy.serving.request
    request = Request(httputil.Host("127.0.0.1", 80), httputil.Host("127.0.0.1", 1234))
    request.headers = httputil.HeaderMap()
    if header is not None:
        request.headers["Accept"] = header
    cherrypy.serving.request = request
    try:
        yield
    finally:
        cherrypy.serving.request = saved


def cherrypy_status(header: str | None) -> int:
    """What CherryPy 18.10's ``tools.accept(media='text/plain')`` answers (200: served)."""
    with _serving(header):
        try:
            cptools.accept("text/plain")
        except cherrypy.HTTPError as error:
            return error.status
    return 200


@pytest.mark.parametrize(("header", "verdict"), AGREED_CASES)
def test_cherrypy_agrees_with_the_agreed_verdict_on_hand_picked_headers(header, verdict):
    if verdict is not OPEN:
        assert cherrypy_status(header) == (200 if verdict is ACCEPTABLE else 406)


def test_cherrypy_is_the_reason_for_the_open_cases():
    # What makes the RFC-exact expectation SHOULD, not MUST (CHERRYPY-NOTES.md).
    assert cherrypy_status("text/plain;q=0, */*") == 200
    assert cherrypy_status("TEXT/PLAIN") == 406
    assert cherrypy_status("text/plain;q=abc") == 400


def werkzeug_serves(header: str | None) -> bool:
    """What a Flask app serves when it negotiates as Werkzeug 3 documents it.

    ``request.accept_mimetypes`` is ``parse_accept_header(value, MIMEAccept)``;
    a port serves text/plain when no Accept field was provided, or when its
    quality (of the most specific matching range, after Werkzeug drops the
    elements it finds malformed) is above 0.
    """
    mimetypes = parse_accept_header(header, MIMEAccept)
    return not mimetypes.provided or mimetypes.quality("text/plain") > 0


def reference_serves(header: str | None) -> bool:
    return hardening.acceptable(header, "text/plain", {"charset": "utf-8"})


#: What each widely used parser does with each contested corner: Werkzeug's
#: ``parse_accept_header`` / ``MIMEAccept`` (Flask), CherryPy 18.10's
#: ``tools.accept`` (``httputil.AcceptElement``: ``float()`` of the weight,
#: elements split at every ``,`` and ``;``, 400 for a weight ``float()``
#: refuses) and the reference (``reference_app.hardening``: an element it
#: cannot parse is ignored; nothing parseable left means anything goes).
CONTESTED_BEHAVIOURS = {
    # Werkzeug's weight pattern ``-?\d+(\.\d+)?`` refuses "1.": it drops the
    # element, leaving text/html alone; CherryPy's float("1.") is 1.0.
    "trailing-dot-qvalue": {"werkzeug": 406, "cherrypy": 200, "reference": 200},
    # Werkzeug and CherryPy read any number of decimals; the reference drops
    # a weight outside the grammar (and with it the element).
    "qvalue-over-three-decimals": {"werkzeug": 406, "cherrypy": 406, "reference": 200},
    # Werkzeug's parameter pattern needs "q=" adjacent: it ignores the
    # parameter, weight 1; CherryPy strips the spaces, weight 0.
    "whitespace-around-equals": {"werkzeug": 200, "cherrypy": 406, "reference": 200},
    # Werkzeug unquotes the value, weight 0; CherryPy's float('"0"') fails: 400.
    "quoted-qvalue": {"werkzeug": 406, "cherrypy": 400, "reference": 200},
    # Werkzeug and CherryPy read -0 as a weight of 0.
    "signed-or-zero-padded-qvalue": {"werkzeug": 406, "cherrypy": 406, "reference": 200},
    # Werkzeug and CherryPy drop empty elements, leaving an empty list: 406;
    # the reference treats a list with no range as no preference.
    "empty-element": {"werkzeug": 406, "cherrypy": 406, "reference": 200},
}


def test_every_contested_corner_has_its_parser_behaviours_named():
    assert set(CONTESTED_BEHAVIOURS) == set(accept.CONTESTED)


@pytest.mark.parametrize("corner", sorted(accept.CONTESTED))
def test_a_contested_corner_is_open_and_the_parsers_do_disagree(corner):
    header, _in_the_grammar = accept.CONTESTED[corner]
    observed = {
        "werkzeug": 200 if werkzeug_serves(header) else 406,
        "cherrypy": cherrypy_status(header),
        "reference": 200 if reference_serves(header) else 406,
    }
    assert observed == CONTESTED_BEHAVIOURS[corner]
    assert len(set(observed.values())) > 1, f"{corner}: the parsers agree on {header!r}"
    assert accept.rfc_verdict(header) is OPEN
    assert accept.agreed_verdict(header) is OPEN


def test_a_trailing_dot_is_in_the_grammar_yet_open():
    # RFC 9110 12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
    assert accept._QVALUE.fullmatch("1.") and accept._QVALUE.fullmatch("0.")
    for header in ("text/plain;q=1.", "text/plain;q=0.", "*/*;q=0., text/plain"):
        assert accept.rfc_verdict(header) is OPEN
        assert accept.agreed_verdict(header) is OPEN
    assert accept.CONTESTED["trailing-dot-qvalue"][1] is True


@settings(max_examples=1000, derandomize=True, deadline=None, database=None)
@given(header=strategies.accept_headers())
def test_a_pinned_verdict_agrees_with_every_implementation(header):
    rfc = accept.rfc_verdict(header)
    if rfc is not OPEN:
        served = rfc is ACCEPTABLE
        assert reference_serves(header) is served
        assert plain_text_acceptable(header) is served
        assert werkzeug_serves(header) is served
    agreed = accept.agreed_verdict(header)
    if agreed is not OPEN:
        assert cherrypy_status(header) == (200 if agreed is ACCEPTABLE else 406)
        assert werkzeug_serves(header) is (agreed is ACCEPTABLE)


@settings(max_examples=1000, derandomize=True, deadline=None, database=None)
@given(header=strategies.accept_headers())
def test_the_tutorial_rule_is_cherrypy_where_it_pins_an_answer(header):
    rule = accept.tutorial_verdict(header)
    if rule is not OPEN:
        assert cherrypy_status(header) == (200 if rule is ACCEPTABLE else 406)
