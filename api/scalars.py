"""Scalars and value types: decimals travel as strings, never Int or Float (no overflow, no rounding)."""

import decimal

import strawberry
from strawberry.types.scalar import ScalarDefinition

# The company's book currency: valuation and costs are kept in it.
BOOK_CURRENCY = "CNY"


def _parse_decimal(value: object) -> decimal.Decimal:
    # Integers are exact, floats are not: a float literal would arrive already rounded.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError('a Decimal is written as a string, e.g. "12.50"')
    try:
        parsed = decimal.Decimal(str(value).strip())
    except decimal.InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal number") from None
    if not parsed.is_finite():
        raise ValueError("a Decimal must be finite")
    return parsed


def _serialize_decimal(value: object) -> str:
    if not isinstance(value, decimal.Decimal):
        value = decimal.Decimal(str(value))
    # Normalised without exponent: "12.5000" -> "12.5", "1E+1" -> "10".
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


DECIMAL = strawberry.scalar(
    name="Decimal",
    description='A fixed-point decimal number written as a string, e.g. "12.5".',
    serialize=_serialize_decimal,
    parse_value=_parse_decimal,
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


def qty(value: object, unit: str) -> Quantity:
    return Quantity(value=decimal.Decimal(str(value)), unit=unit)


def money(value: object, currency: str = BOOK_CURRENCY) -> Money:
    return Money(amount=decimal.Decimal(str(value)), currency=currency)
