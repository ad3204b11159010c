"""Tutorial 5 whose session cookie names a domain the server is not reached by
(``tools.sessions.domain = "example.com"``, copied from a deployment).

Clients reject the cookie, so no answer identifies the client's session and
nothing a client stores can be read back.
"""

from reference_app import tut05_sessions as tutorial

TUTORIAL = 5
BREAKS = {
    "session-cookie",
    "session-readback",
    "session-latest",
    "session-isolation",
    "session-forged-id",
    "store-model",
    "load-latest",
}


def deviate() -> None:
    tutorial.config["/"]["tools.sessions.domain"] = "example.com"
