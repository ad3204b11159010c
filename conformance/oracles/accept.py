"""Is text/plain acceptable? An exact oracle for the Accept header (RFC 9110 §12.5.1).

Two verdicts on one ``Accept`` field value, each ``ACCEPTABLE``,
``UNACCEPTABLE`` or ``OPEN`` (the specification pins neither answer):

``rfc_verdict``
    What RFC 9110 says.  The field is a comma-separated list of media ranges
    with optional parameters and a weight (``q``, case-insensitive, a qvalue
    of at most three decimals); media types and parameter names compare
    case-insensitively.  The quality of text/plain is the weight of the most
    specific range that matches it (``text/plain`` over ``text/*`` over
    ``*/*``); no match means weight 0; weight 0 means not acceptable; no
    ``Accept`` field means anything goes.  The verdict is ``OPEN`` where the
    RFC leaves the answer to the server (DESIGN.md, "Precision notes"):

    - the field is empty, or has an empty list element;
    - an element is malformed: not ``type/subtype``, ``*/subtype``,
      whitespace around ``/`` or ``=``, a q-value outside the qvalue grammar
      (``q=2``, ``q=0.0001``, ``q=abc``), a second weight, or a parameter after
      the weight;
    - a range that matches text/plain carries parameters (``text/plain;
      format=flowed``, ``text/*;charset=utf-8``): whether it applies depends on
      parameters the tutorial never fixes.  Such ranges are tried both ways,
      and the verdict is pinned only when every combination agrees;
    - equally specific ranges disagree about whether the weight is above 0
      (``text/plain, text/plain;q=0``);
    - a corner of the grammar where widely used parsers read the header
      differently (``CONTESTED``): a qvalue with a trailing dot (``q=1.``,
      ``q=0.``) is valid by RFC 9110, yet Werkzeug's ``parse_accept_header``
      (what every Flask app negotiates with) drops the element as malformed.
      The other contested corners (more than three decimals, whitespace
      around ``=``, a quoted or signed weight, an empty element) are outside
      the grammar, so already open above.

``agreed_verdict``
    The sub-domain where the tutorial and RFC 9110 agree.  Tutorial 7 says
    GET is served to clients "that accept that content-type", and its code
    (``tools.accept`` of CherryPy 18.10) serves text/plain when some listed
    range with a positive weight names it exactly, as ``text/*`` or as
    ``*/*``: it compares media types case-sensitively and ignores the
    most-specific-range rule.  So ``rfc_verdict`` is kept where that simple
    rule gives the same answer on a header written in lower case without
    quoted strings, and the verdict is ``OPEN`` elsewhere
    (``text/plain;q=0, */*``: the RFC refuses, the tutorial's code serves;
    ``TEXT/PLAIN``: the other way round).

Pure functions, no I/O; ``tests/conformance/test_accept_oracle.py`` checks
them against hand-picked cases and against CherryPy, the reference and the
Flask port.
"""

from __future__ import annotations

import enum
import itertools
import re


class Verdict(str, enum.Enum):
    """Whether a server must serve text/plain (``ACCEPTABLE``), must answer 406
    (``UNACCEPTABLE``), or may do either (``OPEN``)."""

    ACCEPTABLE = "acceptable"
    UNACCEPTABLE = "unacceptable"
    OPEN = "open"

    def __str__(self) -> str:
        return self.value


ACCEPTABLE, UNACCEPTABLE, OPEN = Verdict.ACCEPTABLE, Verdict.UNACCEPTABLE, Verdict.OPEN

#: RFC 9110 5.6.2: tchar.
TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
#: RFC 9110 5.6.4: quoted-string (qdtext or quoted-pair; obs-text included).
QUOTED_STRING = r'"(?:[\t !#-\[\]-~\x80-\xff]|\\[\t -~\x80-\xff])*"'
#: RFC 9110 12.4.2: qvalue.
QVALUE = r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?"
_OWS = " \t"
_RANGE = re.compile(f"({TOKEN})/({TOKEN})")
_PARAMETER = re.compile(f"({TOKEN})=({TOKEN}|{QUOTED_STRING})")
_QVALUE = re.compile(QVALUE)

#: The offer of the tutorials' string service.
OFFER = ("text", "plain")


class _Malformed(ValueError):
    """An element outside the grammar: the RFC leaves the answer open."""


class _Contested(_Malformed):
    """An element inside the grammar that widely used parsers read differently."""


#: Corners of the Accept grammar where widely used parsers disagree, each
#: with a header that shows it, and whether RFC 9110 admits it.  The verdict
#: on any header with such an element is ``OPEN`` (rfc and agreed alike).
#: ``tests/conformance/test_accept_oracle.py`` runs Werkzeug's
#: ``parse_accept_header``, CherryPy's ``tools.accept`` and the reference on
#: each example and shows that they do disagree.
CONTESTED = {
    "trailing-dot-qvalue": ("text/plain;q=1., text/html", True),
    "qvalue-over-three-decimals": ("text/plain;q=0.0000", False),
    "whitespace-around-equals": ("text/plain;q = 0", False),
    "quoted-qvalue": ('text/plain;q="0"', False),
    "signed-or-zero-padded-qvalue": ("text/plain;q=-0", False),
    "empty-element": (",", False),
}


