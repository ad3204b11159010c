"""Tutorial 11 whose database plugin lends one connection to every thread
(``check_same_thread=False``, no lock), each request running its own
transaction on it: one request at a time it works; when requests overlap,
their transactions collide on the shared connection (500s), and one
request's ROLLBACK undoes another's write (lost updates)."""

import contextlib
import sqlite3

from reference_app import tut11_organize as tutorial

TUTORIAL = 11
BREAKS = {"load-answers", "organize-plugin-concurrency"}
# A lost update needs one request's ROLLBACK to land between another's write and its
# read: seen on Python 3.11, missed once in a whole run on 3.13 (the 500s always come).
MAY_BREAK = {"load-latest"}


def deviate() -> None:
    shared: dict = {}

    @contextlib.contextmanager
    def connection(self):
        if "connection" not in shared:
            shared["connection"] = sqlite3.connect(
                self.db_path, check_same_thread=False, isolation_level=None
            )
        connection = shared["connection"]
        connection.execute("BEGIN")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    tutorial.Database.connection = connection
