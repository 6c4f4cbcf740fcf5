"""Custom fields: list queries sorted by one custom value, paged by keyset.

A sorted list is ordered by ``(value is null, value, id)``: records without a value come last in either
direction, and the primary key (in the same direction as the value) breaks ties, so the order is total. A
page after a cursor ``(value, id)`` is then a keyset condition, never an offset:

    value not null:  value is null  OR  value > v  OR  (value = v AND id > i)     (``<`` when descending)
    value null:      value is null  AND id > i

The value is the same SQL as a filter's (``services.value_sql``: numbers and decimals as ``numeric`` on
PostgreSQL and ``REAL`` on SQLite, everything else as its canonical text), so comparisons agree with the
order both databases give. The cursor carries the value as text (decimals exact, REALs by their shortest
round-tripping repr) and it is compared as the same type again.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tortoise.expressions import Q, RawSQL
from tortoise.queryset import QuerySet

from domain.common import dialect
from domain.common.decimal_text import parse_decimal
from domain.common.errors import ValidationError
from domain.customfields import rules
from domain.customfields import services as custom_fields

VALUE = "custom_sort_value"
NULL = "custom_sort_null"
_NUMERIC = (rules.Kind.NUMBER, rules.Kind.DECIMAL)


@dataclass(frozen=True)
class Sort:
    """Sort by custom field ``key``; ``descending`` reverses values and ties alike (nulls stay last)."""

    key: str
    descending: bool = False


@dataclass(frozen=True)
class Position:
    """Where a page starts: after the record ``id`` whose sort value was ``value`` (text, or None)."""

    value: str | None
    id: int


def _operand(kind: rules.Kind, text: str, path: tuple[str, ...]) -> Any:
    """A cursor's value as the SQL expression's type (see the module docstring)."""
    if kind not in _NUMERIC:
        return text
    try:
        number = parse_decimal(text)  # one spelling per value, as a cursor's key (see domain.common.digits)
    except ValueError:
        raise ValidationError("malformed cursor", path) from None
    if not number.is_finite():
        raise ValidationError("malformed cursor", path)
    return number if dialect.is_postgres() else float(text)


def as_text(value: Any) -> str | None:
    """A row's sort value (as the database returned it) in the cursor's text form."""
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


async def sorted_page(
    query: QuerySet[Any],
    entity: rules.Entity,
    sort: Sort,
    after: Position | None,
    limit: int,
    path: tuple[str, ...] = ("customSort",),
) -> list[tuple[Any, str | None]]:
    """Up to ``limit`` rows of ``query`` after ``after`` in ``sort`` order, each with its sort value's text.

    ``ValidationError`` at ``(*path, "key")`` when ``key`` is no active custom field of ``entity``, and at
    ``("after",)`` for a cursor value that is not of the field's type."""
    by_key = {d.key: d for d in await custom_fields.active_fields(entity)}
    d = by_key.get(sort.key)
    if d is None:
        raise ValidationError(f"{sort.key} is not a custom field of {entity.value}", (*path, "key"))
    numeric = d.kind in _NUMERIC
    table = custom_fields.ENTITY_MODELS[entity]._meta.db_table
    value = custom_fields.value_sql(table, d.key, numeric)
    query = query.annotate(
        **{VALUE: value, NULL: RawSQL(f"(CASE WHEN {value.sql} IS NULL THEN 1 ELSE 0 END)")}
    )
    beyond = "lt" if sort.descending else "gt"
    if after is not None:
        nulls: dict[str, Any] = {NULL: 1}
        if after.value is None:
            nulls[f"id__{beyond}"] = after.id
            query = query.filter(Q(**nulls))
        else:
            v = _operand(d.kind, after.value, ("after",))
            past: dict[str, Any] = {NULL: 0, f"{VALUE}__{beyond}": v}
            tie: dict[str, Any] = {NULL: 0, VALUE: v, f"id__{beyond}": after.id}
            query = query.filter(Q(**nulls) | Q(**past) | Q(**tie))
    sign = "-" if sort.descending else ""
    rows = await query.order_by(NULL, f"{sign}{VALUE}", f"{sign}id").limit(limit)
    return [(r, as_text(getattr(r, VALUE))) for r in rows]
