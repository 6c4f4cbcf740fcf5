"""Custom fields, pure: what a definition may say and whether a record's values satisfy it.

A definition belongs to one *entity* (``sku``, ``goods_receipt`` …) and has a ``key`` (camelCase, the name
the values are stored and filtered under), a ``kind`` and its limits. Values travel and are stored as JSON in
one canonical form per kind, so they compare the same on SQLite and PostgreSQL and decimals stay exact:

    text     JSON string, ``min_length``..``max_length`` characters, optional ``pattern`` (a full match)
    number   JSON integer, ``minimum``..``maximum``
    decimal  JSON string of the normalised decimal ("12.5"), ``minimum``..``maximum`` and ``places``
    date     JSON string ``YYYY-MM-DD`` (a business date)
    enum     JSON string, one of ``choices``
    boolean  JSON true or false

Patterns are a safe subset of regular expressions: at most ``MAX_PATTERN`` characters, no back-references,
no look-around and no nested quantifiers (``(a+)+``), and they only ever see a value of at most
``MAX_TEXT`` characters, so a match cannot run away.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from domain.common.decimal_text import parse_decimal

MAX_TEXT = 500
MAX_PATTERN = 200
MAX_FIELDS = 50  # per entity
MAX_CHOICES = 100
KEY = re.compile(r"[a-z][a-zA-Z0-9]{0,39}")
# Back-references, look-around and a repeated group ("(a+)+", "(a|aa)*") are what make a match run away.
_UNSAFE_PATTERN = re.compile(r"\\[1-9]|\\k<|\(\?[=!<]|\(\?P=|\)[+*{]")
_UNBOUNDED = re.compile(r"(?<!\\)[*+]|\{\d*,\}")
MAX_UNBOUNDED = 3  # with values of at most MAX_TEXT characters, at worst ~MAX_TEXT**3 steps
_INT_LIMIT = 10**15  # a JSON integer every client reads exactly (IEEE doubles hold 2**53)

Path = tuple[str, ...]


class Entity(StrEnum):
    SKU = "sku"
    SUPPLIER = "supplier"
    CUSTOMER = "customer"
    PURCHASE_ORDER = "purchase_order"
    PURCHASE_ORDER_LINE = "purchase_order_line"
    GOODS_RECEIPT = "goods_receipt"
    BATCH = "batch"
    SALES_ORDER = "sales_order"
    SUPPLIER_BILL = "supplier_bill"
    CUSTOMER_INVOICE = "customer_invoice"
    ASN = "asn"


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DECIMAL = "decimal"
    DATE = "date"
    ENUM = "enum"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class FieldDef:
    """One custom field. Limits not used by its kind are ``None`` / empty."""

    key: str
    kind: Kind
    label_zh: str
    label_en: str
    required: bool = False
    default: Any = None  # canonical JSON form, or None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    places: int | None = None
    choices: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a safe regular expression, or None."""
    if len(pattern) > MAX_PATTERN:
        return f"a pattern has at most {MAX_PATTERN} characters"
    if _UNSAFE_PATTERN.search(pattern):
        return "a pattern may not use back-references, look-around or repeated groups"
    if len(_UNBOUNDED.findall(pattern)) > MAX_UNBOUNDED:
        return f"a pattern has at most {MAX_UNBOUNDED} unbounded repetitions (*, +, {{n,}})"
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"not a regular expression: {exc}"
    return None


