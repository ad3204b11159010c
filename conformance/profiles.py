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
the installed package.
"""

from __future__ import annotations

NAMES = ("dev", "ci", "thorough")


def register() -> None:
    """Register the kit's profiles (idempotent); the current profile is untouched."""
    # Imported here, not at module level: the CLI must not import Hypothesis
    # before pytest marks its modules for assertion rewriting.
    from hypothesis import HealthCheck, settings

    # Round trips to a server are slow and data-heavy by Hypothesis's standards;
    # the fixtures are factories, safe across examples.
    network_health = [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ]
    try:
        builtin_ci = settings.get_profile("ci")
    except Exception:
        builtin_ci = settings.default
    settings.register_profile(
        "dev",
        parent=settings.get_profile("default"),
        max_examples=10,
        stateful_step_count=5,
        deadline=None,
        report_multiple_bugs=False,
        suppress_health_check=network_health,
    )
    settings.register_profile(
        "ci",
        parent=builtin_ci,
        derandomize=True,
        database=None,
        deadline=None,
        max_examples=50,
        stateful_step_count=8,
        print_blob=False,
        report_multiple_bugs=False,
        suppress_health_check=network_health,
    )
    settings.register_profile(
        "thorough",
        parent=settings.get_profile("default"),
        max_examples=1000,
        stateful_step_count=30,
        deadline=None,
        report_multiple_bugs=False,
        suppress_health_check=network_health,
    )
