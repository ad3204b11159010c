"""What the reference adds to CherryPy's defaults, in one place.

The tutorials' observable behaviour does not depend on any of this; each
choice closes a gap where CherryPy 18.10's default is weaker than RFC 9110 or
than a careful deployment (see DESIGN.md, "Hardening the reference"). Every
tutorial module lists the items it uses among its departures.

``cherrypy.tools.rfc_accept``
    Replaces ``tools.accept``. RFC 9110 section 12.5.1 content negotiation for
    one offered media type: the offer is acceptable iff the most specific
    media range that matches it has a weight above 0. Types, subtypes and
    parameter names compare case-insensitively (so does the ``charset``
    value); ranges with parameters match only if the offer carries the same
    parameters. No ``Accept`` field, or one with no usable element, accepts
    everything. Where the RFC leaves the answer open the reference chooses:
    an element that is not a media range, or whose ``q`` is not a qvalue
    (``q=2``, ``q=0.0001``, ``q=abc``), is ignored (CherryPy answers 400 to a
    non-numeric ``q``); among equally specific matching ranges the highest
    weight wins. Refusal is 406, like ``tools.accept``.
    (``tools.accept`` ranks by weight alone, so ``text/plain;q=0, */*`` is
    accepted, and compares media types case-sensitively.)

``cherrypy.tools.rfc_conditional``
    For static files: RFC 9110 section 13.2.2 preconditions instead of
    CherryPy's string comparisons (CherryPy answers 304 only when
    ``If-Modified-Since`` equals ``Last-Modified`` character for character,
    and 412 whenever ``If-Unmodified-Since`` differs from it). Static files
    have no entity tags, so ``If-Match`` holds only for ``*`` and
    ``If-None-Match`` fails only for ``*``. A date counts only if it is a
    valid HTTP-date (IMF-fixdate, RFC 850 or asctime form, case-sensitive,
    with a real calendar day; the day name is not checked against the date);
    otherwise the field is ignored, as is a field with an empty value.
    Preconditions apply to GET and HEAD answers that would otherwise be 2xx.

Sessions (see :func:`hardened`)
    Session cookies are ``HttpOnly``. Each application keeps its sessions in
    a store of its own (CherryPy's ``RamSession`` shares one class-level dict
    between every application of the process), and purges expired sessions
    while saving instead of in a background thread that cannot be joined.

Static roots (see :func:`check_static_root`)
    CherryPy's traversal check is a bare prefix test on normalised paths, so
    ``/static/../public2/x`` would be served if ``public2`` sat beside the
    static root ``public``. Building an application fails if any entry beside
    a static root starts with its name.

Production (see :func:`hardened`)
    ``production=True`` turns off tracebacks and parameter-mismatch details
    in error pages, as CherryPy's ``environment: production`` does, but for
    one application instead of the whole process.
"""

from __future__ import annotations

import calendar
import datetime
import os
import re
import time
from collections.abc import Mapping
from typing import Any

import cherrypy
from cherrypy.lib import httputil
from cherrypy.lib.sessions import RamSession

__all__ = [
    "acceptable",
    "check_static_root",
    "hardened",
    "parse_http_date",
    "precondition_status",
    "session_store",
]

# ---------------------------------------------------------------- HTTP-date --

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = "(?P<month>" + "|".join(_MONTHS) + ")"
_DAY_NAME = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_DAY_NAME_LONG = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_TIME = "(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
_HTTP_DATE_FORMS = (
    # IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
    re.compile(f"{_DAY_NAME}, (?P<day>[0-9]{{2}}) {_MONTH} (?P<year>[0-9]{{4}}) {_TIME} GMT"),
    # rfc850-date: Sunday, 06-Nov-94 08:49:37 GMT
    re.compile(f"{_DAY_NAME_LONG}, (?P<day>[0-9]{{2}})-{_MONTH}-(?P<yy>[0-9]{{2}}) {_TIME} GMT"),
    # asctime-date: Sun Nov  6 08:49:37 1994
    re.compile(f"{_DAY_NAME} {_MONTH} (?P<day>[0-9]{{2}}| [0-9]) {_TIME} (?P<year>[0-9]{{4}})"),
)


def parse_http_date(value: str | None, now: float | None = None) -> int | None:
    """Return the POSIX time of an RFC 9110 HTTP-date, or None if invalid.

    ``now`` (POSIX time, default the current time) resolves the two-digit
    year of the RFC 850 form: a date more than 50 years in the future means
    the most recent past year with the same last two digits.
    """
    if value is None:
        return None
    value = value.strip(" \t")
    for form in _HTTP_DATE_FORMS:
        match = form.fullmatch(value)
        if match:
            break
    else:
        return None
    fields = match.groupdict()
    month = _MONTHS.index(fields["month"]) + 1
    day = int(fields["day"])
    hour, minute, second = int(fields["hour"]), int(fields["minute"]), int(fields["second"])
    if "yy" in fields:
        this_year = datetime.datetime.fromtimestamp(
            time.time() if now is None else now, datetime.timezone.utc
        ).year
        year = this_year - this_year % 100 + int(fields["yy"])
        if year > this_year + 50:
            year -= 100
    else:
        year = int(fields["year"])
    if year < 1 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    if hour > 23 or minute > 59 or second > 60:  # 60: a leap second
        return None
    return calendar.timegm((year, month, day, hour, minute, second))


