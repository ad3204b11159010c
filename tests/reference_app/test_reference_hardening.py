"""reference_app.hardening: HTTP-dates, preconditions, Accept negotiation,
session stores, static roots and the production switch, function by function."""

from __future__ import annotations

import calendar
import datetime
import re

import pytest

from reference_app.hardening import (
    acceptable,
    check_static_root,
    hardened,
    parse_http_date,
    precondition_status,
    session_store,
)

NOV_6_1994 = calendar.timegm((1994, 11, 6, 8, 49, 37))
NOW_2026 = calendar.timegm((2026, 6, 1, 0, 0, 0))

# ------------------------------------------------------------------ dates --


@pytest.mark.parametrize(
    "value",
    [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "  Sun, 06 Nov 1994 08:49:37 GMT\t",
        "Mon, 06 Nov 1994 08:49:37 GMT",  # the day name is not checked
    ],
)
def test_the_three_http_date_forms_parse_to_the_same_time(value):
    assert parse_http_date(value, now=NOW_2026) == NOV_6_1994


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "garbage",
        "sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 gmt",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 31 Nov 1994 08:49:37 GMT",
        "Sun, 29 Feb 1995 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 0000 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 23:60:00 GMT",
        "Sun, 06 Nov 1994 23:59:61 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",
        "Sun, \u0660\u0666 Nov 1994 08:49:37 GMT",
        "1994-11-06T08:49:37Z",
    ],
)
def test_anything_else_is_not_an_http_date(value):
    assert parse_http_date(value) is None


def test_a_leap_second_and_leap_days_are_dates():
    assert parse_http_date("Sat, 31 Dec 2016 23:59:60 GMT") == calendar.timegm(
        (2017, 1, 1, 0, 0, 0)
    )
    assert parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT") is not None


def test_two_digit_years_more_than_50_years_ahead_are_last_century():
    assert parse_http_date("Friday, 01-Jan-76 00:00:00 GMT", now=NOW_2026) == calendar.timegm(
        (2076, 1, 1, 0, 0, 0)
    )
    assert parse_http_date("Saturday, 01-Jan-77 00:00:00 GMT", now=NOW_2026) == calendar.timegm(
        (1977, 1, 1, 0, 0, 0)
    )
    this_year = datetime.datetime.now(datetime.timezone.utc).year
    assert parse_http_date(f"Monday, 01-Jan-{this_year % 100:02d} 00:00:00 GMT") is not None


# ---------------------------------------------------------- preconditions --

LAST = NOV_6_1994
BEFORE = "Sun, 06 Nov 1994 08:49:36 GMT"
SAME = "Sun, 06 Nov 1994 08:49:37 GMT"
AFTER = "Sun, 06 Nov 1994 08:49:38 GMT"


@pytest.mark.parametrize(
    ("conditions", "method", "status"),
    [
        ({}, "GET", None),
        ({"If-Modified-Since": SAME}, "GET", 304),
        ({"If-Modified-Since": AFTER}, "HEAD", 304),
        ({"If-Modified-Since": BEFORE}, "GET", None),
        ({"If-Modified-Since": "nonsense"}, "GET", None),
        ({"If-Modified-Since": SAME}, "POST", None),
        ({"If-Modified-Since": ""}, "GET", None),
        ({"If-Unmodified-Since": BEFORE}, "GET", 412),
        ({"If-Unmodified-Since": SAME}, "GET", None),
        ({"If-Unmodified-Since": "nonsense"}, "GET", None),
        ({"If-Match": "*"}, "GET", None),
        ({"If-Match": '"a", "b"'}, "GET", 412),
        ({"If-Match": "*", "If-Unmodified-Since": BEFORE}, "GET", None),
        ({"If-Match": " "}, "GET", None),
        ({"If-None-Match": "*"}, "GET", 304),
        ({"If-None-Match": "*"}, "PUT", 412),
        ({"If-None-Match": '"a"'}, "GET", None),
        ({"If-None-Match": '"a"', "If-Modified-Since": AFTER}, "GET", None),
        ({"If-Unmodified-Since": BEFORE, "If-None-Match": "*"}, "GET", 412),
    ],
)
def test_preconditions_follow_rfc_9110(conditions, method, status):
    assert precondition_status(conditions, LAST, method) == status


def test_dates_are_ignored_without_a_last_modified_time():
    conditions = {"If-Modified-Since": SAME, "If-Unmodified-Since": BEFORE}
    assert precondition_status(conditions, None, "GET") is None


# ------------------------------------------------------------ negotiation --

