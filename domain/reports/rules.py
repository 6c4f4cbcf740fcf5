"""Report specs compiled to parameterised SQL: pure, no I/O.

A spec names a fact, dimensions and measures (from ``facts.FACTS`` only) and filters whose values are bind
parameters. Output columns are aliased ``d0…``/``m0…`` (never a user's text), so the SQL is assembled only
from constant fragments; the same text runs on SQLite (``?``) and PostgreSQL (``$n``).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from domain.common.errors import Forbidden, ValidationError
from domain.reports import custom
from domain.reports.facts import FACTS, Fact, Field, Kind

MAX_ROWS = 10_000
MAX_ITEMS = 12  # dimensions, measures or filters per report
MAX_IN = 100


class Op(StrEnum):
    EQ = "eq"
    NE = "ne"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    IN = "in"
    CONTAINS = "contains"
    WITHIN_DAYS = "within_days"  # a date from today to today + N days (near expiry)


_SQL_OPS = {Op.EQ: "=", Op.NE: "<>", Op.LT: "<", Op.LE: "<=", Op.GT: ">", Op.GE: ">="}


@dataclass(frozen=True)
class Filter:
    field: str
    op: Op
    values: tuple[str, ...]  # as the caller sent them; typed by the field's kind when compiled


@dataclass(frozen=True)
class ReportSpec:
    fact: str
    dimensions: tuple[str, ...]
    measures: tuple[str, ...]
    filters: tuple[Filter, ...] = ()
    sort: str | None = None  # a chosen dimension or measure
    descending: bool = False
    limit: int = 1000


@dataclass(frozen=True)
class CompiledQuery:
    sql: str
    params: list[object]
    columns: tuple[str, ...]  # the output's names, in order (dimensions then measures)
    measure_count: int = field(default=0)


def fact_of(spec: ReportSpec) -> Fact:
    fact = FACTS.get(spec.fact)
    if fact is None:
        raise ValidationError(f"unknown fact {spec.fact!r}; one of {', '.join(FACTS)}", ("fact",))
    return fact


def field_of(
    fact: Fact, name: str, defs: custom.Definitions | None, postgres: bool, path: tuple[str, ...]
) -> Field | None:
    """A dimension (or filter field) by name: the fact's own, or a ``custom.<record>.<key>`` of ``defs``
    (``ValidationError`` at ``path`` when it is no such field); None for any other unknown name."""
    if name in fact.dimensions:
        return fact.dimensions[name]
    if name.startswith(custom.PREFIX):
        return custom.field_of(fact, name, defs, postgres, path)
    return None


def check_spec(spec: ReportSpec, defs: custom.Definitions | None = None, postgres: bool = False) -> Fact:
    """Validates a spec against its fact's whitelist and the active custom field definitions ``defs``;
    raises ``ValidationError`` with the input path."""
    fact = fact_of(spec)
    if not spec.measures and not spec.dimensions:
        raise ValidationError("a report has at least one dimension or measure", ("measures",))
    for kind, names in (("dimensions", spec.dimensions), ("measures", spec.measures)):
        if len(names) > MAX_ITEMS or len(set(names)) != len(names):
            raise ValidationError(f"at most {MAX_ITEMS} distinct {kind}", (kind,))
        for i, name in enumerate(names):
            path = (kind, str(i))
            known = (
                name in fact.measures if kind == "measures" else field_of(fact, name, defs, postgres, path)
            )
            if not known:
                raise ValidationError(f"{spec.fact} has no {kind[:-1]} {name!r}", path)
    if len(spec.filters) > MAX_ITEMS:
        raise ValidationError(f"at most {MAX_ITEMS} filters", ("filters",))
    if spec.sort is not None and spec.sort not in (*spec.dimensions, *spec.measures):
        raise ValidationError("sort by one of the report's own dimensions or measures", ("sort",))
    if not 1 <= spec.limit <= MAX_ROWS:
        raise ValidationError(f"limit is 1 to {MAX_ROWS}", ("limit",))
    return fact


def _typed(kind: Kind, raw: str, path: tuple[str, ...]) -> object:
    try:
        if kind is Kind.DATE:
            return date.fromisoformat(raw)
        if kind is Kind.DECIMAL:
            value = Decimal(raw)
            if not value.is_finite():
                raise InvalidOperation
            return value
    except (ValueError, InvalidOperation):
        raise ValidationError(f"{raw!r} is not a {kind}", path) from None
    if len(raw) > 200:
        raise ValidationError("a filter value is at most 200 characters", path)
    if "\x00" in raw or any("\ud800" <= ch <= "\udfff" for ch in raw):
        # PostgreSQL text cannot hold either, and SQLite's LIKE stops at NUL: "\x00x" would match every row.
        raise ValidationError("a filter value cannot hold NUL (U+0000) or a lone surrogate", path)
    return raw


def _like(raw: str) -> str:
    escaped = raw.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def compile_report(
    spec: ReportSpec,
    today: date,
    postgres: bool,
    supplier_id: int | None,
    defs: custom.Definitions | None = None,
) -> CompiledQuery:
    """The spec as one SELECT … GROUP BY with bind parameters. ``today`` is the business date (for
    ``within_days``); ``supplier_id`` confines the rows to one supplier (``Forbidden`` on a fact a supplier
    may not run); ``defs`` the active custom fields by record type (``custom.<record>.<key>`` names).
    Raises ``ValidationError`` for anything outside the fact's whitelist or a bad value."""
    fact = check_spec(spec, defs, postgres)
    params: list[object] = []

    def bind(value: object) -> str:
        params.append(value)
        return f"${len(params)}" if postgres else "?"

    where = [fact.base]
    if supplier_id is not None:
        if fact.supplier_column is None:
            raise Forbidden(f"suppliers may not run reports over {fact.name}", ("fact",))
        where.append(f"{fact.supplier_column} = {bind(supplier_id)}")
    for i, flt in enumerate(spec.filters):
        path = ("filters", str(i))
        column = field_of(fact, flt.field, defs, postgres, (*path, "field"))
        if column is None:
            raise ValidationError(f"{fact.name} has no field {flt.field!r}", (*path, "field"))
        where.append(_condition(column.sql, column.kind, flt, bind, today, path, postgres))
    dims = [_sql(field_of(fact, d, defs, postgres, ("dimensions",))) for d in spec.dimensions]
    select = [f"{sql} AS d{i}" for i, sql in enumerate(dims)]
    select += [f"{fact.measures[m]} AS m{i}" for i, m in enumerate(spec.measures)]
    sql = f"SELECT {', '.join(select)} FROM {fact.source} WHERE {' AND '.join(where)}"
    if dims:
        sql += f" GROUP BY {', '.join(dims)}"
    order = [f"d{i}" for i in range(len(dims))]
    if spec.sort is not None:
        alias = (
            f"d{spec.dimensions.index(spec.sort)}"
            if spec.sort in spec.dimensions
            else f"m{spec.measures.index(spec.sort)}"
        )
        order = [f"{alias} {'DESC' if spec.descending else 'ASC'}", *order]
    if order:
        sql += f" ORDER BY {', '.join(order)}"
    sql += f" LIMIT {int(spec.limit)}"
    return CompiledQuery(sql, params, (*spec.dimensions, *spec.measures), len(spec.measures))


