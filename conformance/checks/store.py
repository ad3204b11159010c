"""The string store the tutorials from 5 on keep per client, seen from outside.

Tutorials 5 and 6 write with ``GET /generate`` and read with ``GET /display``;
tutorials 7 to 11 write with POST and read with GET on their string service.
Checks of sessions, isolation and the stateful model go through ``Store`` so
they hold for both shapes.
"""

from __future__ import annotations

import dataclasses

import requests

from .. import oracles
from ..http.client import Client
from ..spec.tutorials import Tutorial


@dataclasses.dataclass(frozen=True)
class Store:
    tutorial: Tutorial

    @property
    def write_label(self) -> str:
        t = self.tutorial
        return f"POST {t.service}" if t.service else "GET /generate"

    @property
    def read_label(self) -> str:
        t = self.tutorial
        return f"GET {t.service}" if t.service else "GET /display"

    def write_response(self, client: Client, length: int | None = None) -> requests.Response:
        if self.tutorial.service:
            data = None if length is None else {"length": str(length)}
            return client.post(self.tutorial.service, data=data)
        params = None if length is None else {"length": str(length)}
        return client.get("/generate", params=params)

    def write(self, client: Client, length: int | None = None) -> str:
        """Store a new generated string for ``client`` and return it."""
        r = self.write_response(client, length)
        assert r.status_code == 200, f"{self.write_label} answered {r.status_code}, expected 200"
        problem = oracles.generated_string_problem(r.text, length or 8)
        assert problem is None, f"{self.write_label} answered {problem}"
        return r.text

    def read(self, client: Client, **kwargs) -> requests.Response:
        path = self.tutorial.service or "/display"
        return client.get(path, **kwargs)

    def nothing_stored_problem(self, r: requests.Response) -> str | None:
        """What is wrong with ``r`` as the answer to a read of an empty store."""
        if self.tutorial.nothing_stored == "empty":
            if r.status_code != 200 or r.text != "":
                return (
                    f"{self.read_label} with nothing stored answered {r.status_code} "
                    f"{r.text[:60]!r}, expected 200 with an empty body"
                )
            return None
        if not oracles.is_error(r.status_code):
            return (
                f"{self.read_label} with nothing stored answered {r.status_code} "
                f"{r.text[:60]!r}, expected an error status (4xx or 5xx)"
            )
        return None

    def holds_problem(self, r: requests.Response, expected: str, after: str) -> str | None:
        """What is wrong with ``r`` as a read that must answer ``expected``."""
        if r.status_code != 200 or r.text != expected:
            return (
                f"{self.read_label} after {after} answered {r.status_code} {r.text[:60]!r}, "
                f"expected 200 {expected[:60]!r}"
            )
        return None
