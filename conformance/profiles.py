"""Hypothesis settings profiles, registered in one place.

* ``dev`` — few examples, for a quick look while writing a port.
* ``ci`` — Hypothesis's own ``ci`` profile (loaded automatically when ``CI``
  is set) extended for checks over HTTP: derandomized, no deadline (a loaded
  machine must not flake), no example database, and the health checks that
  network round trips trip suppressed.
* ``thorough`` — many examples, for a nightly job.

Select one with ``--hypothesis-profile NAME`` (pytest) or ``--profile NAME``
(``python -m conformance run``, which defaults to ``ci``).
"""

from __future__ import annotations

NAMES = ("dev", "ci", "thorough")


def register() -> None:
    """Register the kit's profiles (idempotent); the current profile is untouched."""
    # Imported here, not at module level: the CLI must not import Hypothesis
    # before pytest marks its modules for assertion rewriting.
    from hypothesis import HealthCheck, settings

    # Round trips to a server are slow and data-heavy by Hypothesis's standards.
    network_health = [HealthCheck.too_slow, HealthCheck.data_too_large]
    try:
        builtin_ci = settings.get_profile("ci")
    except Exception:
        builtin_ci = settings.default
    settings.register_profile(
        "dev", max_examples=10, deadline=None, suppress_health_check=network_health
    )
    settings.register_profile(
        "ci",
        parent=builtin_ci,
        derandomize=True,
        database=None,
        deadline=None,
        max_examples=50,
        print_blob=False,
        suppress_health_check=network_health,
    )
    settings.register_profile(
        "thorough", max_examples=1000, deadline=None, suppress_health_check=network_health
    )