def _sql(found: Field | None) -> str:
    assert found is not None  # check_spec resolved every dimension
    return found.sql


def _condition(
    column: str,
    kind: Kind,
    flt: Filter,
    bind: Callable[[object], str],
    today: date,
    path: tuple[str, ...],
    postgres: bool,
) -> str:
    values = flt.values
    if flt.op is Op.IN:
        if not 1 <= len(values) <= MAX_IN:
            raise ValidationError(f"in takes 1 to {MAX_IN} values", (*path, "values"))
        return f"{column} IN ({', '.join(bind(_typed(kind, v, (*path, 'values'))) for v in values)})"
    if len(values) != 1:
        raise ValidationError(f"{flt.op} takes one value", (*path, "values"))
    if flt.op is Op.CONTAINS:
        if kind is not Kind.TEXT:
            raise ValidationError("contains applies to text fields", (*path, "op"))
        # Case-insensitive on both databases: SQLite's LIKE folds ASCII case, PostgreSQL's needs ILIKE.
        like = "ILIKE" if postgres else "LIKE"
        return f"{column} {like} {bind(_like(str(_typed(kind, values[0], path))))} ESCAPE '\\'"
    if flt.op is Op.WITHIN_DAYS:
        if kind is not Kind.DATE:
            raise ValidationError("within_days applies to date fields", (*path, "op"))
        try:
            days = int(values[0])
        except ValueError:
            raise ValidationError(f"{values[0]!r} is not a whole number of days", (*path, "values")) from None
        if not 0 <= days <= 3650:
            raise ValidationError("within_days is 0 to 3650", (*path, "values"))
        return f"{column} >= {bind(today)} AND {column} <= {bind(today + timedelta(days=days))}"
    return f"{column} {_SQL_OPS[flt.op]} {bind(_typed(kind, values[0], (*path, 'values')))}"


def spec_json(spec: ReportSpec) -> dict[str, object]:
    """The spec as stored (JSON)."""
    return {
        "fact": spec.fact,
        "dimensions": list(spec.dimensions),
        "measures": list(spec.measures),
        "filters": [{"field": f.field, "op": f.op.value, "values": list(f.values)} for f in spec.filters],
        "sort": spec.sort,
        "descending": spec.descending,
        "limit": spec.limit,
    }


def spec_of(data: dict[str, Any]) -> ReportSpec:
    """A stored spec read back; raises ``ValidationError`` for an unknown filter operator."""
    try:
        filters = tuple(Filter(f["field"], Op(f["op"]), tuple(f["values"])) for f in data.get("filters", []))
    except ValueError:
        raise ValidationError("unknown filter operator", ("filters",)) from None
    return ReportSpec(
        str(data["fact"]),
        tuple(data.get("dimensions", [])),
        tuple(data.get("measures", [])),
        filters,
        data.get("sort"),
        bool(data.get("descending", False)),
        int(data.get("limit", 1000)),
    )