def split_list(value: str, separator: str = ",") -> list[str]:
    """Split at ``separator`` outside quoted strings (RFC 9110 5.6.1 and 5.6.4)."""
    parts, start, quoted, escaped = [], 0, False, False
    for index, char in enumerate(value):
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append(value[start:index])
            start = index + 1
    parts.append(value[start:])
    return parts


class MediaRange:
    """One parsed element: ``type/subtype``, its parameters and its weight."""

    __slots__ = ("parameters", "subtype", "text", "type", "weight")

    def __init__(self, text: str) -> None:
        self.text = text
        pieces = split_list(text, ";")
        match = _RANGE.fullmatch(pieces[0].strip(_OWS))
        if match is None:
            raise _Malformed(f"{pieces[0]!r} is not type/subtype")
        self.type, self.subtype = match.group(1), match.group(2)
        if self.type == "*" and self.subtype != "*":
            raise _Malformed(f"{pieces[0]!r}: only */* may wildcard the type")
        self.parameters: list[tuple[str, str]] = []
        self.weight: str | None = None
        for piece in pieces[1:]:
            piece = piece.strip(_OWS)
            if not piece:
                continue  # parameters = *( OWS ";" OWS [ parameter ] )
            match = _PARAMETER.fullmatch(piece)
            if match is None:
                raise _Malformed(f"{piece!r} is not name=value")
            if self.weight is not None:
                raise _Malformed("a parameter after the weight")
            name, value = match.group(1), match.group(2)
            if name.lower() == "q":
                if _QVALUE.fullmatch(value) is None:
                    raise _Malformed(f"q={value} is not a qvalue")
                if value.endswith("."):
                    raise _Contested(f"q={value}: Werkzeug drops a weight with a trailing dot")
                self.weight = value
            else:
                self.parameters.append((name, value))

    @property
    def q(self) -> float:
        return 1.0 if self.weight is None else float(self.weight)

    def specificity(self, offer: tuple[str, str] = OFFER) -> int | None:
        """How specifically this range names ``offer`` (2, 1, 0), None if it does not."""
        type_, subtype = self.type.lower(), self.subtype.lower()
        if (type_, subtype) == ("*", "*"):
            return 0
        if type_ != offer[0]:
            return None
        if subtype == "*":
            return 1
        return 2 if subtype == offer[1] else None


def parse(accept: str) -> list[MediaRange] | None:
    """The elements of a field value, or None where the answer is open.

    None for an empty field or element, a malformed element (the RFC leaves
    the answer open) and a contested one (``CONTESTED``: parsers disagree).
    """
    value = accept.strip(_OWS)
    if not value:
        return None
    elements = split_list(value)
    if any(not element.strip(_OWS) for element in elements):
        return None
    try:
        return [MediaRange(element) for element in elements]
    except _Malformed:
        return None


def _world_verdict(matching: list[tuple[float, float]]) -> Verdict:
    """The verdict when exactly ``matching`` (specificity, weight) ranges apply."""
    if not matching:
        return UNACCEPTABLE
    top = max(specificity for specificity, _ in matching)
    positive = {q > 0 for specificity, q in matching if specificity == top}
    if len(positive) > 1:
        return OPEN
    return ACCEPTABLE if positive.pop() else UNACCEPTABLE


def rfc_verdict(accept: str | None, offer: tuple[str, str] = OFFER) -> Verdict:
    """RFC 9110's answer for ``offer`` (text/plain) under the field value ``accept``."""
    if accept is None:
        return ACCEPTABLE
    ranges = parse(accept)
    if ranges is None:
        return OPEN
    certain: list[tuple[float, float]] = []
    uncertain: list[tuple[float, float]] = []
    for media_range in ranges:
        specificity = media_range.specificity(offer)
        if specificity is None:
            continue
        if media_range.parameters:
            # More specific than the same range without parameters, if it applies at all.
            uncertain.append((specificity + 0.5, media_range.q))
        else:
            certain.append((specificity, media_range.q))
    verdicts = {
        _world_verdict(certain + [u for u, on in zip(uncertain, applies) if on])
        for applies in itertools.product((False, True), repeat=len(uncertain))
    }
    return verdicts.pop() if len(verdicts) == 1 else OPEN


def tutorial_verdict(accept: str | None, offer: tuple[str, str] = OFFER) -> Verdict:
    """The tutorial's rule, on the headers where its code reads it plainly.

    Acceptable iff a listed range with a positive weight is the offer, its
    ``type/*`` or ``*/*``; ``OPEN`` for a header that is malformed, has a
    quoted string or names a media type in anything but lower case.
    """
    if accept is None:
        return ACCEPTABLE
    ranges = parse(accept)
    if ranges is None or '"' in accept:
        return OPEN
    for media_range in ranges:
        if media_range.type != media_range.type.lower():
            return OPEN
        if media_range.subtype != media_range.subtype.lower():
            return OPEN
    named = {f"{offer[0]}/{offer[1]}", f"{offer[0]}/*", "*/*"}
    served = any(r.q > 0 and f"{r.type}/{r.subtype}" in named for r in ranges)
    return ACCEPTABLE if served else UNACCEPTABLE


def agreed_verdict(accept: str | None, offer: tuple[str, str] = OFFER) -> Verdict:
    """RFC 9110's verdict where the tutorial's rule gives the same one, else ``OPEN``."""
    rfc = rfc_verdict(accept, offer)
    return rfc if rfc == tutorial_verdict(accept, offer) else OPEN
