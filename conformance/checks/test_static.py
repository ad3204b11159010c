"""Static content of tutorials 6 and 8-11: the stylesheet under /static."""

from __future__ import annotations

import datetime
import functools
import os

import pytest
import tutorial_fixtures
from hypothesis import strategies as st

from conformance import oracles, requirement
from conformance.oracles import forms
from conformance.properties import property_check, strategies
from conformance.spec import tutorials

STYLESHEET = "/static/css/style.css"
#: Request targets that escape the static root, sent byte for byte.  Each ends
#: in a file outside it, so that a server which folds dot segments before
#: routing lands on a path no tutorial defines.
TRAVERSALS = (
    "/static/../../../../../../../../etc/passwd",
    "/static/css/../../../../../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/static/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/%252e%252e/%252e%252e/%252e%252e/%252e%252e/etc/passwd",
    "/static/..\\..\\..\\..\\..\\..\\etc\\passwd",
    "/static/..%5c..%5c..%5c..%5c..%5c..%5cetc%5cpasswd",
    "/static/..%c0%af..%c0%af..%c0%af..%c0%af..%c0%afetc/passwd",
    "/static/css/%00/../../../../../../etc/passwd",
    "/static//etc/passwd",
    "/static/../setup.py",
    "/static/../app.py",
    "/static/../tut06.py",
    "/static/%2e%2e/tut08.py",
)
#: Bytes that only a file outside the static root would contain.
LEAK_MARKERS = (
    b"root:x:0:0",
    b"root:*:0:0",
    b"import cherrypy",
    b"import random",
    b"SQLite format 3",
    b"[build-system]",
    b"tutorial_fixtures",
)


def printed_stylesheet(tutorial) -> bytes:
    return tutorial_fixtures.path(tutorial.stylesheet, "public", "css", "style.css").read_bytes()


@requirement("static-stylesheet")
def test_the_stylesheet_is_the_printed_one(client, tutorial, target):
    r = client.get(STYLESHEET)
    assert r.status_code == 200, f"GET {STYLESHEET} answered {r.status_code}, expected 200"
    expected = printed_stylesheet(tutorial)
    if target.kind == "embedded":
        assert r.content == expected, (
            f"GET {STYLESHEET} differs from {tutorial.stylesheet}'s stylesheet byte for byte"
        )
    else:
        assert oracles.same_text_modulo_whitespace(r.text, expected.decode()), (
            f"GET {STYLESHEET} answered {r.text[:60]!r}, not tutorial {tutorial.number}'s stylesheet"
        )


@requirement("static-media-type")
def test_the_stylesheet_is_text_css(client):
    r = client.get(STYLESHEET)
    found = oracles.media_type(r.headers.get("Content-Type"))
    assert r.status_code == 200 and found == "text/css", (
        f"GET {STYLESHEET} answered {r.status_code} with media type {found!r}, expected 200 text/css"
    )


@requirement("static-linked")
def test_the_page_links_the_stylesheet(client):
    r = client.get("/")
    assert r.status_code == 200, f"GET / answered {r.status_code}, expected 200"
    links = [forms.resolve("/", href) for href in forms.stylesheets(r.text)]
    assert STYLESHEET in links, f"the page at / links stylesheets {links}, expected {STYLESHEET}"


@requirement("static-missing-404")
def test_a_missing_static_file_is_not_found(client):
    r = client.get("/static/css/no-such-file.css")
    assert r.status_code == 404, (
        f"GET /static/css/no-such-file.css answered {r.status_code}, expected 404"
    )


@requirement("static-traversal")
@pytest.mark.parametrize("path", TRAVERSALS)
def test_a_path_escaping_the_static_root_serves_nothing(raw, path):
    r = raw("GET", path)
    assert not 200 <= r.status < 300, (
        f"GET {path} answered {r.status}; a path outside the static root must not succeed"
    )
    leaked = [m.decode() for m in LEAK_MARKERS if m in r.body]
    assert not leaked, (
        f"GET {path} answered {r.status} with bytes from outside the static root ({leaked})"
    )


