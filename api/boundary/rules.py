"""The input grammar, pure: what a decimal, a code and a free text may be, and the problem when they are not.

Each check returns ``None`` when the value is acceptable, else a sentence (English, the API's language for
field errors) that the boundary puts in a ``ValidationError`` with the input path.

Decimal grammar (the ``Decimal`` scalar and the portal's forms, ``domain.common.decimal_text``; the GraphQL
literal may be a string or an inline number)::

    decimal  = [ "+" | "-" ] digits [ "." digits ] [ exponent ]     e.g. "12.5", "-0.0001", 3, 1.25
    digits   = 1*DIGIT                                                ASCII 0-9 only
    exponent = ( "e" | "E" ) [ "+" | "-" ] 1*6DIGIT                   accepted, e.g. "1.5e3" is 1500
    at most MAX_DECIMAL_TEXT characters; "NaN", "Infinity" and "sNaN" parse but are refused by the boundary

A decimal then fits its field's column: at most ``max_digits - decimal_places`` digits before the point and
``decimal_places`` after it (trailing zeros do not count: "1.50000" is 1.5). Nothing is rounded: 1e-30 in a
4-place price is refused, as is a fifth decimal place in a quantity.

Dates and times: a ``DateTime`` carries its UTC offset (ISO 8601 with zone, as the API answers), and both
fall between 1900-01-01 and 2999-12-31, so date arithmetic (expiry less alert days, ageing) never leaves
the calendar.

Characters: no text may hold NUL, other C0/C1 control characters (tab, line feed and carriage return are
allowed in free text only), lone surrogates, or the bidirectional embedding, override and isolate controls
(U+202A–U+202E, U+2066–U+2069) that make a code read differently from what it is. A code also refuses every
other format character (zero-width space, LRM, RLM …), line and paragraph separators, and surrounding spaces.
"""

from datetime import UTC, date, datetime

from domain.common.decimal_fit import decimal_problem as decimal_problem  # the column rule, shared
from domain.common.decimal_text import MAX_DECIMAL_TEXT as MAX_DECIMAL_TEXT  # the grammar, shared
from domain.common.decimal_text import parse_decimal as parse_decimal
from domain.common.text_grammar import TextKind as TextKind  # the character rule, shared
from domain.common.text_grammar import text_problem as text_problem

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


def moment_problem(value: date) -> str | None:
    """Why a ``Date`` or ``DateTime`` input is not acceptable, or None."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            return "must carry its UTC offset, e.g. 2026-03-01T08:00:00+08:00"
        try:
            day = value.astimezone(UTC).date()
        except OverflowError:
            day = date.min
    else:
        day = value
    if not FIRST_DAY <= day <= LAST_DAY:
        return f"must fall between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}"
    return None
