"""Tutorial 10 whose POST stores one generated string and answers another
(it calls the generator twice): GET never gives back what POST answered."""

import random
import string

from reference_app import tut10_react as tutorial

TUTORIAL = 10
BREAKS = {
    "rest-readback",
    "rest-accept-wildcards",
    "store-post-replaces",
    "session-isolation",
    "rest-accept-property",
    "rest-accept-rfc-property",
    "store-model",
    "store-model-latest",
    "page-generate",
    "page-delete",
    "load-latest",
}


def deviate() -> None:
    def POST(self, length=8):
        self._store("".join(random.sample(string.hexdigits, int(length))))
        return "".join(random.sample(string.hexdigits, int(length)))

    tutorial.StringGeneratorWebService.POST = POST
