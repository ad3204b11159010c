"""Tutorial 10 whose negotiation takes any ``type/*`` range as matching text/plain
(it compares the subtype only): ``Accept: image/*`` gets the string, which
both the tutorial's rule and RFC 9110 refuse (so the MUST property fails as
well as the RFC one)."""

import re

from reference_app import hardening
from reference_app import tut10_react as tutorial

TUTORIAL = 10
BREAKS = {"rest-406", "rest-accept-property", "rest-accept-rfc-property"}


def deviate() -> None:
    assert tutorial.config["/generator"]["request.dispatch"]
    acceptable = hardening.acceptable

    def subtype_only(accept, media, parameters):
        if accept is not None:
            accept = re.sub(r"[!#$%&'+\-.^_`|~0-9A-Za-z]+/\*", "*/*", accept)
        return acceptable(accept, media, parameters)

    hardening.acceptable = subtype_only
