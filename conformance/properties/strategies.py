"""Hypothesis strategies of the property-based and stateful checks, in one place.

- ``lengths()``: values of the ``length`` parameter, as the text a client
  sends: the valid range and its boundaries, non-integers, signs, whitespace,
  huge numbers (near 2**31, 2**32, 2**63, 2**64, 10**20), non-ASCII digits,
  leading zeros, underscores, and arbitrary short text.
- ``accept_headers()``: ``Accept`` field values from RFC 9110's grammar
  (media ranges, wildcards, parameters, quoted strings, q-values including
  ``q=0`` in all its spellings), with odd whitespace and case, and sometimes
  a malformed or empty element or a corner parsers disagree on (trailing
  dots, four decimals, signs, quotes and whitespace around ``=`` in the
  weight); ``None`` is "no Accept field".
- ``static_requests(files, outside)``: raw request targets under ``/static``:
  the files of the static root, spelled canonically or in equivalent ways,
  and traversal payloads (dot segments, percent- and double-encoding,
  backslashes, NUL, overlong UTF-8, absolute paths, trailing slashes) that
  lead to a file outside the root.
- ``unicode_strings()``: arbitrary Unicode (no surrogates, which no UTF-8
  request can carry) for PUT bodies and query strings, biased towards the
  characters that URL and form encodings treat specially.
- ``store_lengths()``: the lengths the stateful model generates with.

A property check is made with ``conformance.properties.property_check``,
which draws from these strategies under the selected profile.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from hypothesis import strategies as st

from ..spec.tutorials import MAX_LENGTH

# ---------------------------------------------------------------- lengths --

#: The zero of each decimal script whose digits Python's ``int()`` reads.
DIGIT_ZEROS = (
    "0",  # ASCII
    "\u0660",  # Arabic-Indic
    "\u06f0",  # Extended Arabic-Indic
    "\u0966",  # Devanagari
    "\u09e6",  # Bengali
    "\uff10",  # fullwidth
    "\U0001d7ce",  # mathematical bold
)
#: Whitespace ``int()`` strips (``str.isspace``), and two invisible characters
#: it does not (zero-width space, byte-order mark).
PADDING = (
    *("", " ", "  ", "\t", "\n", "\r\n", "\x0b", "\x0c", "\xa0", "\u2003", "\u3000", "\x1c"),
    *("\u200b", "\ufeff"),
)
#: Bases that fixed-width integers wrap around at, and other large numbers.
HUGE_BASES = (2**31, 2**32, 2**53, 2**63, 2**64, 10**20, 10**100)
#: Texts that are not integers at all.
NOT_INTEGERS = (
    "",
    "abc",
    "eight",
    "1.5",
    "8.0",
    "8.",
    ".8",
    "1e1",
    "8e0",
    "0x8",
    "0o10",
    "0b1000",
    "NaN",
    "inf",
    "8abc",
    "abc8",
    "8 8",
    "--8",
    "+-8",
    "-+8",
    "1/2",
    "\u00bd",  # vulgar fraction one half
    "\u2167",  # roman numeral eight
    "\u00b2",  # superscript two
    "8\x00",
    "\x008",
    "_8",
    "8_",
    "1__0",
    "true",
    "[8]",
    "8,0",
)


def _in_script(digits: str, zero: str) -> str:
    return "".join(chr(ord(zero) + int(d)) for d in digits)


@st.composite
def _integer_forms(draw) -> str:
    """An integer written as a client might: sign, zeros, script, padding, underscores."""
    value = draw(
        st.one_of(
            st.integers(0, MAX_LENGTH + 1),
            st.sampled_from((0, 1, MAX_LENGTH - 1, MAX_LENGTH, MAX_LENGTH + 1)),
            st.integers(MAX_LENGTH + 2, 10**6),
            st.builds(
                lambda base, offset: base + offset,
                st.sampled_from(HUGE_BASES),
                st.integers(-1, MAX_LENGTH + 1),
            ),
        )
    )
    digits = str(value)
    sign = draw(st.sampled_from(("", "", "", "", "-", "+")))
    zeros = draw(st.sampled_from(("", "", "", "", "0", "00")))
    zero = draw(st.sampled_from(DIGIT_ZEROS[:1] * 4 + DIGIT_ZEROS[1:]))
    digits = _in_script(zeros + digits, zero)
    if len(digits) > 1 and draw(st.integers(0, 9)) == 0:
        cut = draw(st.integers(1, len(digits) - 1))
        digits = digits[:cut] + "_" + digits[cut:]
    if draw(st.integers(0, 3)) == 0:
        before = draw(st.sampled_from(PADDING))
        after = draw(st.sampled_from(PADDING))
    else:
        before = after = ""
    return before + sign + digits + after


def lengths() -> st.SearchStrategy[str]:
    """Values of ``length`` as sent: valid, boundary, invalid and open forms."""
    return st.one_of(
        _integer_forms(),
        st.sampled_from(NOT_INTEGERS),
        st.text(max_size=6),
    )


def store_lengths() -> st.SearchStrategy[int | None]:
    """The lengths the stateful model asks for: the default (None) or 1 to 22."""
    return st.one_of(st.none(), st.integers(1, MAX_LENGTH))


# ---------------------------------------------------------- Accept headers --

#: Media ranges: the ones that name text/plain first (they shrink towards
#: them), and twice (they decide the answer).
MEDIA_RANGES = (
    "text/plain",
    "text/*",
    "*/*",
    "text/plain",
    "text/*",
    "*/*",
    "text/html",
    "application/json",
    "image/*",
    "application/*",
    "text/plain+xml",
    "plain/text",
    "text/x-plain",
)
#: Elements that are not media ranges at all.
MALFORMED_RANGES = (
    "text",
    "text/",
    "/plain",
    "*/plain",
    "*",
    "text /plain",
    "text/ plain",
    "text/plain/x",
    "text/pl ain",
    "text/plain;",
)
#: Parameters other than the weight: (name, value); values may be quoted strings.
PARAMETERS = (
    ("charset", "utf-8"),
    ("charset", "UTF-8"),
    ("charset", '"utf-8"'),
    ("charset", "iso-8859-1"),
    ("format", "flowed"),
    ("level", "1"),
    ("a", '"b,text/plain"'),
    ("a", '"x;q=0"'),
    ("a", '"\\"q=1\\""'),
)
#: Spellings of valid qvalues (RFC 9110 12.4.2), zero in all its forms first.
QVALUES = (
    "0",
    "0.",
    "0.0",
    "0.00",
    "0.000",
    "1",
    "1.",
    "1.0",
    "1.00",
    "1.000",
    "0.001",
    "0.01",
    "0.1",
    "0.5",
    "0.9",
    "0.999",
)
#: Every spelling of a zero weight.
ZEROS = ("0", "0.", "0.0", "0.00", "0.000")
#: q-values outside the grammar: open by RFC 9110.
#: The trailing dots of ``QVALUES`` and the zero-padded, signed and
#: four-decimal ones here are the corners parsers disagree on (``CONTESTED``).
BAD_QVALUES = (
    "2",
    "-1",
    "0.0001",
    "0.0000",
    "1.5",
    "1.001",
    ".5",
    "abc",
    "",
    "1e0",
    "0,5",
    "0.5 ",
    '"0"',
    '"1"',
    "-0",
    "01",
    "00.5",
)
#: Optional whitespace, as RFC 9110 allows it (OWS) and a little more.
OWS = ("", "", "", " ", "  ", "\t", " \t")


def _recase(draw, text: str) -> str:
    how = draw(st.sampled_from(("keep",) * 6 + ("upper", "title", "mixed")))
    if how == "upper":
        return text.upper()
    if how == "title":
        return text.title()
    if how == "mixed":
        flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
        return "".join(c.swapcase() if f else c for c, f in zip(text, flips))
    return text


@st.composite
def _qvalue(draw, clean: bool) -> str:
    if not clean and draw(st.integers(0, 5)) == 0:
        return draw(st.sampled_from(BAD_QVALUES))
    how = draw(st.integers(0, 3))
    if how == 0:
        return draw(st.sampled_from(ZEROS))  # refusal: the boundary that matters most
    if how == 1:
        return draw(st.sampled_from(QVALUES))
    if how == 2:
        return "0." + "".join(draw(st.lists(st.sampled_from("0123456789"), max_size=3)))
    return "1." + "0" * draw(st.integers(0, 3))


@st.composite
def _accept_element(draw, clean: bool) -> str:
    if not clean and draw(st.integers(0, 7)) == 0:
        media_range = draw(st.sampled_from(MALFORMED_RANGES))
    else:
        media_range = draw(st.sampled_from(MEDIA_RANGES))
        media_range = media_range if clean else _recase(draw, media_range)
    parts = [media_range]
    if not clean and draw(st.booleans()):
        for name, value in draw(st.lists(st.sampled_from(PARAMETERS), min_size=1, max_size=2)):
            parts.append(f"{draw(st.sampled_from(OWS))};{draw(st.sampled_from(OWS))}")
            parts.append(f"{_recase(draw, name)}={value}")
    if draw(st.booleans()):
        name = "q" if clean else draw(st.sampled_from(("q", "q", "Q")))
        equals = "="
        if not clean and draw(st.integers(0, 7)) == 0:
            equals = draw(st.sampled_from((" =", "= ", " = ")))
        parts.append(f"{draw(st.sampled_from(OWS))};{draw(st.sampled_from(OWS))}")
        parts.append(f"{name}{equals}{draw(_qvalue(clean))}")
        if not clean and draw(st.integers(0, 7)) == 0:
            parts.append(";level=1")  # a parameter after the weight
    return "".join(parts)


@st.composite
def _accept_value(draw) -> str:
    # Most headers are well-formed and lower-case (where the answer is pinned
    # at every level); the rest have odd case, parameters, bad weights,
    # malformed or empty elements.
    clean = draw(st.integers(0, 4)) < 3
    elements = draw(st.lists(_accept_element(clean), min_size=1, max_size=4))
    if not clean and draw(st.integers(0, 7)) == 0:
        elements.insert(draw(st.integers(0, len(elements))), "")  # an empty list element
    value = ""
    for index, element in enumerate(elements):
        if index:
            value += f"{draw(st.sampled_from(OWS))},{draw(st.sampled_from(OWS))}"
        value += element
    # A field value has no leading whitespace (and requests refuses to send it).
    value = value.lstrip(" \t")
    return value + draw(st.sampled_from(("",) * 7 + (" ",))) if value else value


def accept_headers() -> st.SearchStrategy[str | None]:
    """``Accept`` field values (None: send no Accept field at all)."""
    return st.one_of(
        _accept_value(),
        st.sampled_from((None, "", ",", "*/*", "text/plain;q=0")),
    )


# ---------------------------------------------------------- static paths ----


@dataclasses.dataclass(frozen=True)
class StaticRequest:
    """A raw request target under /static and what it names."""

    #: The request target, sent byte for byte.
    target: str
    #: The file under the static root it names ('/'-separated), or None.
    file: str | None = None
    #: Whether this is the file's canonical spelling (which must be served).
    canonical: bool = False
    #: Whether it was built to leave the static root.
    escapes: bool = False


#: Spellings of "." in a dot segment: plain, percent-encoded (either case),
#: double-encoded, overlong UTF-8 (2 and 3 bytes), IIS %u.
DOTS = (".", "%2e", "%2E", "%252e", "%252E", "%c0%ae", "%C0%AE", "%e0%80%ae", "%u002e")
#: Spellings of ".." as a whole: each of the above twice, and mixes that a
#: filter looking for one spelling lets through.
DOT_DOTS = (
    "..",
    "%2e%2e",
    "%2E%2E",
    ".%2e",
    "%2e.",
    "%2E.",
    "%252e%252e",
    "%252E%252E",
    ".%252e",
    "%252e.",
    "%2e%252e",
    "%25%32%65%25%32%65",
    "%c0%ae%c0%ae",
    ".%c0%ae",
    "%e0%80%ae%e0%80%ae",
    "%u002e%u002e",
)
#: Spellings of a separator between segments (the plain one most often).
SEPARATORS = (
    "/",
    "/",
    "/",
    "/",
    "%2f",
    "%2F",
    "\\",
    "%5c",
    "%5C",
    "%252f",
    "%255c",
    "%c0%af",
    "%e0%80%af",
    "%c1%9c",
    "//",
    "/./",
)
#: Directories under the static root to start a payload from (some do not exist).
INNER = ("", "", "", "css/", "js/", "nowhere/", "css/nowhere/")
#: How many levels up "far enough" is: any root is less deep than this.
DEEP = 16
#: Where a traversal payload ends: (levels above the root, '/'-separated path).
#: None for the levels means "at the filesystem root, however deep the root is".
DEFAULT_OUTSIDE: tuple[tuple[int | None, str], ...] = (
    (None, "etc/passwd"),
    (None, "etc/passwd"),
    (None, "etc/hostname"),
    (1, "app.py"),
    (2, "__init__.py"),
    (2, "vendor.json"),
    (3, "pyproject.toml"),
)
#: Request-target characters left as they are (RFC 3986 unreserved, in a path).
_UNRESERVED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _percent(draw, char: str) -> str:
    code = f"%{ord(char):02x}"
    return code.upper() if draw(st.booleans()) else code


def file_spellings(files: Sequence[str]) -> st.SearchStrategy[StaticRequest]:
    """Raw targets under /static that name one of ``files``: canonical, or spelled with
    empty and dot segments, detours, percent-encoded characters and trailing parts."""
    return _file_spelling(files)


@st.composite
def _file_spelling(draw, files: Sequence[str]) -> StaticRequest:
    name = draw(st.sampled_from(list(files)))
    if draw(st.integers(0, 3)) == 0:
        return StaticRequest("/static/" + name, name, canonical=True)
    segments = []
    for segment in name.split("/"):
        if draw(st.integers(0, 2)) == 0:
            segment = "".join(
                _percent(draw, c) if c in _UNRESERVED and draw(st.integers(0, 3)) == 0 else c
                for c in segment
            )
        segments.append(segment)
    path = ""
    for index, segment in enumerate(segments):
        if index:
            path += draw(
                st.sampled_from(("/", "/", "//", "/./", "%2f", "%2F", "/nowhere/../", "/./././"))
            )
        path += segment
    lead = draw(st.sampled_from(("/static/", "/static/", "/static//", "/static/./", "/%73tatic/")))
    if path.startswith(segments[0]) and "/" in name and draw(st.integers(0, 4)) == 0:
        first = name.split("/")[0]
        path = f"{first}/../{path}"  # a detour through an existing directory
    tail = draw(st.sampled_from(("", "", "", "/", "%2f", "?x=1", "?", "/.")))
    return StaticRequest(lead + path + tail, name)


def _encode(path: str, separator: str) -> str:
    return path.replace("/", separator)


@st.composite
def _traversal(draw, outside: Sequence[tuple[int | None, str]]) -> StaticRequest:
    levels, name = draw(st.sampled_from(list(outside)))
    # Mostly one spelling of ".." and of "/" for the whole payload (a server
    # that decodes one spelling meets it in every segment), sometimes a mix.
    mixed = draw(st.integers(0, 4)) == 0
    dot_dot = draw(st.sampled_from(DOT_DOTS))
    separator = draw(st.sampled_from(SEPARATORS))
    if draw(st.integers(0, 5)) == 0:
        # An absolute path after the prefix: /static//etc/passwd, /static/%2fetc%2fpasswd, ...
        target = "/static/" + separator + _encode(name, separator)
        return StaticRequest(target + draw(st.sampled_from(("", "/", "%00"))), escapes=True)
    inner = draw(st.sampled_from(INNER))
    depth = inner.count("/")
    ups = depth + (DEEP + draw(st.integers(0, 3)) if levels is None else levels)
    path = "/static/" + inner
    for _ in range(ups):
        if mixed:
            dot_dot = draw(st.sampled_from(DOTS)) + draw(st.sampled_from(DOTS))
            separator = draw(st.sampled_from(SEPARATORS))
        path += dot_dot + separator
    path += _encode(name, separator)
    suffix = draw(st.sampled_from(("",) * 12 + ("/", "%2f", "%00", "%00.css", "%2500", "/.")))
    return StaticRequest(path + suffix, escapes=True)


def static_requests(
    files: Sequence[str], outside: Sequence[tuple[int | None, str]] = DEFAULT_OUTSIDE
) -> st.SearchStrategy[StaticRequest]:
    """Raw targets under /static: ``files`` (paths under the root) spelled in
    several ways, and traversal payloads that end at one of ``outside``."""
    return _static_request(files, outside)


@st.composite
def _static_request(draw, files, outside) -> StaticRequest:
    # Three traversals for one file: payloads have more ways to go wrong.
    if draw(st.integers(0, 3)) == 0:
        return draw(_file_spelling(files))
    return draw(_traversal(outside))


# ------------------------------------------------------------ Unicode text --

#: Characters that URL, form and header encodings treat specially, and
#: non-ASCII ones that naive decoders mangle.
SPECIAL_CHARACTERS = (
    *"&=+%;#?/ \t\r\n\x00\\\"'<>",
    "\xe9",  # é
    "\xdf",  # ß
    "\u20ac",  # euro sign
    "\u65e5",  # CJK
    "\U0001f600",  # emoji, outside the BMP
    "\u200b",  # zero-width space
    "\ufeff",  # byte-order mark
    "\u0301",  # combining acute accent
    "\u202e",  # right-to-left override
    "\u2028",  # line separator
    "\x85",  # next line
    "\uffff",  # a noncharacter
    "\U0010ffff",  # the last code point
)


#: Sequences that normalising, trimming or decoding twice would change.
SPECIAL_SEQUENCES = (
    "e\u0301",  # decomposed é (NFC composes it)
    "\u212b",  # Angstrom sign (NFC makes it Å)
    "\ufb01",  # fi ligature (NFKC splits it)
    "\r\n",
    " ",
    "%20",  # percent-encoded text, to be kept as it is
    "%2B",
    "+",
    "a=b&c=d",
    "\U0001f468\u200d\U0001f469",  # a ZWJ emoji sequence
    "\x00",
)


def unicode_strings(max_size: int = 40) -> st.SearchStrategy[str]:
    """Arbitrary Unicode text without surrogates, biased towards special characters."""
    special = st.sampled_from(SPECIAL_CHARACTERS)
    characters = st.one_of(
        special,
        special,
        st.characters(max_codepoint=0xD7FF),
        st.characters(min_codepoint=0xE000),
    )
    pieces = st.one_of(st.text(characters, max_size=8), st.sampled_from(SPECIAL_SEQUENCES))
    return st.lists(pieces, max_size=max(1, max_size // 8)).map("".join)


#: Text a store keeping strings in SQL must keep as it is: quotes, comments, statements, wildcards.
SQL_FRAGMENTS = (
    "'",
    "''",
    '"',
    "`",
    "\\",
    "'; DROP TABLE user_string; --",
    "' OR '1'='1",
    "/* */",
    "--",
    ";",
    "%",
    "_",
    "NULL",
    "?",
    ":value",
    "$1",
)
#: The longest value ``stored_values`` draws (sent in a body, never a query string).
LONG_VALUE = 10_000


def stored_values() -> st.SearchStrategy[str]:
    """What a client may store: arbitrary Unicode, SQL fragments among it, and very long
    values (up to ``LONG_VALUE`` characters)."""
    fragments = st.lists(
        st.one_of(st.sampled_from(SQL_FRAGMENTS), unicode_strings(16)), min_size=1, max_size=6
    ).map("".join)
    long = st.builds(
        lambda piece, size: ((piece or "x") * size)[:LONG_VALUE],
        unicode_strings(16),
        st.integers(1_000, LONG_VALUE),
    )
    return st.one_of(unicode_strings(), fragments, long)
