"""The library of tutorial 11: books at RESTful URLs such as ``/library/12/book/15``.

The library is shared by every client and outlives a check, so each check
works on library ids of its own, drawn at random from a range no person
would type: two checks, two runs against the same ``--base-url`` server, or
two xdist workers never touch the same books.
"""

from __future__ import annotations

import secrets

import pytest

from conformance import oracles, requirement

#: The kit's library ids stay below 2**53, so that a port whose ids are
#: JavaScript numbers (IEEE doubles) is never judged on number precision.
MAX_ID = 2 * 10**12
assert MAX_ID < 2**53

#: Digits other than ASCII that Python's ``int()`` reads (Arabic-Indic, fullwidth).
_ARABIC_INDIC = str.maketrans(
    "0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
)
_FULLWIDTH = str.maketrans(
    "0123456789", "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19"
)


@pytest.fixture
def lib() -> int:
    """A library id no other check uses (ids in decimal, as the URLs take them),
    from 10**12 to ``MAX_ID``: 13 digits, below 2**53."""
    return 10**12 + secrets.randbelow(MAX_ID - 10**12)


def percent_encoded(digits: str) -> str:
    """Every character of ``digits`` as a percent-encoded octet (``12`` -> ``%31%32``)."""
    return "".join(f"%{ord(c):02X}" for c in digits)


def book_path(lib: int, book: int) -> str:
    return f"/library/{lib}/book/{book}"


def store_book(client, lib: int, book: int, title: str, *, form: bool = False):
    """PUT ``title`` (query string, or form body); the answer must be 2xx."""
    where = {"data": {"title": title}} if form else {"params": {"title": title}}
    r = client.put(book_path(lib, book), **where)
    how = "in a form body" if form else "in the query string"
    assert 200 <= r.status_code < 300, (
        f"PUT {book_path(lib, book)} with title {title!r} {how} answered {r.status_code}, expected 2xx"
    )
    return r


def delete_book(client, lib: int, book: int) -> None:
    """DELETE the book; the answer must be 2xx."""
    path = book_path(lib, book)
    r = client.delete(path)
    assert 200 <= r.status_code < 300, f"DELETE {path} answered {r.status_code}, expected 2xx"


def title_problem(r, path: str, title: str) -> str | None:
    """None if ``r`` is 200 text/plain with exactly ``title``, else what is wrong."""
    found = oracles.media_type(r.headers.get("Content-Type"))
    text = oracles.body_text(r)
    if r.status_code != 200 or found != "text/plain" or text != title:
        return (
            f"GET {path} answered {r.status_code} {found!r} {text[:60]!r}, "
            f"expected 200 text/plain {title!r}"
        )
    return None


def listing(client, path: str) -> list[int]:
    """GET a listing; it must be 200 text/plain with distinct decimal ids in
    ascending order, one per line. Returns the ids."""
    r = client.get(path)
    found = oracles.media_type(r.headers.get("Content-Type"))
    assert r.status_code == 200 and found == "text/plain", (
        f"GET {path} answered {r.status_code} {found!r}, expected 200 text/plain"
    )
    text = oracles.body_text(r)
    lines = text.splitlines()
    assert all(line.isascii() and line.isdigit() for line in lines), (
        f"GET {path} answered {text[:80]!r}, expected one decimal id per line"
    )
    ids = [int(line) for line in lines]
    assert ids == sorted(set(ids)), (
        f"GET {path} listed {ids[:10]}, expected distinct ids in ascending numeric order"
    )
    return ids


@requirement("library-book")
def test_a_book_reads_back_what_was_put_at_its_url(client, lib):
    books = {
        (lib, 15): ("Dune", False),
        (lib, 16): ("Les Misérables", True),
        (lib + 1, 15): ("Emma", True),
    }
    for (library, book), (title, form) in books.items():
        store_book(client, library, book, title, form=form)
    for (library, book), (title, _) in books.items():
        path = book_path(library, book)
        problem = title_problem(client.get(path), path, title)
        assert problem is None, problem


@requirement("library-percent-encoded")
def test_percent_encoded_digits_name_the_same_book(client, raw, lib):
    # RFC 3986 2.3 and 6.2.2.2: a percent-encoded unreserved character (a
    # digit) is equivalent to the character; every WSGI server, CherryPy and
    # Express's route parameters decode the path before routing.
    store_book(client, lib, 15, "Dune")
    path = f"/library/{percent_encoded(str(lib))}/book/{percent_encoded('15')}"
    r = raw("GET", path)
    text = r.body.decode("utf-8", "replace")
    assert r.status == 200 and text == "Dune", (
        f"GET {path} (that is, {book_path(lib, 15)}) answered {r.status} {text[:60]!r}, "
        "expected 200 'Dune': percent-encoded digits are the digits (RFC 3986 6.2.2.2)"
    )


