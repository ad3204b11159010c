"""Results: the typed model of what a run found, and its renderings.

``model`` builds a ``Result`` once; ``terminal``, ``html`` and the JSON
document (``Result.to_dict``, shape ``result.schema.json``) render it;
``reproduce`` turns a failed check's requests into commands a person can paste.
"""

from __future__ import annotations

import json
from pathlib import Path

from .model import NotAResult, Result

SCHEMA_FILE = Path(__file__).with_name("result.schema.json")


def load(path: str | Path) -> Result:
    """A result from a JSON file; NotAResult says in one line what is wrong with it."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise NotAResult(f"cannot read {path}: {error.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise NotAResult(f"{path} is not JSON ({error})") from None
    return Result.from_dict(data, source=str(path))
