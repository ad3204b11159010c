"""tox's inline plugin: find pyenv's Pythons without pyenv's shims.

tox 4 discovers ``python3.9`` ... ``python3.13`` on ``PATH``. Under pyenv
those names are shims that only answer for the versions ``PYENV_VERSION``
(or ``pyenv global``) selects, and current tox does not pass
``PYENV_VERSION`` through to discovery: ``py39`` is then skipped as missing
although ``$(pyenv root)/versions/3.9.18`` is there. So, before tox looks,
every ``$(pyenv root)/versions/*/bin`` (newest first) goes on ``PATH``, in
front of the shims. Without pyenv this does nothing. The manual equivalent:

    PATH="$(printf '%s:' "$(pyenv root)"/versions/3.*/bin)$PATH" tox
"""

from __future__ import annotations

import os
from pathlib import Path

from tox.plugin import impl


def pyenv_bins() -> list[str]:
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    found = [p for p in (root / "versions").glob("*/bin") if (p / "python").exists()]

    def version(path: Path) -> tuple[int, ...]:
        parts = path.parent.name.split(".")
        return tuple(int(p) if p.isdigit() else -1 for p in parts)

    return [str(p) for p in sorted(found, key=version, reverse=True)]


@impl
def tox_add_core_config(core_conf, state) -> None:
    path = os.environ.get("PATH", "").split(os.pathsep)
    missing = [b for b in pyenv_bins() if b not in path]
    if missing:
        os.environ["PATH"] = os.pathsep.join([*missing, *path])
