"""Whole numbers as a request gives them.

JSON has one number type, and JSON Schema's `integer` is any number without a fraction, so
`2.0` is as valid an integer as `2` to every client and generator that reads the contract.
Pydantic's strict int refuses `2.0`; its lax int takes `"2"` and `true`. A whole number here
is the contract's: an int or a float without a fraction, never a string or a boolean.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Strict


def _integral(value: Any) -> Any:
    # A float without a fraction is the integer it spells; anything else goes on to the
    # strict check (which refuses booleans, strings and fractions with a 422).
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_integral), Strict()]
