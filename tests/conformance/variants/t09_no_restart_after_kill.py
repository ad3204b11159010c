"""Tutorial 9 that keeps its database in one file per port and creates the
table with the printed ``CREATE TABLE`` (no ``IF NOT EXISTS``, nothing dropped
first): after a crash the table is left behind, and the next start on that
port fails in its start listener (CherryPy exits 70)."""

import os
import sys
import tempfile

from reference_app import tut09_database as tutorial

TUTORIAL = 9
BREAKS = {"lifecycle-crash-restart"}


def deviate() -> None:
    pinned = os.path.join(tempfile.gettempdir(), f"conformance-t09-no-restart-{sys.argv[2]}.db")
    application = tutorial.application

    def setup_database(db_string: str) -> None:
        with tutorial.connect(db_string) as con:
            con.execute("CREATE TABLE user_string (session_id, value)")

    tutorial.setup_database = setup_database
    tutorial.application = lambda db_path=None, production=False: application(pinned, production)
