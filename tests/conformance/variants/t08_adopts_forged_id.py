"""Tutorial 8 whose session store adopts any session id a client presents
(no fixation protection): an id the server never issued is kept."""

from reference_app import hardening
from reference_app import tut08_ajax as tutorial

TUTORIAL = 8
BREAKS = {"session-forged-id"}


def deviate() -> None:
    assert tutorial.config["/"]["tools.sessions.on"]
    session_store = hardening.session_store

    def adopting_store():
        class AdoptingSession(session_store()):
            def _exists(self):
                # The id the client sent "exists"; ids being generated are still checked.
                return self.id == self.originalid or super()._exists()

        return AdoptingSession

    hardening.session_store = adopting_store