@requirement("info-traversal-403")
def test_cherrypy_forbids_a_path_escaping_the_static_root(raw):
    path = "/static/../../../../../../etc/passwd"
    r = raw("GET", path)
    assert r.status == 403, f"GET {path} answered {r.status}, CherryPy gives 403"


@requirement("static-head")
def test_head_of_the_stylesheet_answers_like_get_without_a_body(client):
    got = client.get(STYLESHEET)
    head = client.head(STYLESHEET)
    assert head.status_code == got.status_code == 200, (
        f"HEAD {STYLESHEET} answered {head.status_code}, GET {got.status_code}; expected 200 for both"
    )
    assert oracles.media_type(head.headers.get("Content-Type")) == "text/css", (
        f"HEAD {STYLESHEET} answered media type {head.headers.get('Content-Type')!r}, expected text/css"
    )
    assert head.content == b"", f"HEAD {STYLESHEET} answered a body of {len(head.content)} bytes"
    length = head.headers.get("Content-Length")
    assert length in (None, str(len(got.content))), (
        f"HEAD {STYLESHEET} gives Content-Length {length}, the GET body has {len(got.content)} bytes"
    )


@requirement("static-conditional-get")
def test_an_unmodified_stylesheet_answers_304(client):
    r = client.get(STYLESHEET)
    modified = oracles.http_date(r.headers.get("Last-Modified"))
    assert modified is not None, (
        f"GET {STYLESHEET} has no valid Last-Modified ({r.headers.get('Last-Modified')!r})"
    )
    now = datetime.datetime.now(datetime.timezone.utc)
    dates = [r.headers["Last-Modified"]]
    if now - modified > datetime.timedelta(seconds=4):
        # Later than Last-Modified but not in the future: RFC 9110 still says 304.
        dates.append(oracles.format_http_date(modified + (now - modified) / 2))
    for date in dates:
        again = client.get(STYLESHEET, headers={"If-Modified-Since": date})
        assert again.status_code == 304, (
            f"GET {STYLESHEET} with If-Modified-Since {date} (Last-Modified "
            f"{r.headers['Last-Modified']}) answered {again.status_code}, expected 304"
        )
        assert again.content == b"", f"the 304 answer carries a body of {len(again.content)} bytes"


# -------------------------------------------------------------- property --

#: Media types a static file may be served with, by extension.
MEDIA_TYPES = {
    ".css": {"text/css"},
    ".js": {
        "application/javascript",
        "text/javascript",
        "application/x-javascript",
        "application/ecmascript",
        "text/ecmascript",
    },
    ".txt": {"text/plain"},
    ".html": {"text/html"},
}


@functools.cache
def static_root_files(number: int, embedded: bool) -> dict[str, bytes]:
    """The files under the static root whose bytes are pinned: all of them for the
    embedded reference (its fixture folder), only the stylesheet the tutorial
    prints for any other target."""
    folder = f"tut{number:02d}" if number in (6, 10) else "tut08"
    public = tutorial_fixtures.path(folder, "public")
    if embedded:
        return {
            p.relative_to(public).as_posix(): p.read_bytes()
            for p in sorted(public.rglob("*"))
            if p.is_file()
        }
    return {"css/style.css": (public / "css" / "style.css").read_bytes()}


def consistent_files(number: int, embedded: bool) -> tuple[str, ...]:
    """Files a target other than the reference may write its own way (tutorial 10's
    component: the browser checks judge what it does): every spelling of such a
    path that succeeds must answer what its canonical spelling answers."""
    component = tutorials.get(number).component
    return (component,) if component and not embedded else ()


