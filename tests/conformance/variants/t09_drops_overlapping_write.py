"""Tutorial 9 that skips a write while another write is in progress (a
"debounce" on an unlocked flag): one request at a time every write lands;
when writes overlap, a client is answered as if its write had landed and
keeps reading its previous string."""

import threading
import time

import cherrypy

from reference_app import tut09_database as tutorial

TUTORIAL = 9
BREAKS = {"load-latest"}

_writing = threading.Event()


def deviate() -> None:
    store = tutorial.StringGeneratorWebService._store

    def _store(self, value):
        if _writing.is_set():
            cherrypy.session["ts"] = time.time()
            return  # another write is in progress: this one is dropped
        _writing.set()
        try:
            time.sleep(0.002)
            store(self, value)
        finally:
            _writing.clear()

    tutorial.StringGeneratorWebService._store = _store
