"""Tutorial 8 that negotiates ``Accept`` for every method of /generator (the tool
turned on for the whole section) instead of for GET only: a POST, PUT or
DELETE from a client that accepts only JSON is refused with 406."""

from reference_app import tut08_ajax as tutorial

TUTORIAL = 8
BREAKS = {"rest-accept-get-only"}


def deviate() -> None:
    tutorial.config["/generator"]["tools.rfc_accept.on"] = True
    tutorial.config["/generator"]["tools.rfc_accept.media"] = "text/plain"