@requirement("library-put-status")
def test_put_creates_with_201_and_replaces_with_200_or_204(client, lib):
    path = book_path(lib, 15)
    r = store_book(client, lib, 15, "Dune")
    assert r.status_code == 201, f"PUT {path} of a new book answered {r.status_code}, expected 201"
    r = store_book(client, lib, 15, "Emma")
    assert r.status_code in (200, 204), (
        f"PUT {path} replacing a title answered {r.status_code}, expected 200 or 204"
    )


@requirement("library-delete")
def test_delete_removes_the_book(client, lib):
    path = book_path(lib, 15)
    store_book(client, lib, 15, "Dune")
    delete_book(client, lib, 15)
    r = client.get(path)
    assert r.status_code == 404, f"GET {path} after DELETE answered {r.status_code}, expected 404"
    r = client.delete(path)
    assert r.status_code == 404, f"a second DELETE {path} answered {r.status_code}, expected 404"


@requirement("library-not-found")
def test_a_book_never_stored_is_404(client, lib):
    store_book(client, lib, 15, "Dune")
    path = book_path(lib, 16)
    r = client.get(path)
    assert r.status_code == 404, f"GET {path}, never stored, answered {r.status_code}, expected 404"


@requirement("library-not-found")
@pytest.mark.parametrize(
    "shape",
    [
        "/library/x/book/{book}",
        "/library/{lib}/book/x",
        "/library/{lib}/books/{book}",
        "/library/{lib}/book/{book}/extra",
        "/library/{lib}/book",
        "/library/{lib}/{book}",
        "/library/{lib}/x",
        # Ids are canonical ASCII decimals: no leading zero, no other digits.
        "/library/0{lib}/book/{book}",
        "/library/{lib}/book/0{book}",
        "/library/00{lib}",
        "/library/{lib_arabic}/book/{book}",
        "/library/{lib}/book/{book_fullwidth}",
    ],
)
def test_a_path_that_is_not_a_library_url_is_never_2xx(client, lib, shape):
    # The book exists, so a path that ignored its extra or misspelt segment,
    # or read a non-canonical id with int(), would find it.
    store_book(client, lib, 15, "Dune")
    path = shape.format(
        lib=lib,
        book=15,
        lib_arabic=str(lib).translate(_ARABIC_INDIC),
        book_fullwidth="15".translate(_FULLWIDTH),
    )
    r = client.get(path)
    assert 400 <= r.status_code < 500, f"GET {path} answered {r.status_code}, expected 4xx"


@requirement("library-listing")
def test_the_listings_show_libraries_and_books_in_order(client, lib):
    for library, book in ((lib, 16), (lib, 2), (lib + 1, 7)):
        store_book(client, library, book, "Dune")
    libraries = listing(client, "/library")
    assert {lib, lib + 1} <= set(libraries), (
        f"GET /library listed {libraries[:10]}..., expected it to include {lib} and {lib + 1}"
    )
    path = f"/library/{lib}"
    books = listing(client, path)
    # Numeric order: ids stored as text, or JavaScript's default sort, give 16 before 2.
    assert books == [2, 16], f"GET {path} listed {books}, expected [2, 16] (numeric order)"


@requirement("library-listing")
def test_a_library_without_books_is_neither_listed_nor_found(client, lib):
    store_book(client, lib, 15, "Dune")
    delete_book(client, lib, 15)
    assert lib not in listing(client, "/library"), (
        f"GET /library still lists {lib} after its only book was deleted"
    )
    r = client.get(f"/library/{lib}")
    assert r.status_code == 404, (
        f"GET /library/{lib} without books answered {r.status_code}, expected 404"
    )


@requirement("library-shared")
def test_any_client_reads_replaces_and_deletes_another_clients_book(
    client, new_client, lib, tutorial
):
    # The first client holds a session of the string service; the second none.
    client.post(tutorial.service)
    other = new_client()
    path = book_path(lib, 15)
    store_book(client, lib, 15, "Dune")
    problem = title_problem(other.get(path), path, "Dune")
    assert problem is None, f"another client: {problem}"
    store_book(other, lib, 15, "Emma")
    problem = title_problem(client.get(path), path, "Emma")
    assert problem is None, f"after another client's PUT: {problem}"
    delete_book(other, lib, 15)
    r = client.get(path)
    assert r.status_code == 404, (
        f"GET {path} after another client's DELETE answered {r.status_code}, expected 404"
    )


@requirement("library-405-allow")
@pytest.mark.parametrize(
    ("shape", "methods"),
    [
        ("/library", {"GET"}),
        ("/library/{lib}", {"GET"}),
        ("/library/{lib}/book/15", {"GET", "PUT", "DELETE"}),
    ],
)
def test_post_to_the_library_is_405_with_allow(client, lib, shape, methods):
    store_book(client, lib, 15, "Dune")
    path = shape.format(lib=lib)
    r = client.post(path, data={"title": "Emma"})
    assert r.status_code == 405, f"POST {path} answered {r.status_code}, expected 405"
    allow = r.headers.get("Allow")
    missing = methods - oracles.allow_methods(allow)
    assert not missing, f"POST {path} answered 405 with Allow {allow!r}, missing {sorted(missing)}"
