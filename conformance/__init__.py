"""An executable specification of the CherryPy tutorials, checked over HTTP.

Two front doors over one core: ``python -m conformance`` (``cli``) and the
pytest plugin (``plugin``, registered through the ``pytest11`` entry point).
Checks live in ``conformance.checks``, one module per area; each cites the
requirement ids of ``catalogue.json`` it verifies with ``@requirement(...)``.
"""

from __future__ import annotations

import pytest

__version__ = "0.1.0"

#: Mark a check with the catalogue ids it verifies: ``@requirement("rest-406")``.
requirement = pytest.mark.requirement
