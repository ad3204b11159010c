"""Correctness under load: many clients at once, each in its own thread and session.

``run_load`` starts ``clients`` threads, each a user agent with its own cookie
jar and its own connections, and has each go round the string store of its
tutorial (generate, read, replace, read, delete, read; tutorials 5-6:
generate, read) and, where the tutorial has a library, round a book of a
library of its own (PUT, GET, DELETE, GET) until ``seconds`` have passed or
``MAX_REQUESTS`` per client were sent.  It is bounded in time and in
requests, and stops by itself.

It judges what every answer says about the data, after the run (a string
leaked to another client may reach it before its owner has seen its own
answer):

- ``five_xx``: a 5xx answer to a valid request (a read of an empty store
  answers an error in tutorials 5-8, so a read's error status there is the
  tutorial's nothing-stored answer, judged as such);
- ``refused``: a 4xx answer to a valid write (or a 1xx/3xx to a read);
- ``wrong_client``: a read answered a string another client stored, and this
  one never did, or a write answered a string generated for another client;
- ``lost_update``: a read answered anything but the client's own latest write
  (or nothing stored, after its delete);
- ``database_locked``: an answer mentions "database is locked".

A connection reset (or a request that got no answer) is a transport event, not
a verdict on the data: it is counted; an idempotent request (GET, PUT, DELETE)
is sent again once; after a write whose outcome is unknown the client reads
without a verdict until its next write.  The run also reports requests per
second and the latency percentiles of each operation.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
import threading
import time

import requests

from ..http.client import session as http_session
from ..spec.tutorials import Tutorial

#: Requests one client sends at most, whatever the time bound.
MAX_REQUESTS = 5000
#: Length of the generated strings: 22!/10! draws, so two clients never share one.
LENGTH = 12
#: What a read of an empty store answered, when the answer is fine.
NOTHING = object()
#: The client's latest write is not known (its request got no answer).
UNKNOWN = object()
#: The phrase SQLite's ``OperationalError`` uses when a writer waited in vain.
LOCKED = "database is locked"
#: The values a client stores begin with its index: ``c7-12 ...``.
_OWNED = re.compile(r"^(?:c|title of client )(\d+)[- ]")


@dataclasses.dataclass
class Violation:
    kind: str
    client: int
    what: str


@dataclasses.dataclass
class _Read:
    """A read whose answer differs from the client's expectation, judged after the run."""

    client: int
    what: str
    text: str
    expected: object


@dataclasses.dataclass
class LoadReport:
    """What a load run saw: volumes, latencies, transport events and violations."""

    clients: int
    seconds: float
    requests: int = 0
    resets: int = 0
    retried: int = 0
    unanswered: int = 0
    latencies: dict[str, list[float]] = dataclasses.field(default_factory=dict)
    violations: list[Violation] = dataclasses.field(default_factory=list)
    up_afterwards: bool | None = None

    def of_kind(self, kind: str) -> list[Violation]:
        return [v for v in self.violations if v.kind == kind]

    def evidence(self) -> dict:
        """The JSON-able figures of the run (requests/s, percentiles in ms per operation)."""
        operations = {}
        for name, values in sorted(self.latencies.items()):
            ordered = sorted(values)
            operations[name] = {
                "count": len(ordered),
                "p50_ms": _ms(_percentile(ordered, 50)),
                "p95_ms": _ms(_percentile(ordered, 95)),
                "p99_ms": _ms(_percentile(ordered, 99)),
            }
        kinds = ("five_xx", "refused", "wrong_client", "lost_update", "database_locked")
        return {
            "clients": self.clients,
            "seconds": round(self.seconds, 3),
            "requests": self.requests,
            "requests_per_second": round(self.requests / self.seconds, 1) if self.seconds else 0,
            "operations": operations,
            "resets": self.resets,
            "retried": self.retried,
            "unanswered": self.unanswered,
            "violations": {k: len(self.of_kind(k)) for k in kinds},
            "server_up_afterwards": self.up_afterwards,
        }

    def first(self, kind: str) -> str:
        """A one-line account of the violations of ``kind``."""
        found = self.of_kind(kind)
        return (
            f"{len(found)} of {self.requests} requests by {self.clients} concurrent clients; "
            f"first: client {found[0].client + 1}, {found[0].what}"
        )


def _percentile(ordered: list[float], p: int) -> float:
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[index]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