PLAIN = ("text/plain", {"charset": "utf-8"})


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, True),
        ("", True),
        (" , ,", True),
        ("text/plain", True),
        ("Text/PLAIN", True),
        ("text/*", True),
        ("*/*", True),
        ("text/html", False),
        ("application/json, image/*", False),
        ("text/plain;q=0", False),
        ("text/plain;q=0.000", False),
        ("text/plain;q=0.001", True),
        ("text/plain;Q=1.000", True),
        ("text/plain; q=0.5", True),
        ("text/plain ;q=0", False),
        ("text/plain;q=0, */*", False),
        ("*/*;q=0, text/plain;q=0.1", True),
        ("text/*;q=0, */*", False),
        ("text/plain;q=0, text/plain;q=1", True),
        ("text/plain;charset=utf-8", True),
        ('text/plain;charset="UTF-8"', True),
        ('text/plain;charset="u\\tf-8"', True),
        ("text/plain;charset=iso-8859-1", False),
        ("text/plain;format=flowed", False),
        ("text/plain;format=flowed, text/*;q=0.5", True),
        ("text/plain;charset=utf-8;q=0, text/plain", False),
        ("text/plain;;q=1", True),
        ("text/plain;q=1;level=2", True),
        ("text/plain;q=0;q=1", False),
        ('text/plain;a="x,y", text/html', False),
        ("text/plain;q=2", True),
        ("text/plain;q=abc", True),
        ("text/plain;q=0.0001, text/html", False),
        ("text/plain;q=", True),
        ("*/plain", True),
        ("text", True),
        ("text/plain garbage", True),
        ("text/plain;q=0.5 garbage, text/html", False),
        ("text/plain;a=", True),
    ],
)
def test_text_plain_is_acceptable_per_rfc_9110(accept, expected):
    assert acceptable(accept, *PLAIN) is expected


def test_offers_compare_their_parameters_case_insensitively_by_name():
    assert acceptable("text/plain;charset=UTF-8", "TEXT/Plain", {"Charset": "Utf-8"})
    assert not acceptable("text/plain;level=A", "text/plain", {"level": "a"})


# --------------------------------------------------------- session stores --


def test_each_application_gets_a_session_store_of_its_own():
    first, second = session_store(), session_store()
    assert first.cache is not second.cache
    assert first.locks is not second.locks


def test_saving_purges_expired_sessions_at_most_every_interval():
    store = session_store()
    expired = datetime.datetime.now() - datetime.timedelta(minutes=1)
    store.cache["old"] = ({}, expired)
    session = store(clean_freq=0)
    session["x"] = 1
    session.save()
    assert "old" not in store.cache
    assert session.id in store.cache
    store.cache["old"] = ({}, expired)
    another = store(clean_freq=0)
    another["y"] = 2
    another.save()
    assert "old" in store.cache, "no second purge within the interval"


# ----------------------------------------------------------- static roots --


def test_a_static_root_beside_a_same_prefix_entry_is_refused(tmp_path):
    (tmp_path / "public").mkdir()
    assert check_static_root(tmp_path / "public") == str(tmp_path / "public")
    (tmp_path / "public.bak").write_text("secret")
    (tmp_path / "publicity").mkdir()
    with pytest.raises(ValueError, match=re.escape("public.bak, publicity")):
        check_static_root(tmp_path / "public")


@pytest.mark.parametrize("path", ["public", "/nonexistent/public"])
def test_a_static_root_must_be_an_absolute_folder(path):
    with pytest.raises(ValueError, match="not an absolute directory"):
        check_static_root(path)


def test_hardened_configs_check_their_static_roots(tmp_path):
    (tmp_path / "public").mkdir()
    (tmp_path / "public2").mkdir()
    config = {
        "/static": {"tools.staticdir.on": True, "tools.staticdir.dir": str(tmp_path / "public")}
    }
    with pytest.raises(ValueError, match="public2"):
        hardened(config)


def test_hardened_configs_copy_and_extend_the_tutorial_s_config(tmp_path):
    (tmp_path / "public").mkdir()
    config = {
        "/": {"tools.sessions.on": True, "tools.staticdir.root": str(tmp_path)},
        "/static": {"tools.staticdir.on": True, "tools.staticdir.dir": "public"},
    }
    result = hardened(config, production=True)
    assert config["/"] == {"tools.sessions.on": True, "tools.staticdir.root": str(tmp_path)}
    assert result["/static"]["tools.rfc_conditional.on"] is True
    assert result["/"]["tools.sessions.httponly"] is True
    assert result["/"]["tools.sessions.clean_freq"] == 0
    assert result["/"]["request.show_tracebacks"] is False
    assert result["/"]["request.show_mismatched_params"] is False
    assert hardened({}) == {"/": {}}
