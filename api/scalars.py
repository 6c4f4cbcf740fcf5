"""Scalars and value types: decimals travel as strings, never Int or Float (no overflow, no rounding).

The ``Decimal`` grammar is in ``api.boundary.rules``; the bounds of each field in ``api.boundary.columns``.
"""

import decimal
from typing import Any

import strawberry
from graphql import FloatValueNode, IntValueNode, StringValueNode, ValueNode
from strawberry.types.scalar import ScalarDefinition

from api.boundary import rules

# The company's book currency: valuation and costs are kept in it.
BOOK_CURRENCY = "CNY"


def _parse_decimal(value: object) -> decimal.Decimal:
    # A JSON number in variables arrives as int (exact) or float: its shortest repr is the text the
    # client wrote for any number a float holds exactly enough ("0.1", "1e+30"), so read that text.
    if isinstance(value, float):
        value = repr(value)
    return rules.parse_decimal(value)


def _parse_decimal_literal(node: ValueNode, variables: dict[str, Any] | None = None) -> decimal.Decimal:
    # Inline literals are read from their source text, never through a float: 1.5 and "1.5" are equal.
    if isinstance(node, IntValueNode | FloatValueNode | StringValueNode):
        return rules.parse_decimal(node.value)
    raise ValueError('a Decimal is written as a string or a number, e.g. "12.50"')


def _decimal_text(value: object) -> str:
    if not isinstance(value, decimal.Decimal):
        value = decimal.Decimal(str(value))
    # Normalised without exponent: "12.5000" -> "12.5", "1E+1" -> "10".
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


# The texts of decimals already serialised. A list page of 100 orders serialises ~1,600 decimals of a few
# dozen distinct values; a dict look-up costs a quarter of normalising and formatting one. Equal decimals
# ("20", "20.0000", "2E+1"; "0" and "-0") have the same text, so keying on the value is exact. Only
# ``Decimal`` itself is cached: an int or float equal to a decimal may be written otherwise (0.1).
_TEXTS: dict[decimal.Decimal, str] = {}
_TEXTS_MAX = 4096


def _serialize_decimal(value: object) -> str:
    if type(value) is not decimal.Decimal:
        return _decimal_text(value)
    try:
        return _TEXTS[value]
    except KeyError:
        text = _decimal_text(value)
        if len(_TEXTS) < _TEXTS_MAX:
            _TEXTS[value] = text
        return text
    except TypeError:  # a signalling NaN cannot be hashed
        return _decimal_text(value)


DECIMAL = strawberry.scalar(
    name="Decimal",
    description=(
        'An exact decimal number, written as a string ("12.5", "-0.0001") or an inline number (12.5). '
        "Grammar: optional sign, digits, optional fraction, optional exponent (e/E and at most 6 digits), "
        "at most 64 characters; each field then allows the digits and decimal places of the column that "
        "stores it, and nothing is rounded: a value with more is refused with a ValidationError, as are "
        "NaN and Infinity."
    ),
    serialize=_serialize_decimal,
    parse_value=_parse_decimal,
    parse_literal=_parse_decimal_literal,
)

SCALAR_MAP: dict[object, ScalarDefinition] = {decimal.Decimal: DECIMAL}


@strawberry.type(description="A quantity with its unit of measure.")
class Quantity:
    value: decimal.Decimal
    unit: str


@strawberry.type(description="An amount of money with its ISO 4217 currency.")
class Money:
    amount: decimal.Decimal
    currency: str


def exact(value: object) -> decimal.Decimal:
    """``value`` as a ``Decimal``: a ``Decimal`` as it is, anything else (int, str, float) read through its
    text, so ``0.1`` is ``Decimal("0.1")``."""
    # A Decimal is kept as it is: its text reads back to the same digits and exponent, so converting it
    # through ``str`` (what any other number needs) gave the same value at ~1 us per figure.
    return value if type(value) is decimal.Decimal else decimal.Decimal(str(value))


def qty(value: object, unit: str) -> Quantity:
    return Quantity(value=exact(value), unit=unit)


def money(value: object, currency: str = BOOK_CURRENCY) -> Money:
    return Money(amount=exact(value), currency=currency)