def definition_problems(d: FieldDef) -> list[Problem]:
    """Every problem of a definition itself (paths are input field names), its default included."""
    found: list[Problem] = []
    if not KEY.fullmatch(d.key):
        found.append(Problem(("key",), "a key is camelCase letters and digits, 1 to 40, starting lower-case"))
    if not d.label_zh.strip() or not d.label_en.strip():
        found.append(Problem(("labelZh",), "a field has a label in Chinese and in English"))
    if d.kind is Kind.ENUM and not (0 < len(d.choices) <= MAX_CHOICES):
        found.append(Problem(("choices",), f"an enum has 1 to {MAX_CHOICES} choices"))
    if len(set(d.choices)) != len(d.choices):
        found.append(Problem(("choices",), "choices are distinct"))
    if d.pattern is not None:
        problem = pattern_problem(d.pattern)
        if problem:
            found.append(Problem(("pattern",), problem))
    if d.min_length is not None and d.max_length is not None and d.min_length > d.max_length:
        found.append(Problem(("minLength",), "minLength is at most maxLength"))
    if d.max_length is not None and not (0 < d.max_length <= MAX_TEXT):
        found.append(Problem(("maxLength",), f"maxLength is 1 to {MAX_TEXT}"))
    if d.minimum is not None and d.maximum is not None and d.minimum > d.maximum:
        found.append(Problem(("minimum",), "minimum is at most maximum"))
    if d.places is not None and not (0 <= d.places <= 8):
        found.append(Problem(("places",), "places is 0 to 8"))
    if d.default is not None and not found:
        _, problem = canonical(d, d.default)
        if problem:
            found.append(Problem(("default",), f"the default {problem}"))
    return found


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    try:
        number = parse_decimal(value)  # the API's grammar: not "1_000" or "١٢", which Decimal() reads
    except ValueError:
        return None
    return number if number.is_finite() else None


def _range_problem(d: FieldDef, number: Decimal) -> str | None:
    if d.minimum is not None and number < d.minimum:
        return f"must be at least {d.minimum}"
    if d.maximum is not None and number > d.maximum:
        return f"must be at most {d.maximum}"
    return None


def _text(d: FieldDef, value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str):
        return None, "must be a string"
    if len(value) > (d.max_length or MAX_TEXT):
        return None, f"has more than {d.max_length or MAX_TEXT} characters"
    if d.min_length is not None and len(value) < d.min_length:
        return None, f"has fewer than {d.min_length} characters"
    if d.pattern is not None and not re.fullmatch(d.pattern, value):
        return None, f"does not match {d.pattern}"
    return value, None


def canonical(d: FieldDef, value: Any) -> tuple[Any, str | None]:
    """``value`` (decoded JSON) in its kind's canonical form, or the problem (a predicate sentence)."""
    if d.kind is Kind.TEXT:
        return _text(d, value)
    if d.kind is Kind.BOOLEAN:
        return (value, None) if isinstance(value, bool) else (None, "must be true or false")
    if d.kind is Kind.ENUM:
        if value in d.choices:
            return value, None
        return None, f"must be one of {', '.join(d.choices)}"
    if d.kind is Kind.DATE:
        if isinstance(value, str) and len(value) == 10:
            try:
                return date.fromisoformat(value).isoformat(), None
            except ValueError:
                pass
        return None, "must be a date YYYY-MM-DD"
    if d.kind is Kind.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= _INT_LIMIT:
            return None, f"must be a whole number below {_INT_LIMIT:.0e} in size"
        return value, _range_problem(d, Decimal(value))
    number = _decimal(value)
    if number is None:
        return None, 'must be a decimal written as a string, e.g. "12.5"'
    if d.places is not None and -int(number.normalize().as_tuple().exponent) > d.places:
        return None, f"has more than {d.places} decimal places"
    text = format(number.normalize(), "f")
    return ("0" if text == "-0" else text), _range_problem(d, number)


def checked(
    defs: list[FieldDef], given: dict[str, Any] | None, stored: dict[str, Any] | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """The values to store for a record, and every problem (path ``("customFields", key)``).

    ``given`` are the caller's values (``None`` values clear a field); ``stored`` the record's current
    values (an update keeps what is not given; a create has none, so defaults apply). Unknown keys are
    problems, required fields must end up with a value.
    """
    by_key = {d.key: d for d in defs}
    out = dict(stored or {})
    problems: list[Problem] = []
    creating = stored is None
    for key, value in (given or {}).items():
        d = by_key.get(key)
        if d is None:
            problems.append(Problem(("customFields", key), f"{key} is not a custom field of this record"))
            continue
        if value is None:
            out.pop(key, None)
            continue
        norm, problem = canonical(d, value)
        if problem:
            problems.append(Problem(("customFields", key), f"{key} {problem}"))
        else:
            out[key] = norm
    for d in defs:
        if creating and d.key not in out and d.default is not None and d.key not in (given or {}):
            out[d.key] = d.default
        if d.required and out.get(d.key) is None and not any(p.path[-1] == d.key for p in problems):
            problems.append(Problem(("customFields", d.key), f"{d.key} is required"))
    # Values of fields since removed are kept as stored: a definition can be restored without data loss.
    return out, problems
