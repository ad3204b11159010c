"""Oracles: what an answer must look like, as small pure functions.

Each returns a one-line description of what is wrong, or None when the
answer conforms, so checks and properties share the same judgement and the
same wording.
"""

from __future__ import annotations

import datetime
import email.utils

from ..spec.tutorials import HEXDIGITS, MAX_LENGTH

#: A requests/http.client response: anything with .status_code or .status and .headers.


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type value, lower-case and without parameters."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def body_text(response) -> str:
    """The body of a requests response as text: its declared charset, UTF-8
    when it declares none; undecodable bytes shown as backslash escapes."""
    charset = (
        response.encoding if "charset" in response.headers.get("Content-Type", "").lower() else None
    )
    try:
        return response.content.decode(charset or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return response.content.decode("utf-8", "backslashreplace")


def generated_string_problem(text: str, length: int | None = None) -> str | None:
    """What is wrong with ``text`` as ``random.sample(string.hexdigits, length)``."""
    if length is not None and len(text) != length:
        return f"{text!r} has {len(text)} characters, expected {length}"
    strangers = sorted({c for c in text if c not in HEXDIGITS})
    if strangers:
        return f"{text!r} has characters outside string.hexdigits: {''.join(strangers)!r}"
    repeated = sorted({c for c in text if text.count(c) > 1})
    if repeated:
        return f"{text!r} repeats {''.join(repeated)!r}; random.sample never repeats a character"
    if len(text) > MAX_LENGTH:
        return f"{text!r} is longer than string.hexdigits ({MAX_LENGTH})"
    return None


def is_error(status: int) -> bool:
    """A 4xx or 5xx status: what the tutorials answer where nothing is stored."""
    return 400 <= status <= 599


def http_date(value: str | None) -> datetime.datetime | None:
    """An HTTP-date as an aware datetime, or None when absent or invalid."""
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    return parsed


def format_http_date(moment: datetime.datetime) -> str:
    return email.utils.format_datetime(moment.astimezone(datetime.timezone.utc), usegmt=True)


def same_text_modulo_whitespace(a: str, b: str) -> bool:
    """Equal once all whitespace is removed (a port may indent a stylesheet its own way)."""
    return "".join(a.split()) == "".join(b.split())


def allow_methods(value: str | None) -> set[str]:
    """The methods an Allow header lists, upper-case."""
    return {m.strip().upper() for m in (value or "").split(",") if m.strip()}
