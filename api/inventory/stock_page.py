"""The stock page's rows (``stockOnHand``): which stock rows a filter selects, and their read.

The filter is one value (``StockFilter``) with two readings that select the same rows: ``query`` (the ORM's,
for the count and for SQLite) and, on PostgreSQL, ``page_rows``' hand-written statement. Issue 15: Tortoise
rebuilt the page's four-join, 52-column select on every request and converted every column of every row
through the fields; that was half of the page's own work, more than GraphQL took to answer it.
``tests/integration/inventory/test_stock_page_sql.py`` pins the statement's rows to the ORM's, dict for dict,
over generated stock and filters.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from domain.catalog import models as catalog
from domain.common.dialect import is_postgres
from domain.inventory import models
from domain.inventory.rules import StockStatus


@dataclass(frozen=True)
class StockFilter:
    """What ``stockOnHand`` lists: rows with a non-zero quantity unless ``include_empty``; of one SKU,
    warehouse, location or batch (ids) when given; of one status as reported on ``today`` (the business
    day: available stock past its batch's expiry date is reported expired)."""

    today: date
    include_empty: bool = False
    sku_id: int | None = None
    warehouse_id: int | None = None
    location_id: int | None = None
    batch_id: int | None = None
    status: StockStatus | None = None


_EQUAL = ("sku_id", "warehouse_id", "location_id", "batch_id")


def query(f: StockFilter) -> QuerySet[models.StockQuant]:
    """The filter as an ORM query (unordered, every page)."""
    q = models.StockQuant.all()
    if not f.include_empty:
        q = q.exclude(quantity=0)
    for column in _EQUAL:
        if (value := getattr(f, column)) is not None:
            q = q.filter(**{column: value})
    if f.status == StockStatus.AVAILABLE:  # as reported: stock past its expiry date is expired
        q = q.filter(status=f.status).filter(
            Q(batch__expiry_date__isnull=True) | Q(batch__expiry_date__gte=f.today)
        )
    elif f.status == StockStatus.EXPIRED:
        q = q.filter(Q(status=f.status) | Q(status=StockStatus.AVAILABLE, batch__expiry_date__lt=f.today))
    elif f.status is not None:
        q = q.filter(status=f.status)
    return q


# The page's joined relations, as ``stock_types`` reads them (``sku__code``) and as aliased here.
RELATIONS: tuple[tuple[str, type[Model]], ...] = (
    ("sku", catalog.Sku),
    ("location", models.Location),
    ("warehouse", models.Warehouse),
    ("batch", models.Batch),
)


@cache
def fields() -> tuple[str, ...]:
    """The page's ``.values()`` fields: the stock row's own, then each relation's (``sku__code``). Read
    from the models once Tortoise has initialised them."""
    own = tuple(models.StockQuant._meta.fields_db_projection)
    related = tuple(
        f"{name}__{field}" for name, model in RELATIONS for field in model._meta.fields_db_projection
    )
    return own + related


def _conversion(model: type[Model], name: str) -> Callable[[Any], Any] | None:
    """What ``ValuesQuery.resolve_to_python_value`` applies to a field: nothing for a field the driver
    returns natively, else the field's ``to_python_value``."""
    if name in (entry[1] for entry in model._meta.db_native_fields):
        return None
    return model._meta.fields_map[name].to_python_value


@cache
def _select() -> tuple[str, tuple[tuple[str, Callable[[Any], Any]], ...]]:
    """The select list and joins (``q`` the stock row, ``r0``… its relations, as ``fields()`` orders
    them), and the conversions of the fields that have one."""
    quant = models.StockQuant._meta
    columns = [f'q."{quant.fields_db_projection[n]}" AS "{n}"' for n in quant.fields_db_projection]
    convert = [(n, c) for n in quant.fields_db_projection if (c := _conversion(models.StockQuant, n))]
    joins = []
    for i, (relation, model) in enumerate(RELATIONS):
        meta = model._meta
        for name, column in meta.fields_db_projection.items():
            columns.append(f'r{i}."{column}" AS "{relation}__{name}"')
            if (c := _conversion(model, name)) is not None:
                convert.append((f"{relation}__{name}", c))
        fk = quant.fields_db_projection[f"{relation}_id"]
        joins.append(f'LEFT JOIN "{meta.db_table}" AS r{i} ON r{i}."{meta.db_pk_column}" = q."{fk}"')
    sql = f'SELECT {", ".join(columns)} FROM "{quant.db_table}" AS q {" ".join(joins)}'
    return sql, tuple(convert)


def _where(f: StockFilter, after: int | None) -> tuple[str, list[Any]]:
    """``query(f)``'s conditions (the batch is ``r3``), and the cursor's, with their parameters."""
    conditions: list[str] = []
    params: list[Any] = []

    def param(value: Any) -> str:
        params.append(value)
        return f"${len(params)}"

    if not f.include_empty:
        conditions.append(f"NOT q.quantity = {param(0)}")
    for column in _EQUAL:
        if (value := getattr(f, column)) is not None:
            conditions.append(f"q.{column} = {param(value)}")
    if f.status == StockStatus.AVAILABLE:
        conditions.append(
            f"q.status = {param(f.status.value)} "
            f"AND (r3.expiry_date IS NULL OR r3.expiry_date >= {param(f.today)})"
        )
    elif f.status == StockStatus.EXPIRED:
        conditions.append(
            f"(q.status = {param(f.status.value)} "
            f"OR (q.status = {param(StockStatus.AVAILABLE.value)} AND r3.expiry_date < {param(f.today)}))"
        )
    elif f.status is not None:
        conditions.append(f"q.status = {param(f.status.value)}")
    if after is not None:
        conditions.append(f"q.id > {param(after)}")
    return (" WHERE " + " AND ".join(conditions)) if conditions else "", params


async def page_rows(f: StockFilter, after: int | None, limit: int) -> list[dict[str, Any]]:
    """At most ``limit`` rows of ``query(f)`` with an id above ``after``, in id order, as
    ``.values(*fields())`` dicts: hand-written on PostgreSQL, the ORM's read elsewhere."""
    if not is_postgres():
        q = query(f)
        if after is not None:
            q = q.filter(id__gt=after)
        return await q.order_by("id").limit(limit).values(*fields())
    select, convert = _select()
    where, params = _where(f, after)
    params.append(limit)
    sql = f"{select}{where} ORDER BY q.id LIMIT ${len(params)}"
    rows = await models.StockQuant._meta.db.execute_query_dict(sql, params)
    for row in rows:
        for name, func in convert:
            row[name] = func(row[name])
    return rows