# ------------------------------------------------- conditional requests ------

_CONDITIONAL_FIELDS = ("If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since")


def precondition_status(
    conditions: Mapping[str, str], last_modified: int | None, method: str
) -> int | None:
    """Evaluate RFC 9110 section 13.2.2 preconditions for a resource with no
    entity tag that exists and was last modified at ``last_modified``
    (POSIX time, or None if unknown).

    Return 304 or 412 when a precondition fails, None to answer normally.
    Fields with an empty value are ignored.
    """
    present = {name: value.strip(" \t") for name, value in conditions.items() if value.strip(" \t")}
    safe = method in ("GET", "HEAD")
    # Step 1-2: If-Match (no entity tag ever matches), else If-Unmodified-Since.
    if "If-Match" in present:
        if present["If-Match"] != "*":
            return 412
    else:
        since = parse_http_date(present.get("If-Unmodified-Since"))
        if since is not None and last_modified is not None and last_modified > since:
            return 412
    # Step 3-4: If-None-Match (only "*" matches), else If-Modified-Since.
    if "If-None-Match" in present:
        if present["If-None-Match"] == "*":
            return 304 if safe else 412
    elif safe:
        since = parse_http_date(present.get("If-Modified-Since"))
        if since is not None and last_modified is not None and last_modified <= since:
            return 304
    return None


def _take_preconditions() -> None:
    """on_start_resource: hide the conditional fields from CherryPy's own
    string comparison, and evaluate them once the answer is known."""
    request = cherrypy.serving.request
    conditions = {}
    for name in _CONDITIONAL_FIELDS:
        value = request.headers.pop(name, None)
        if value is not None:
            conditions[name] = value
    if conditions:
        request.hooks.attach("before_finalize", _apply_preconditions, conditions=conditions)


def _apply_preconditions(conditions: Mapping[str, str]) -> None:
    """before_finalize: turn a 2xx answer into 304 or 412 if a precondition fails."""
    request = cherrypy.serving.request
    response = cherrypy.serving.response
    code = httputil.valid_status(response.status)[0]  # None means 200
    if not 200 <= code <= 299:
        return
    last_modified = parse_http_date(response.headers.get("Last-Modified"))
    status = precondition_status(conditions, last_modified, request.method)
    if status == 304:
        # finalize() drops the body and Content-Length of a 304.
        response.status = 304
        for name in ("Content-Type", "Content-Range", "Accept-Ranges"):
            response.headers.pop(name, None)
    elif status == 412:
        for _chunk in response.body:  # read to the end: closes the file
            pass
        raise cherrypy.HTTPError(412)


cherrypy.tools.rfc_conditional = cherrypy.Tool("on_start_resource", _take_preconditions)

# ------------------------------------------------------- content negotiation --

_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_QUOTED = r'"(?:[\t !#-\[\]-~\x80-\xff]|\\[\t -~\x80-\xff])*"'
_MEDIA_RANGE = re.compile(f"(?P<type>{_TOKEN})/(?P<subtype>{_TOKEN})")
_PARAMETER = re.compile(f"[ \t]*;[ \t]*(?:(?P<name>{_TOKEN})=(?P<value>{_TOKEN}|{_QUOTED}))?")
_QVALUE = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")
_CASE_INSENSITIVE_PARAMETERS = frozenset({"charset"})


def _list_elements(field: str) -> list[str]:
    """Split a list-based field value at the commas outside quoted strings."""
    elements, start, quoted, escaped = [], 0, False, False
    for index, char in enumerate(field):
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            elements.append(field[start:index])
            start = index + 1
    elements.append(field[start:])
    return [element.strip(" \t") for element in elements]


def _media_range(element: str) -> tuple[str, str, dict[str, str], float] | None:
    """Parse ``type/subtype *(; name=value) [; q=qvalue ...]``; None if malformed."""
    match = _MEDIA_RANGE.match(element)
    if match is None:
        return None
    type_, subtype = match["type"].lower(), match["subtype"].lower()
    if type_ == "*" and subtype != "*":
        return None
    parameters: dict[str, str] = {}
    weight: float | None = None
    position = match.end()
    while position < len(element):
        match = _PARAMETER.match(element, position)
        if match is None:
            return None
        position = match.end()
        name, value = match["name"], match["value"]
        if name is None or weight is not None:
            continue  # an empty parameter, or an extension after the weight
        name = name.lower()
        if name == "q":
            if _QVALUE.fullmatch(value) is None:
                return None
            weight = float(value)
            continue
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        if name in _CASE_INSENSITIVE_PARAMETERS:
            value = value.lower()
        parameters[name] = value
    return type_, subtype, parameters, 1.0 if weight is None else weight


