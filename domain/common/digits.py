"""ASCII digits, the only digits a key, a quantity in a URL or a code may hold.

``str.isdigit`` is also true for "²", "١٢" or "１": ``int()`` refuses the first (a crash where a typed error
was due) and reads the others as 12 and 1, a number other than the characters the user sent. Every check of
"is this text a number" goes through here; ``tests/unit/common/test_digits.py`` keeps ``isdigit`` out of the
code.
"""


def ascii_digits(text: str) -> bool:
    """True when ``text`` is one or more of the ASCII digits 0-9 (then ``int(text)`` is its plain reading)."""
    return text.isascii() and text.isdigit()


BIGINT_MAX = 2**63 - 1  # the largest key a PostgreSQL bigint (and SQLite's integer) column holds


def key_of(text: str) -> int | None:
    """The record key ``text`` spells, or None when it spells none.

    One spelling per key: ASCII decimal digits, no sign, space, underscore or leading zero, at most
    ``BIGINT_MAX``. ``int()`` would also read "+12", " 12", "1_2", "012" and "١٢" as 12 (five more IDs of
    one record) and hand a number past a bigint to the database, which fails the whole request.
    """
    if not ascii_digits(text) or len(text) > 19 or (len(text) > 1 and text[0] == "0"):
        return None
    key = int(text)
    return key if key <= BIGINT_MAX else None
