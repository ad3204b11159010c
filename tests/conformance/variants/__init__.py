"""Broken variants: the reference app with exactly one deviation each.

Each module here is a variant: a docstring saying what it breaks, the
``TUTORIAL`` it serves, ``BREAKS`` (the exact set of MUST and SHOULD
requirement ids the suite must report as failing) and ``deviate()``, which
changes one thing in the reference app of *this* process only.  ``run.py``
serves a variant as its own server, so the suite meets it through
``--target-cmd`` like any stranger's server; the reference itself has no flag
for any of this.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def names() -> list[str]:
    """Every variant module's name, sorted."""
    return sorted(
        m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith(("_", "run"))
    )


def load(name: str) -> ModuleType:
    module = importlib.import_module(f"{__name__}.{name}")
    for attribute in ("TUTORIAL", "BREAKS", "deviate"):
        if not hasattr(module, attribute):
            raise AttributeError(f"variant {name} lacks {attribute}")
    return module
