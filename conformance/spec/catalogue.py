"""The requirement catalogue: every requirement of the specification, as data.

The data lives in ``catalogue.json`` beside this module; each entry has a
stable ``id``, a ``level`` (MUST, SHOULD or INFO), the ``tutorials`` it
applies to, the ``source`` in the seed, a one-sentence ``statement``, and the
``checks`` that verify it (``conformance/checks/test_rest.py::test_...``; a
kit test keeps them in step with the checks' ``@requirement`` marks).
"""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path

#: Levels from most to least binding.  ``--level`` is a threshold on this order.
LEVELS = ("MUST", "SHOULD", "INFO")
CATALOGUE_FILE = Path(__file__).with_name("catalogue.json")


@dataclasses.dataclass(frozen=True)
class Requirement:
    id: str
    level: str
    tutorials: tuple[int, ...]
    source: str
    statement: str
    checks: tuple[str, ...] = ()

    @property
    def tutorial_range(self) -> str:
        """The tutorials as a person writes them: ``7-11``, ``1-3,12``."""
        runs: list[list[int]] = []
        for n in self.tutorials:
            if runs and n == runs[-1][-1] + 1:
                runs[-1].append(n)
            else:
                runs.append([n])
        return ",".join(f"{r[0]}-{r[-1]}" if len(r) > 2 else ",".join(map(str, r)) for r in runs)

    def binding_at(self, threshold: str) -> bool:
        """Whether a failure of this requirement fails a run at ``threshold``."""
        return LEVELS.index(self.level) <= LEVELS.index(threshold.upper())

    def as_dict(self) -> dict:
        return dataclasses.asdict(self) | {
            "tutorials": list(self.tutorials),
            "checks": list(self.checks),
        }


@functools.cache
def _load() -> tuple[str, dict[str, Requirement]]:
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    requirements = {}
    for entry in data["requirements"]:
        req = Requirement(
            **{
                **entry,
                "tutorials": tuple(entry["tutorials"]),
                "checks": tuple(entry.get("checks", ())),
            }
        )
        if req.id in requirements:
            raise ValueError(f"duplicate requirement id {req.id!r} in {CATALOGUE_FILE}")
        if req.level not in LEVELS:
            raise ValueError(f"{req.id}: unknown level {req.level!r}")
        requirements[req.id] = req
    return data["spec_version"], requirements


def spec_version() -> str:
    return _load()[0]


def requirements() -> dict[str, Requirement]:
    """Every requirement by id, in catalogue order."""
    return _load()[1]


def get(requirement_id: str) -> Requirement:
    """The requirement with this id; KeyError for an id the catalogue lacks."""
    try:
        return requirements()[requirement_id]
    except KeyError:
        raise KeyError(f"unknown requirement id {requirement_id!r}") from None


def strictest(ids: tuple[str, ...] | list[str]) -> str:
    """The most binding level among the requirements ``ids``."""
    return min((get(i).level for i in ids), key=LEVELS.index)
