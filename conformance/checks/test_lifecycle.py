"""Tutorials 9-11 as an operator runs them: stop, start again, crash, and start again.

Tutorial 9 subscribes ``setup_database`` to the engine's start and
``cleanup_database`` to its stop: the table is created when the server
starts and dropped when it stops, so a restarted service serves again with
an empty store.  These checks stop and start a server the kit owns (the
``owned_target`` fixture: the run's ``--target-cmd`` server, or the
reference served as its own command; skipped for ``--base-url``), always in
the same working directory and on the same port, as a service manager does.
They carry the ``lifecycle`` marker and run last; the crash comes last of all.

One check needs no restart: a read through a new connection with the same
cookie answers what the read through the writer's connection answered (a
store must be keyed by the session, not by the TCP connection that happened
to carry the write).
"""

from __future__ import annotations

import pytest

from conformance import requirement
from conformance.checks.store import Store
from conformance.http.client import Client
from conformance.http.targets import STOP_GRACE, CommandTarget, TargetError


def start_again(target: CommandTarget, after: str) -> None:
    """Start ``target``'s command again on its port; a failure is the target's."""
    try:
        target.start(same_port=True)
    except TargetError as error:
        raise AssertionError(
            f"after {after}, the same command in the same folder on port {target.port} "
            f"does not serve again: {error}"
        ) from None
    # A server may answer for a moment and still give up starting (CherryPy exits 70
    # when a start listener raises, after its HTTP server came up).
    target.settle()
    assert target.alive, (
        f"after {after}, the same command in the same folder on port {target.port} answered "
        f"once, then exited with status {target.process.poll()}{target.tail()}"
    )


def serves_its_store(store: Store, client: Client, after: str) -> None:
    """The store answers: a write gives a generated string and a read answers 200 (the
    schema exists; what the store keeps is the other checks' business)."""
    store.write(client)
    r = store.read(client)
    assert r.status_code == 200, f"{store.read_label} {after} answered {r.status_code}"


@requirement("lifecycle-new-connection")
def test_a_string_is_read_back_through_a_new_connection(tutorial, new_client, target, recorder):
    store = Store(tutorial)
    writer = new_client()
    value = store.write(writer)
    if tutorial.service:
        value = "written on one connection"
        writer.put(tutorial.service, data={"another_string": value})
    before = store.read(writer)
    # Its own connection pool: the read cannot ride on the connection of the write.
    reader = Client(target.url, recorder, None, writer.timeout)
    try:
        reader.session.cookies.update(writer.session.cookies)
        after = store.read(reader)
    finally:
        reader.close()
    assert (after.status_code, after.text) == (before.status_code, before.text), (
        f"{store.read_label} with the same cookie answered {before.status_code} "
        f"{before.text[:60]!r} on the writer's connection but {after.status_code} "
        f"{after.text[:60]!r} on a new one"
    )


@pytest.mark.lifecycle
@requirement("lifecycle-stop-start")
def test_a_clean_stop_ends_the_server_and_a_start_serves_again(
    tutorial, owned_target, owned_client
):
    store = Store(tutorial)
    serves_its_store(store, owned_client(), "before the stop")
    owned_target.settle()
    owned_target.stop()
    report = owned_target.last_stop
    assert report is not None and not report.forced, (
        f"SIGTERM did not end the server within {STOP_GRACE:g} s: it had to be killed"
    )
    start_again(owned_target, "a clean stop (SIGTERM)")
    serves_its_store(store, owned_client(), "after a clean restart")


@pytest.mark.lifecycle
@requirement("info-restart-empty-store")
def test_a_clean_restart_starts_with_an_empty_store(tutorial, owned_target, owned_client):
    store = Store(tutorial)
    client = owned_client()
    value = store.write(client)
    owned_target.settle()
    owned_target.stop()
    start_again(owned_target, "a clean stop (SIGTERM)")
    r = store.read(client)
    problem = store.nothing_stored_problem(r)
    assert problem is None, (
        f"the string {value!r} stored before a clean restart: after it, {problem} "
        "(the tutorial drops its table at stop)"
    )


@pytest.mark.lifecycle
@requirement("lifecycle-crash-restart")
def test_a_start_after_a_crash_serves_again(tutorial, owned_target, owned_client):
    store = Store(tutorial)
    serves_its_store(store, owned_client(), "before the crash")
    owned_target.settle()
    owned_target.stop(kill=True)
    start_again(owned_target, "a crash (SIGKILL)")
    serves_its_store(store, owned_client(), "after a restart that followed a crash")
