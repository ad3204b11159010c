"""Tutorial 7 whose negotiation refuses a media range only when its weight is
written ``q=0``: ``q=0.0``, ``q=0.00``, ``q=0.000`` and ``q=0.`` (the same
weight, RFC 9110 12.4.2) count as acceptable.  The examples only ever write
``q=0``; a generated Accept header finds the other spellings."""

import re

from reference_app import hardening

TUTORIAL = 7
BREAKS = {"rest-accept-property", "rest-accept-rfc-property"}


def deviate() -> None:
    parse = hardening._media_range

    def media_range(element):
        parsed = parse(element)
        if parsed is None:
            return None
        type_, subtype, parameters, weight = parsed
        written = re.search(r";[ \t]*q=([^;]*)", element, re.IGNORECASE)
        if weight == 0 and written and written.group(1).strip(" \t") != "0":
            weight = 1.0
        return type_, subtype, parameters, weight

    hardening._media_range = media_range
