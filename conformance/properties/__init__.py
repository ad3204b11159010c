"""Property-based checks: one decorator makes a check of a Hypothesis property.

``@property_check(header=strategies.accept_headers())`` over a check body
gives it, in one place:

- ``given(...)`` with the strategies, under the selected profile's settings
  made safe for HTTP (``profiles.for_checks``; ``scale`` multiplies its
  examples);
- the recorder reset before each example, so that a failure's reproduction
  holds the requests of the failing example alone;
- the flaky-target rule (``flaky_target_fails``): an example that fails and
  then passes its replay means the target answered the same requests
  differently, a failure of the target, not a bug of the kit;
- ``examples=[{...}, ...]``: the decisive corners, each a dict of drawn
  values, run as Hypothesis explicit examples before any generated one, so
  that the cases a broken variant needs are sent whatever the Hypothesis
  release (its generation and shrinking change between releases).

The stateful model uses ``profiles.for_checks`` and ``translated_flaky``
directly, since Hypothesis runs a state machine itself.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from . import profiles

#: The attribute that marks a check of generated inputs (what ``--differential`` mirrors).
GENERATES_INPUTS = "conformance_generates_inputs"


def generates_inputs(test: Callable[..., Any]) -> Callable[..., Any]:
    """Mark ``test`` as a check of generated inputs; ``property_check`` does it itself."""
    setattr(test, GENERATES_INPUTS, True)
    return test


def inconsistency(error: Exception) -> AssertionError:
    """The failure to report for a target that failed an example, then passed it."""
    first = next(iter(getattr(error, "exceptions", ())), error)
    what = str(first).strip().splitlines()[0] if str(first).strip() else type(first).__name__
    return AssertionError(
        f"the target answers inconsistently: {what} (the same example passed when replayed)"
    )


@contextlib.contextmanager
def translated_flaky() -> Iterator[None]:
    """Turn Hypothesis's "flaky" about the target into a failed check."""
    from hypothesis import errors

    kit_flaky = getattr(errors, "FlakyStrategyDefinition", ())  # Hypothesis >= 6.108
    try:
        yield
    except kit_flaky:
        raise  # the kit drew differently: a bug of the kit
    except errors.Flaky as error:
        raise inconsistency(error) from error


def flaky_target_fails(test: Callable[..., Any]) -> Callable[..., Any]:
    """Report a target whose failure does not reproduce as a failure of the target."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with translated_flaky():
            return test(*args, **kwargs)

    return wrapper


def property_check(
    *,
    scale: float = 1,
    examples: Sequence[Mapping[str, Any]] = (),
    **strategies: Any,
) -> Callable[[Callable], Callable]:
    """Make ``body`` a property check drawing ``strategies`` (see the module docstring).

    ``body`` takes the fixtures it needs and the drawn values by name; it
    need not take ``recorder``, which the check always gets and resets.
    Every mapping of ``examples`` (names of ``strategies`` to values) is run
    first, in order, under every profile and Hypothesis release.
    """
    from hypothesis import example as explicit_example
    from hypothesis import given

    for values in examples:
        if set(values) != set(strategies):
            raise TypeError(f"an example gives {sorted(values)}, expected {sorted(strategies)}")

    def decorate(body: Callable[..., Any]) -> Callable[..., Any]:
        inner = inspect.signature(body)
        wants_recorder = "recorder" in inner.parameters
        outer = inner
        if not wants_recorder:
            extra = inspect.Parameter("recorder", inspect.Parameter.POSITIONAL_OR_KEYWORD)
            outer = inner.replace(parameters=[*inner.parameters.values(), extra])

        @functools.wraps(body)
        def example(*args: Any, **kwargs: Any) -> Any:
            arguments = outer.bind(*args, **kwargs).arguments
            arguments["recorder"].restart()
            if not wants_recorder:
                del arguments["recorder"]
            return body(**arguments)

        example.__signature__ = outer  # type: ignore[attr-defined]
        explicit = example
        for values in reversed(examples):  # decorators apply bottom-up: keep their order
            explicit = explicit_example(**values)(explicit)
        test = profiles.for_checks(scale)(given(**strategies)(explicit))
        return generates_inputs(flaky_target_fails(test))

    return decorate
