"""Tutorial 11 whose negotiation reads only the first element of ``Accept``:
``application/json, text/plain`` is refused with 406."""

from reference_app import hardening
from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"rest-accept-wildcards", "rest-accept-property", "rest-accept-rfc-property"}


def deviate() -> None:
    assert tutorial.config["/generator"]["request.dispatch"]
    acceptable = hardening.acceptable

    def first_only(accept, media, parameters):
        if accept is not None:
            accept = accept.split(",")[0]
        return acceptable(accept, media, parameters)

    hardening.acceptable = first_only