class Agent:
    """One client of the run: its own session (a thread's, or a Locust user's)."""

    def __init__(self, run: LoadRun, index: int, session: requests.Session | None = None) -> None:
        self.run = run
        self.index = index
        self.session = session if session is not None else http_session()
        self.sent = 0
        self.expected: object = NOTHING
        self.book_expected: object = NOTHING
        self.mine: set[str] = set()
        self.serial = itertools.count()

    # -- transport ---------------------------------------------------------
    def send(self, operation: str, method: str, path: str, **kwargs) -> requests.Response | None:
        """Send one request; None when it got no answer (reset or timeout), once retried
        when it is idempotent."""
        attempts = 1 if method == "POST" else 2
        for attempt in range(attempts):
            self.sent += 1
            began = time.perf_counter()
            try:
                r = self.session.request(
                    method,
                    self.run.base_url + path,
                    timeout=self.run.timeout,
                    allow_redirects=False,
                    **self.run.extra(operation),
                    **kwargs,
                )
                if not r.status_code:  # Locust's session answers status 0 instead of raising
                    raise getattr(r, "error", None) or requests.ConnectionError()
            except requests.Timeout:
                break
            except (requests.ConnectionError, ConnectionError):
                self.run.count("resets")
                if attempt + 1 < attempts:
                    self.run.count("retried")
                continue
            except (requests.RequestException, OSError):
                break
            self.run.latency(operation, time.perf_counter() - began)
            if LOCKED in r.text:
                self.run.violate("database_locked", self.index, f"{method} {path}: {r.text[:80]!r}")
            return r
        self.run.count("unanswered")
        return None

    def done(self) -> bool:
        return time.monotonic() >= self.run.deadline or self.sent >= MAX_REQUESTS

    # -- the string store --------------------------------------------------
    def store_round(self) -> None:
        t = self.run.tutorial
        if t.service:
            r = self.send("generate", "POST", t.service, data={"length": str(LENGTH)})
        else:
            r = self.send("generate", "GET", "/generate", params={"length": str(LENGTH)})
        if not self.written(r, f"{'POST ' + t.service if t.service else 'GET /generate'}"):
            return
        self.read("after its write")
        if not t.service or self.done():
            return
        value = f"c{self.index}-{next(self.serial)} '\"; --"
        self.run.own(value, self.index)
        self.mine.add(value)
        r = self.send("replace", "PUT", t.service, data={"another_string": value})
        if r is None:
            self.expected = UNKNOWN
        elif self.ok(r, f"PUT {t.service}"):
            self.expected = value
        self.read("after its PUT")
        if self.done():
            return
        r = self.send("delete", "DELETE", t.service)
        if r is None:
            self.expected = UNKNOWN
        elif self.ok(r, f"DELETE {t.service}"):
            self.expected = NOTHING
        self.read("after its DELETE")

    def written(self, r: requests.Response | None, what: str) -> bool:
        if r is None:
            self.expected = UNKNOWN
            return False
        if not self.ok(r, what):
            return False
        self.mine.add(r.text)
        self.run.own(r.text, self.index, what)
        self.expected = r.text
        return True

    def ok(self, r: requests.Response, what: str) -> bool:
        if r.status_code >= 500:
            self.run.violate("five_xx", self.index, f"{what} answered {r.status_code}")
            self.expected = UNKNOWN
            return False
        if not 200 <= r.status_code < 300:
            self.run.violate("refused", self.index, f"{what} answered {r.status_code}")
            self.expected = UNKNOWN
            return False
        return True

    def read(self, when: str) -> None:
        t = self.run.tutorial
        path = t.service or "/display"
        r = self.send("read", "GET", path)
        if r is None:
            return
        expected = self.expected
        what = f"GET {path} {when}"
        if r.status_code >= 500 and t.nothing_stored == "empty":
            self.run.violate("five_xx", self.index, f"{what} answered {r.status_code}")
            return
        if t.nothing_stored == "empty":
            nothing = r.status_code == 200 and r.text == ""
        else:
            # An error status is these tutorials' nothing-stored answer (500 in the printed code).
            nothing = r.status_code >= 400
        if nothing:
            if expected is NOTHING or expected is UNKNOWN:
                return
            answer = f"{r.status_code} {r.text[:40]!r}"
            self.run.suspect(self.index, f"{what} answered {answer}", "", expected)
            return
        if r.status_code != 200:
            self.run.violate("refused", self.index, f"{what} answered {r.status_code}")
            return
        if r.text != expected:
            self.run.suspect(self.index, f"{what} answered {r.text[:40]!r}", r.text, expected)

    # -- tutorial 11's library ---------------------------------------------
    def library_round(self) -> None:
        t = self.run.tutorial
        book = f"{t.library}/{self.run.library_base + self.index}/book/1"
        title = f"title of client {self.index} #{next(self.serial)}"
        self.run.own(title, self.index)
        self.mine.add(title)
        r = self.send("book put", "PUT", book, data={"title": title})
        if r is None:
            self.book_expected = UNKNOWN
        elif self.ok(r, f"PUT {book}"):
            self.book_expected = title
        self.read_book(book, "after its PUT")
        if self.done():
            return
        r = self.send("book delete", "DELETE", book)
        if r is None:
            self.book_expected = UNKNOWN
        elif self.ok(r, f"DELETE {book}"):
            self.book_expected = NOTHING
        self.read_book(book, "after its DELETE")

    def read_book(self, book: str, when: str) -> None:
        r = self.send("book read", "GET", book)
        if r is None:
            return
        what = f"GET {book} {when}"
        if r.status_code >= 500:
            self.run.violate("five_xx", self.index, f"{what} answered {r.status_code}")
            return
        expected = self.book_expected
        if r.status_code == 404 and expected is NOTHING:
            return
        text = r.text if r.status_code == 200 else ""
        if r.status_code == 200 and text == expected:
            return
        if expected is UNKNOWN and r.status_code in (200, 404):
            if r.status_code == 200:
                self.run.suspect(self.index, f"{what} answered {text[:40]!r}", text, UNKNOWN)
            return
        self.run.suspect(
            self.index, f"{what} answered {r.status_code} {text[:40]!r}", text, expected
        )

    def main(self) -> None:
        try:
            while not self.done():
                self.store_round()
                if self.run.tutorial.library and not self.done():
                    self.library_round()
        finally:
            self.session.close()


