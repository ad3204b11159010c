"""reference_app.server.running: many servers in one process, any order,
any thread; ports released and threads joined; errors before serving."""

from __future__ import annotations

import concurrent.futures
import re
import socket
import subprocess
import sys
import threading

import cherrypy
import pytest

from reference_app import TITLES, module
from reference_app.server import base_url, running


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def can_bind(port: int) -> bool:
    """Can a server listen on the port (as servers do, with SO_REUSEADDR:
    the connections the tests closed may linger in TIME_WAIT)?"""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen()
        except OSError:
            return False
        return True


def is_listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def server_threads() -> list[str]:
    return [
        thread.name
        for thread in threading.enumerate()
        if thread.name.startswith(("HTTPServer", "CP Server Thread"))
    ]


def test_every_tutorial_is_registered_with_its_title():
    assert sorted(TITLES) == list(range(1, 13))
    for number in TITLES:
        tutorial = module(number)
        assert tutorial.__name__.startswith(f"reference_app.tut{number:02d}_")
        assert f"Tutorial {number}: {TITLES[number]}" in tutorial.__doc__.replace("'", "\u2019")
        assert "Departures from" in tutorial.__doc__
        assert callable(tutorial.application)
        assert isinstance(tutorial.config, dict)


@pytest.mark.parametrize("number", [0, 13, "1", None, [1]])
def test_an_unknown_tutorial_is_a_value_error(number):
    with pytest.raises(ValueError, match="no tutorial"):
        module(number)


def test_the_running_server_describes_itself(server):
    served = server(3)
    assert served.number == 3
    assert served.host == "127.0.0.1"
    assert served.url == f"http://127.0.0.1:{served.port}"
    assert served.db_path is None
    assert isinstance(served.app, cherrypy.Application)


def test_base_urls_bracket_ipv6_addresses():
    assert base_url("127.0.0.1", 80) == "http://127.0.0.1:80"
    assert base_url("::1", 8080) == "http://[::1]:8080"


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not ipv6_loopback(), reason="no IPv6 loopback here")
def test_a_server_on_the_ipv6_loopback_has_a_bracketed_url(open_client):
    with running(1, host="::1") as served:
        assert served.url == f"http://[::1]:{served.port}"
        assert open_client(served).get("/").text == "Hello world!"


def test_a_chosen_port_is_used_and_released(open_client):
    port = free_port()
    with running(2, port=port) as served:
        assert served.port == port
        assert is_listening(port)
        assert not can_bind(port)
        assert open_client(served).get("/generate").status_code == 200
    assert can_bind(port)


def test_stopping_joins_the_server_threads_and_the_engine_exits(open_client):
    before = server_threads()
    with running(1) as served:
        open_client(served).get("/")
        assert len(server_threads()) > len(before)
    assert server_threads() == before


def test_servers_start_and_stop_in_any_order(open_client):
    first = running(5)
    second = running(5)
    third = running(7)
    a = first.__enter__()
    b = second.__enter__()
    c = third.__enter__()
    assert len({a.port, b.port, c.port}) == 3
    stored = open_client(a).get("/generate").text
    second.__exit__(None, None, None)
    assert open_client(c).post("/").status_code == 200
    session = open_client(a)
    session.cookies.set("session_id", "0" * 40)
    first_client = open_client(a)
    assert first_client.get("/generate").status_code == 200
    first.__exit__(None, None, None)
    assert open_client(c).get("/").status_code == 500
    third.__exit__(None, None, None)
    assert stored
    for port in (a.port, b.port, c.port):
        assert not is_listening(port)


def test_servers_run_from_many_threads_at_once(open_client):
    barrier = threading.Barrier(6)

    def serve_and_ask(number: int) -> int:
        with running(number) as served:
            barrier.wait(timeout=10)
            status = open_client(served).get("/").status_code
            barrier.wait(timeout=10)
            return status

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(serve_and_ask, [1, 1, 2, 3, 4, 12]))
    assert statuses == [200] * 6


def test_a_busy_port_is_an_os_error_that_names_the_address():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        state = cherrypy.engine.state
        message = f"cannot listen on 127.0.0.1:{port}"
        with pytest.raises(OSError, match=message), running(1, port=port):
            pass
        assert cherrypy.engine.state == state


@pytest.mark.parametrize("port", [-1, 65536, "80", 1.5, True])
def test_an_invalid_port_is_a_value_error(port):
    with pytest.raises(ValueError, match="invalid port"), running(1, port=port):
        pass


def test_an_option_the_tutorial_does_not_take_is_a_type_error():
    with pytest.raises(TypeError), running(1, db_path="x.db"):
        pass


def test_error_pages_show_tracebacks_unless_production(open_client):
    with running(7) as develop, running(7, production=True) as production:
        shown = open_client(develop).get("/")
        hidden = open_client(production).get("/")
    assert shown.status_code == hidden.status_code == 500
    assert "Traceback" in shown.text and "KeyError" in shown.text
    assert "Traceback" not in hidden.text and "KeyError" not in hidden.text


def test_serving_prints_nothing(capfd, open_client):
    with running(7) as served:
        session = open_client(served)
        session.get("/")  # a 500, logged with its traceback
        session.post("/")
    out, err = capfd.readouterr()
    assert out == ""
    assert err == ""


# The engine is global: these scenarios run in a fresh interpreter, where no
# other server of the test session is attached to it.

ENGINE_FOUND_STOPPED = """
import cherrypy, requests
from cherrypy.process.wspbus import states
from reference_app.server import running

engine = cherrypy.engine
before = {channel: set(engine.listeners[channel]) for channel in ("start", "stop")}
with running(1) as served:
    assert engine.state == states.STARTED
    assert cherrypy.server.start not in engine.listeners["start"]
    assert engine.autoreload.start not in engine.listeners["start"]
    assert cherrypy.checker not in engine.listeners["start"]
    assert cherrypy.log.screen is False
    with requests.Session() as s:
        s.trust_env = False
        assert s.get(served.url + "/", timeout=10).text == "Hello world!"
assert engine.state == states.EXITING
assert {channel: set(engine.listeners[channel]) for channel in ("start", "stop")} == before
assert cherrypy.log.screen is True
print("ok")
"""

ENGINE_FOUND_STARTED = """
import cherrypy, requests
from cherrypy.process.wspbus import states
from reference_app.server import running

engine = cherrypy.engine
cherrypy.server.unsubscribe()
engine.autoreload.unsubscribe()
engine.start()
with running(9) as served, requests.Session() as s:
    s.trust_env = False
    assert s.post(served.url + "/generator", timeout=10).status_code == 200
    engine.start()  # starting it again leaves the server serving
    assert s.get(served.url + "/", timeout=10).status_code == 200
assert engine.state == states.STARTED
engine.exit()
print("ok")
"""


@pytest.mark.slow
@pytest.mark.parametrize("scenario", [ENGINE_FOUND_STOPPED, ENGINE_FOUND_STARTED])
def test_the_engine_is_left_as_it_was_found(scenario):
    completed = subprocess.run(
        [sys.executable, "-c", scenario], capture_output=True, text=True, timeout=60
    )
    assert (completed.returncode, completed.stdout) == (0, "ok\n"), completed.stderr


def test_the_server_header_and_date_are_set(client):
    response = client(1).get("/")
    assert re.fullmatch(r"CherryPy/\S+", response.headers["Server"])
    assert response.headers["Date"].endswith("GMT")
