"""Correctness under load: the string store of tutorials 5-11 (and tutorial 11's
library) with many clients at once, in real threads, for a few seconds.

One load run per tutorial and target (``load.run_load``, bounded by
``--load-clients`` and ``--load-time``) feeds every check of this module; each
records the run's figures (requests per second, latency percentiles per
operation, connection resets) in its evidence.  A target outside the loopback
range is refused unless the user passes ``--allow-remote-load``.  Connection
resets are counted, never a verdict on the data.
"""

from __future__ import annotations

import threading

import pytest

from conformance import requirement
from conformance.load.scenario import LOCKED, LoadReport, run_load

pytestmark = pytest.mark.load

_reports: dict[tuple[int, str, int], LoadReport] = {}
_lock = threading.Lock()


def loaded(tutorial, target, load_settings, evidence, recorder) -> LoadReport:
    """The load run of ``target`` for ``tutorial`` (run once, on first use)."""
    key = (id(target), target.url, tutorial.number)
    with _lock:
        if key not in _reports:
            s = load_settings
            _reports[key] = run_load(target.url, tutorial, s.clients, s.seconds, s.request_timeout)
            # Counted once, by the check that sent them.
            recorder.tally(_reports[key].requests)
        report = _reports[key]
    evidence.update(report.evidence())
    return report


@requirement("load-answers")
def test_every_valid_request_is_answered_under_load(
    tutorial, target, load_settings, evidence, recorder
):
    report = loaded(tutorial, target, load_settings, evidence, recorder)
    for kind, what in (("five_xx", "a 5xx answer"), ("refused", "a 4xx answer to a write")):
        assert not report.of_kind(kind), f"{what} under load: {report.first(kind)}"
    assert report.up_afterwards, "the server does not answer GET / after the load"


@requirement("load-isolation")
def test_no_client_reads_another_clients_string_under_load(
    tutorial, target, load_settings, evidence, recorder
):
    report = loaded(tutorial, target, load_settings, evidence, recorder)
    assert not report.of_kind("wrong_client"), (
        f"a client read another client's string under load: {report.first('wrong_client')}"
    )


@requirement("load-latest")
def test_every_client_reads_its_latest_write_under_load(
    tutorial, target, load_settings, evidence, recorder
):
    report = loaded(tutorial, target, load_settings, evidence, recorder)
    assert not report.of_kind("lost_update"), (
        f"a client did not read its own latest write under load: {report.first('lost_update')}"
    )


@requirement("organize-plugin-concurrency")
def test_the_database_plugin_serves_concurrent_requests(
    tutorial, target, load_settings, evidence, recorder
):
    report = loaded(tutorial, target, load_settings, evidence, recorder)
    assert not report.of_kind("database_locked"), (
        f"an answer says {LOCKED!r} under load: {report.first('database_locked')}"
    )
    assert not report.of_kind("five_xx"), (
        f"a 5xx answer under concurrent requests: {report.first('five_xx')}"
    )
