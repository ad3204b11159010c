"""``python -m conformance``: see ``conformance.cli``."""

import sys

try:
    from .cli import main
except ModuleNotFoundError as error:
    if error.name != "tutorial_fixtures":
        raise
    # From a checkout that was never installed, ``conformance`` is found in the
    # current folder but the fixtures (installed as ``tutorial_fixtures``) are not.
    sys.stderr.write(
        "conformance: the kit is not installed (no module tutorial_fixtures): "
        "run pip install -e . in the repository, then try again\n"
    )
    sys.exit(2)

if __name__ == "__main__":
    sys.exit(main())