def acceptable(accept: str | None, media: str, parameters: Mapping[str, str]) -> bool:
    """Is ``media`` (``type/subtype``, with ``parameters``) acceptable under
    the ``Accept`` field value ``accept`` (None if absent)? See the module
    docstring for the rules."""
    if accept is None:
        return True
    offer_type, offer_subtype = media.lower().split("/")
    offer = {
        name.lower(): value.lower() if name.lower() in _CASE_INSENSITIVE_PARAMETERS else value
        for name, value in parameters.items()
    }
    ranges = [_media_range(element) for element in _list_elements(accept) if element]
    ranges = [parsed for parsed in ranges if parsed is not None]
    if not ranges:
        return True
    best: tuple[int, int] | None = None
    weight = 0.0
    for type_, subtype, wanted, q in ranges:
        if type_ not in ("*", offer_type) or subtype not in ("*", offer_subtype):
            continue
        if any(offer.get(name) != value for name, value in wanted.items()):
            continue
        specificity = ((type_ != "*") + (subtype != "*"), len(wanted))
        if best is None or specificity > best:
            best, weight = specificity, q
        elif specificity == best:
            weight = max(weight, q)
    return weight > 0


def _negotiate(media: str = "text/plain", charset: str = "utf-8") -> str:
    """on_start_resource: answer 406 unless ``media`` is acceptable."""
    request = cherrypy.serving.request
    accept = request.headers.get("Accept")
    if not acceptable(accept, media, {"charset": charset}):
        raise cherrypy.HTTPError(
            406,
            f"Your client sent this Accept header: {accept}. "
            f"But this resource only emits this media type: {media}.",
        )
    return media


cherrypy.tools.rfc_accept = cherrypy.Tool("on_start_resource", _negotiate)

# ------------------------------------------------------------------ sessions --

PURGE_INTERVAL = 300.0
"""Seconds between purges of expired sessions (CherryPy's default clean_freq)."""


def session_store() -> type[RamSession]:
    """A ``RamSession`` class with a store of its own, for one application.

    It purges expired sessions while saving, at most every
    :data:`PURGE_INTERVAL` seconds, instead of in a background thread.
    """

    class ApplicationRamSession(RamSession):
        cache: dict = {}  # noqa: RUF012 - RamSession's own class-level store
        locks: dict = {}  # noqa: RUF012
        next_purge = 0.0

        def _save(self, expiration_time: datetime.datetime) -> None:
            super()._save(expiration_time)
            cls = type(self)
            now = time.monotonic()
            if now >= cls.next_purge:
                cls.next_purge = now + PURGE_INTERVAL
                self.clean_up()

    return ApplicationRamSession


# -------------------------------------------------------------- static roots --


def check_static_root(directory: str | os.PathLike[str]) -> str:
    """Return ``directory`` if it is an absolute directory with no entry
    beside it whose name starts with its name; raise ValueError otherwise."""
    directory = os.path.normpath(os.fspath(directory))
    if not os.path.isabs(directory) or not os.path.isdir(directory):
        raise ValueError(f"static root {directory!r} is not an absolute directory")
    parent, name = os.path.split(directory)
    clashes = sorted(
        entry for entry in os.listdir(parent) if entry != name and entry.startswith(name)
    )
    if clashes:
        raise ValueError(
            f"static root {directory!r} has siblings that share its name as a prefix "
            f"({', '.join(clashes)}): CherryPy's traversal check would serve them"
        )
    return directory


# -------------------------------------------------------------- the config --


def hardened(config: Mapping[str, Mapping[str, Any]], production: bool = False) -> dict:
    """Return a copy of a tutorial's config with the hardening applied.

    - every section that serves a static directory: its root is checked by
      :func:`check_static_root` and ``tools.rfc_conditional`` is on;
    - ``/`` with sessions on: HttpOnly cookies and a store of this
      application's own (:func:`session_store`);
    - ``production``: no tracebacks or mismatch details in error pages.
    """
    result = {section: dict(values) for section, values in config.items()}
    root = result.setdefault("/", {})
    for values in result.values():
        if values.get("tools.staticdir.on"):
            check_static_root(
                os.path.join(
                    values.get("tools.staticdir.root") or root.get("tools.staticdir.root", ""),
                    values["tools.staticdir.dir"],
                )
            )
            values["tools.rfc_conditional.on"] = True
    if root.get("tools.sessions.on"):
        root["tools.sessions.httponly"] = True
        root["tools.sessions.storage_class"] = session_store()
        root["tools.sessions.clean_freq"] = 0  # session_store() purges instead
    if production:
        root["request.show_tracebacks"] = False
        root["request.show_mismatched_params"] = False
    return result
