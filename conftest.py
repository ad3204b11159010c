"""Settings shared by every test run from the repository root."""

import os

# cheroot's webtest prompts on stdin after a failed assertion (a hang under -s).
os.environ.setdefault("WEBTEST_INTERACTIVE", "false")
