"""A list page's rows read by hand on PostgreSQL when its filters are column equalities (issue 15).

``purchaseOrders`` and ``salesOrders`` without custom filters or sort are ``Model.filter(col=value, …)``
ordered by id: Tortoise rebuilt that select (pypika, deep copies) and converted each column through its
field on every request, a twentieth of an order page. ``equal_read`` reads the same ``.values()`` dicts
with one statement; SQLite keeps the ORM. ``tests/e2e/api/test_prefetch_reads.py`` pins the two.
"""

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from tortoise.models import Model

from api.loaders import value_fields, value_select
from domain.common.dialect import is_postgres

Read = Callable[[int | None, int], Awaitable[list[dict[str, Any]]]]


def equal_read(model: type[Model], equal: Sequence[tuple[str, Any]]) -> Read:
    """``read(after, limit)`` for ``relay.paginate``: at most ``limit`` rows of ``model`` passing every
    ``(field, value)`` of ``equal`` (``("supplier_id", 7)``: a column's field name and a plain value; a
    field may come twice, as chained ``filter`` calls) with an id above ``after``, in id order, as
    ``.values(*value_fields(model))`` dicts."""

    async def read(after: int | None, limit: int) -> list[dict[str, Any]]:
        if not is_postgres():
            query = model.all()
            for name, value in equal:
                query = query.filter(**{name: value})
            if after is not None:
                query = query.filter(id__gt=after)
            return await query.order_by("id").limit(limit).values(*value_fields(model))
        meta = model._meta
        columns = meta.fields_db_projection
        select, convert = value_select(model)
        params = [value for _, value in equal]
        conditions = [f'"{columns[name]}" = ${i}' for i, (name, _) in enumerate(equal, start=1)]
        if after is not None:
            params.append(after)
            conditions.append(f'"{meta.db_pk_column}" > ${len(params)}')
        params.append(limit)
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        sql = (
            f'SELECT {select} FROM "{meta.db_table}"{where} '
            f'ORDER BY "{meta.db_pk_column}" LIMIT ${len(params)}'
        )
        rows = await meta.db.execute_query_dict(sql, params)
        for row in rows:
            for name, func in convert:
                row[name] = func(row[name])
        return rows

    return read
