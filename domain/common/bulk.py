"""Set-based writes for the posting hot paths: one statement on PostgreSQL, a portable path elsewhere.

A posting changes a handful of rows of the same table (quants, valuations, order lines, reservations,
accruals). Through the ORM that is one statement per row. On PostgreSQL the same change is one
``UPDATE … FROM unnest($1::bigint[], $2::numeric[], …)`` (or ``INSERT … SELECT … FROM unnest(…)``)
whose text depends only on the table and columns, never on the number of rows, so asyncpg prepares it
once per connection. Other databases (SQLite: the embedded default and the per-test databases) take the
ORM path, one statement per row, with the same result.

Adding to a decimal column is exact on both: PostgreSQL adds ``numeric`` in SQL; SQLite has no decimal type
(``col + ?`` on its text would add binary floats and leave ``-9.99e-16`` behind), so there the row is read,
the sum is taken in Python ``Decimal``, rounded to the column's scale, and written back. The caller's locks
(or SQLite's single writer) keep the read and the write together.

Only plain columns of the few types below are supported: these helpers are for hot paths, not a query
builder. Callers keep their own locking rules (the rows written here are already locked or serialised by
the SKU lock of the posting).
"""

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tortoise import fields
from tortoise.expressions import F
from tortoise.models import Model

from domain.common import deferred
from domain.common.dialect import is_postgres

# Most specific first: BigIntField is an IntField.
_PG_TYPES: tuple[tuple[type[fields.Field[Any]], str], ...] = (
    (fields.BigIntField, "bigint"),
    (fields.IntField, "integer"),
    (fields.DecimalField, "numeric"),
    (fields.CharField, "text"),
    (fields.TextField, "text"),
    (fields.JSONField, "jsonb"),
    (fields.BooleanField, "boolean"),
    (fields.DatetimeField, "timestamptz"),
    (fields.DateField, "date"),
)


def pg_column(model: type[Model], name: str) -> tuple[str, str]:
    """(database column, PostgreSQL array element type) of a model field given by its Python name."""
    meta = model._meta
    field = meta.fields_map[name]
    for kind, sql_type in _PG_TYPES:
        if isinstance(field, kind):
            return meta.fields_db_projection[name], sql_type
    raise TypeError(f"{model.__name__}.{name}: {type(field).__name__} is not supported here")


async def update_rows(
    model: type[Model],
    key: str,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, Sequence[Any]]],
    *,
    add: bool = False,
) -> None:
    """For each ``(key value, column values)`` row, sets ``columns`` to the values, or adds the values to
    them when ``add`` (``quantity = quantity + delta``: right whatever the row holds now)."""
    if not rows:
        return
    if not is_postgres():
        for k, values in rows:
            change = dict(zip(columns, values, strict=True))
            if add:
                await add_to(model, {key: k}, change)
            else:
                await model.filter(**{key: k}).update(**change)
        return
    table = model._meta.db_table
    key_col, key_type = pg_column(model, key)
    cols = [pg_column(model, c) for c in columns]
    names = [f"c{i}" for i in range(len(cols))]
    sets = ", ".join(
        f'"{col}" = t."{col}" + v.{n}' if add else f'"{col}" = v.{n}'
        for (col, _), n in zip(cols, names, strict=True)
    )
    arrays = ", ".join(f"${i + 1}::{t}[]" for i, (_, t) in enumerate([(key_col, key_type), *cols]))
    sql = (
        f'UPDATE "{table}" AS t SET {sets} FROM unnest({arrays}) AS v(k, {", ".join(names)}) '
        f'WHERE t."{key_col}" = v.k'
    )
    params: list[list[Any]] = [[plain(k) for k, _ in rows]]
    params += [[plain(values[i]) for _, values in rows] for i in range(len(cols))]
    if deferred.active():
        await deferred.queue(deferred.Write((sql,), tuple(params), table, (key_col, frozenset(params[0]))))
        return
    await model._meta.db.execute_query(sql, params)