class LoadRun:
    """What the clients of one run share: the target, the bounds, the tallies."""

    def __init__(self, base_url: str, tutorial: Tutorial, seconds: float, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.tutorial = tutorial
        self.timeout = timeout
        self.deadline = time.monotonic() + seconds
        # Library ids of this run alone (the library is shared by every client and check).
        self.library_base = 10**15 + int(time.time() * 1000) % 10**14
        self.lock = threading.Lock()
        self.counts = {"resets": 0, "retried": 0, "unanswered": 0}
        self.latencies: dict[str, list[float]] = {}
        self.violations: list[Violation] = []
        self.suspects: list[_Read] = []
        self.owners: dict[str, int] = {}

    def extra(self, operation: str) -> dict:
        """Extra keyword arguments of each request (Locust names its statistics by them)."""
        return {}

    def count(self, name: str) -> None:
        with self.lock:
            self.counts[name] += 1

    def latency(self, operation: str, seconds: float) -> None:
        with self.lock:
            self.latencies.setdefault(operation, []).append(seconds)

    def violate(self, kind: str, client: int, what: str) -> None:
        with self.lock:
            self.violations.append(Violation(kind, client, what))

    def suspect(self, client: int, what: str, text: str, expected: object) -> None:
        with self.lock:
            self.suspects.append(_Read(client, what, text, expected))

    def own(self, value: str, client: int, what: str | None = None) -> None:
        """Record ``value`` as ``client``'s; a generated string (``what`` says how it came)
        that another client was already given is a leak between them."""
        with self.lock:
            owner = self.owners.setdefault(value, client)
            if owner != client and what is not None:
                self.violations.append(
                    Violation(
                        "wrong_client",
                        client,
                        f"{what} answered {value[:40]!r}, the string client {owner + 1} was given",
                    )
                )

    def judge(self) -> None:
        """Classify the reads that answered something unexpected, now every owner is known."""
        for read in self.suspects:
            owner = self.owners.get(read.text)
            if owner is None:
                # A value a client stored names its owner (across Locust's processes too).
                match = _OWNED.match(read.text)
                owner = int(match.group(1)) if match else None
            if owner is not None and owner != read.client:
                self.violations.append(
                    Violation(
                        "wrong_client",
                        read.client,
                        f"{read.what}: the string of client {owner + 1}",
                    )
                )
            elif read.expected is not UNKNOWN:
                expected = (
                    "nothing stored" if read.expected is NOTHING else f"{read.expected!r:.50}"
                )
                self.violations.append(
                    Violation("lost_update", read.client, f"{read.what}, expected {expected}")
                )


def run_load(
    base_url: str, tutorial: Tutorial, clients: int, seconds: float, timeout: float
) -> LoadReport:
    """Press ``base_url`` with ``clients`` concurrent clients for ``seconds`` and report.

    Returns after every client thread has ended: at most ``seconds`` plus two
    request timeouts (a client's last request and its one retry).
    """
    run = LoadRun(base_url, tutorial, seconds, timeout)
    agents = [Agent(run, i) for i in range(clients)]
    threads = [threading.Thread(target=a.main, daemon=True) for a in agents]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.1, run.deadline + 2 * timeout + 1 - time.monotonic()))
    elapsed = time.monotonic() - began
    run.judge()
    report = LoadReport(
        clients,
        elapsed,
        requests=sum(a.sent for a in agents),
        resets=run.counts["resets"],
        retried=run.counts["retried"],
        unanswered=run.counts["unanswered"],
        latencies=run.latencies,
        violations=run.violations,
    )
    report.up_afterwards = _answers(run.base_url + "/", timeout)
    return report


def _answers(url: str, timeout: float) -> bool:
    session = http_session()
    try:
        session.get(url, timeout=timeout, allow_redirects=False)
        return True
    except requests.RequestException:
        return False
    finally:
        session.close()