def _agrees_with_its_canonical_spelling(raw, request, answer, media: str | None) -> None:
    """Assert that ``answer`` (a success for ``request``) is what the canonical spelling of
    its file answers.  The canonical one is sent again with each example, so that a
    failure's reproduction holds both requests."""
    canonical = f"/static/{request.file}"
    r = raw("GET", canonical)
    found = oracles.media_type(r.headers.get("Content-Type"))
    assert 200 <= r.status < 300 and (r.body, found) == (answer.body, media), (
        f"GET {request.target} answered {answer.status} with {len(answer.body)} bytes of "
        f"{media!r}, while {canonical} answers {r.status} with {len(r.body)} bytes of "
        f"{found!r}: two spellings of one file must agree"
    )


def _outside(number: int) -> tuple[tuple[int | None, str], ...]:
    # Beside a printed tutorial's static root: its script and tutorial 9's database.
    return (*strategies.DEFAULT_OUTSIDE, (1, f"tut{number:02d}.py"), (1, "my.db"))


#: The components the tutorials serve (tutorial 10's React component).
COMPONENTS = sorted({t.component for t in tutorials.TUTORIALS.values() if t.component})


def _corners(component: str) -> list[str]:
    # Spellings that a handler choosing its answer by the request's spelling gets
    # wrong: empty and dot segments, a percent-encoded letter.
    folder, name = component.rsplit("/", 1)
    encoded = f"%{ord(name[0]):02X}{name[1:]}"
    return [
        f"/static//{component}",
        f"/static/{folder}/./{name}",
        f"/static/{folder}//{name}",
        f"/static/./{component}",
        f"/static/{folder}/{encoded}",
    ]


#: Sent first, whatever the Hypothesis release draws.
COMPONENT_CORNERS = [
    {"request": strategies.StaticRequest(target, component)}
    for component in COMPONENTS
    for target in _corners(component)
]


@requirement("static-path-property")
@property_check(request=strategies.file_spellings(COMPONENTS), examples=COMPONENT_CORNERS)
def test_every_spelling_of_the_component_answers_what_its_canonical_spelling_answers(
    raw, tutorial, target, request
):
    if tutorial.component is None:
        pytest.skip(f"tutorial {tutorial.number} serves no component of its own")
    r = raw("GET", request.target)
    if 200 <= r.status < 300:
        found = oracles.media_type(r.headers.get("Content-Type"))
        _agrees_with_its_canonical_spelling(raw, request, r, found)


@requirement("static-path-property")
@property_check(scale=4, data=st.data())  # one request per example: cheap
def test_any_static_path_serves_a_file_of_the_root_or_nothing(raw, tutorial, target, data):
    embedded = target.kind == "embedded"
    files = static_root_files(tutorial.number, embedded)
    consistent = consistent_files(tutorial.number, embedded)
    request = data.draw(
        strategies.static_requests(sorted([*files, *consistent]), _outside(tutorial.number))
    )
    r = raw("GET", request.target)
    what = f"GET {request.target} answered {r.status}"
    leaked = [m.decode() for m in LEAK_MARKERS if m in r.body]
    assert not leaked, f"{what} with bytes from outside the static root ({leaked})"
    success = 200 <= r.status < 300
    if request.escapes:
        assert not success, f"{what}; a path outside the static root must not succeed"
    found = oracles.media_type(r.headers.get("Content-Type"))
    if request.file in consistent:
        if success:
            _agrees_with_its_canonical_spelling(raw, request, r, found)
        return
    if request.canonical:
        assert r.status == 200, f"{what}, expected 200 with the file {request.file}"
    if not success:
        return
    expected = files.get(request.file) if request.file else None
    if embedded:
        same = r.body == expected
    else:
        same = expected is not None and oracles.same_text_modulo_whitespace(
            r.body.decode("utf-8", "replace"), expected.decode("utf-8", "replace")
        )
    assert same, (
        f"{what} with {len(r.body)} bytes that are not the file {request.file} of the static root"
    )
    allowed = MEDIA_TYPES.get(os.path.splitext(request.file)[1])
    assert allowed is None or found in allowed, (
        f"{what} with media type {found!r}, expected {' or '.join(sorted(allowed))}"
    )