async def add_to(model: type[Model], filters: Mapping[str, Any], deltas: Mapping[str, Any]) -> None:
    """``col = col + delta`` for each column of ``deltas`` on the rows matching ``filters``, exactly: in SQL
    on PostgreSQL, in Python ``Decimal`` at the column's scale elsewhere (see the module's docstring)."""
    if not deltas:
        return
    if is_postgres():
        await model.filter(**filters).update(**{c: F(c) + d for c, d in deltas.items()})
        return
    pk = model._meta.pk_attr
    for row in await model.filter(**filters).values(pk, *deltas):
        await model.filter(**{pk: row[pk]}).update(
            **{c: exact(model, c, _decimal(row[c]) + _decimal(d)) for c, d in deltas.items()}
        )


def exact(model: type[Model], column: str, value: Any) -> Any:
    """``value`` rounded to the scale of a decimal column (other columns: unchanged)."""
    field = model._meta.fields_map[column]
    if not isinstance(field, fields.DecimalField):
        return value
    return _decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places), rounding=ROUND_HALF_UP)


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value if value is not None else 0))


async def insert_rows(
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    returning: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Inserts rows of plain column values (every non-null column without a database default must be
    given, ``auto_now_add`` included); returns the ``returning`` columns of the new rows, in no promised
    order (match them back on a unique key). Other databases: ``Model.create`` per row."""
    if not rows:
        return []
    if not is_postgres():
        out = []
        for values in rows:
            obj = await model.create(**dict(zip(columns, values, strict=True)))
            out.append({c: getattr(obj, c) for c in returning})
        return out
    table = model._meta.db_table
    cols = [pg_column(model, c) for c in columns]
    arrays = ", ".join(f"${i + 1}::{t}[]" for i, (_, t) in enumerate(cols))
    names = ", ".join(f'"{c}"' for c, _ in cols)
    sql = f'INSERT INTO "{table}" ({names}) SELECT * FROM unnest({arrays})'
    if returning:
        sql += " RETURNING " + ", ".join(f'"{pg_column(model, c)[0]}" AS "{c}"' for c in returning)
    params = [[plain(values[i]) for values in rows] for i in range(len(cols))]
    if deferred.active() and not returning:
        await deferred.queue(deferred.Write((sql,), tuple(params), table))
        return []
    # execute_query_dict, not execute_query: Tortoise's asyncpg client drops the rows of an INSERT.
    return await model._meta.db.execute_query_dict(sql, params)


async def insert_or_add(
    model: type[Model],
    key: str,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, Sequence[Any]]],
    also: Mapping[str, Any],
) -> None:
    """PostgreSQL only: for each ``(key value, column values)`` row, inserts it (with the constant column
    values ``also``) or, when a row of that key exists (``key`` must be unique), adds the values to its
    ``columns``: one ``INSERT … ON CONFLICT … DO UPDATE`` where the ORM reads which keys exist, inserts the
    missing and updates the others. Callers keep the ORM path for other databases and hold the locks that
    keep two postings from creating the same key."""
    if not rows:
        return
    table = model._meta.db_table
    key_col, key_type = pg_column(model, key)
    cols = [pg_column(model, c) for c in columns]
    extra = [(*pg_column(model, c), v) for c, v in also.items()]
    arrays = ", ".join(f"${i + 1}::{t}[]" for i, (_, t) in enumerate([(key_col, key_type), *cols]))
    consts = "".join(f", ${len(cols) + 2 + i}::{t}" for i, (_, t, _) in enumerate(extra))
    names = ", ".join(f'"{c}"' for c in [key_col, *(c for c, _ in cols), *(c for c, _, _ in extra)])
    sets = ", ".join(f'"{c}" = t."{c}" + EXCLUDED."{c}"' for c, _ in cols)
    sql = (
        f'INSERT INTO "{table}" AS t ({names}) SELECT v.*{consts} '
        f'FROM unnest({arrays}) AS v ON CONFLICT ("{key_col}") DO UPDATE SET {sets}'
    )
    params: list[Any] = [[plain(k) for k, _ in rows]]
    params += [[plain(values[i]) for _, values in rows] for i in range(len(cols))]
    params += [plain(v) for _, _, v in extra]
    if deferred.active():
        await deferred.queue(deferred.Write((sql,), tuple(params), table, (key_col, frozenset(params[0]))))
        return
    await model._meta.db.execute_query(sql, params)


def plain(value: Any) -> Any:
    """A value as asyncpg takes it."""
    # A StrEnum (our statuses) goes to asyncpg as its plain text.
    return str(value) if isinstance(value, str) and type(value) is not str else value
