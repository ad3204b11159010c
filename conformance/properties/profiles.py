"""Hypothesis settings profiles, registered in one place.

* ``dev`` — few examples and short stateful runs, for a quick look while
  writing a port.
* ``ci`` — Hypothesis's own ``ci`` profile (loaded automatically when ``CI``
  is set) extended for checks over HTTP: derandomized (two runs send the same
  requests and report the same results), no deadline (a loaded machine must
  not flake), no example database, and the health checks that network round
  trips trip suppressed.
* ``thorough`` — many examples and long stateful runs, for a nightly job.

``dev`` and ``thorough`` build on Hypothesis's pristine defaults, not on the
profile current at import: where ``CI`` is set, Hypothesis loads its ``ci``
profile, and inheriting from it would silently drop their example database.

Every profile suppresses ``function_scoped_fixture``: the checks' fixtures
(``new_client``, ``raw``, ``recorder``) are factories or are reset by the
check at the start of each example, so they are safe across examples; and
reports one failure per check (the JSON holds one message per check).

Select one with ``--hypothesis-profile NAME`` (pytest) or ``--profile NAME``
(``python -m conformance run``, which defaults to ``ci``).

The example database (``dev`` and ``thorough`` keep one; ``ci`` none) is
Hypothesis's default: ``.hypothesis/examples`` in the directory the run starts
from, or under ``$HYPOTHESIS_STORAGE_DIRECTORY`` when that is set; never in
the installed package.  Under a profile without a database, the only files
Hypothesis writes are caches of what it computes from the interpreter alone
(its Unicode tables: the characters a codec encodes, about 3 s of CPU, 7 s
under coverage, for the first ``text()`` drawn); ``store_caches_per_user``
keeps them in one folder per user, so a run from a fresh directory neither
recomputes them nor leaves ``.hypothesis/`` behind.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..run.options import DEFAULT_PROFILE, PROFILE_NAMES

NAMES = PROFILE_NAMES
#: The profile the kit's checks run under when the user names none.
_selected = DEFAULT_PROFILE


def http_safe(**overrides: Any) -> dict[str, Any]:
    """What every check over HTTP needs whatever the profile: no deadline (a
    loaded machine must not flake), the health checks that network round trips
    trip suppressed (the fixtures are factories, safe across examples), and one
    failure reported (the JSON holds one message per check)."""
    from hypothesis import HealthCheck

    return {
        "deadline": None,
        "report_multiple_bugs": False,
        "suppress_health_check": [
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
        ],
        **overrides,
    }


def register() -> None:
    """Register the kit's profiles (idempotent); the current profile is untouched."""
    # Imported here, not at module level: the CLI must not import Hypothesis
    # before pytest marks its modules for assertion rewriting.
    from hypothesis import settings

    try:
        builtin_ci = settings.get_profile("ci")
    except Exception:  # Hypothesis releases without a built-in ci profile
        builtin_ci = settings.default
    pristine = settings.get_profile("default")
    settings.register_profile(
        "dev", parent=pristine, **http_safe(max_examples=10, stateful_step_count=5)
    )
    settings.register_profile(
        "ci",
        parent=builtin_ci,
        **http_safe(
            derandomize=True,
            database=None,
            max_examples=50,
            stateful_step_count=8,
            print_blob=False,
        ),
    )
    settings.register_profile(
        "thorough", parent=pristine, **http_safe(max_examples=1000, stateful_step_count=30)
    )


def select(name: str | None) -> None:
    """Run the kit's checks under profile ``name`` (None: the kit's default, ``ci``)."""
    global _selected
    _selected = name or DEFAULT_PROFILE


def cache_folder() -> Path:
    """Where the kit keeps Hypothesis's caches: the user's cache folder
    (``$XDG_CACHE_HOME``, else ``~/.cache``), never the directory the run starts from."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cherrypy-tutorial-conformance" / "hypothesis"


def store_caches_per_user() -> None:
    """Point Hypothesis's storage at ``cache_folder()`` when the selected profile
    keeps no example database and the user chose no storage directory
    (``$HYPOTHESIS_STORAGE_DIRECTORY``); otherwise, and where that folder cannot
    be made, leave Hypothesis's own choice.  Called once a run has checks to run,
    so that a pytest session that merely loads the plugin is left alone."""
    from hypothesis import settings
    from hypothesis.configuration import set_hypothesis_home_dir

    register()
    if os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        return
    if settings.get_profile(_selected).database is not None:
        return
    try:
        folder = cache_folder()
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # RuntimeError: no home directory to be found
        return
    set_hypothesis_home_dir(folder)


def for_checks(scale: float = 1):
    """The settings of a property check: the selected profile, safe over HTTP.

    ``scale`` multiplies the profile's ``max_examples``: more for a property
    whose examples cost one cheap request, fewer for a costly one.
    """
    from hypothesis import settings

    register()
    base = settings.get_profile(_selected)
    overrides = http_safe()
    overrides["suppress_health_check"] = sorted(
        set(base.suppress_health_check) | set(overrides["suppress_health_check"]),
        key=lambda check: check.value,
    )
    if scale != 1:
        overrides["max_examples"] = max(1, round(base.max_examples * scale))
    return settings(base, **overrides)
