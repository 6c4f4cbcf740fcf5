"""The decimal grammar every reader of outside text shares: the API's ``Decimal`` scalar and the supplier
portal's quantity and temperature fields meet one rule, so a value refused by one is refused by the other.

::

    decimal  = [ "+" | "-" ] digits [ "." digits ] [ exponent ]     e.g. "12.5", "-0.0001", "1.5e3"
    digits   = 1*DIGIT                                                ASCII 0-9 only
    exponent = ( "e" | "E" ) [ "+" | "-" ] 1*6DIGIT
    at most MAX_DECIMAL_TEXT characters, surrounding spaces ignored

Python's ``Decimal()`` alone also reads "1_000" as 1000 and "١٢" as 12 (another number than the characters
sent, see ``domain.common.digits``); the grammar is checked first. "NaN", "Infinity" and "sNaN" parse (the
API's boundary refuses them with the field's path, which a scalar cannot give).
"""

import re
from decimal import Decimal, InvalidOperation

MAX_DECIMAL_TEXT = 64
_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,6})?")  # ASCII digits only
_SPECIAL = re.compile(r"[+-]?(nan|snan|inf|infinity)", re.IGNORECASE)


def parse_decimal(value: object) -> Decimal:
    """A scalar value (string, int, or the raw text of an inline number) to a ``Decimal``.

    Raises ``ValueError`` (English sentence) for what is not a number in the grammar above.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError('a Decimal is written as a string, e.g. "12.50"')
    text = str(value).strip()
    if len(text) > MAX_DECIMAL_TEXT:
        raise ValueError(f"a Decimal has at most {MAX_DECIMAL_TEXT} characters")
    if not (_DECIMAL.fullmatch(text) or _SPECIAL.fullmatch(text)):
        raise ValueError(f'{text!r} is not a decimal number (e.g. "12.5")')
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the grammar admits only what Decimal reads
        raise ValueError(f"{text!r} is not a decimal number") from None
