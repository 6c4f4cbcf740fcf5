"""Models from hand-written reads on the posting hot paths (issue 15), built as the ORM builds them.

A read through Tortoise spends ~0.5–0.8 ms of Python per statement building its SQL (pypika, ``Q``
resolution) before the row comes back; a hot path's fixed statement text skips that, and asyncpg prepares
it once per connection. The models are still built by ``Model._init_from_db`` from every column, exactly
as ``QuerySet`` and ``select_related`` build them (same conversions: JSON, decimals, dates), so callers
and everything they hand the models to see the same objects. Callers keep the ORM path for SQLite.

``columns(Model, "o", "o.")`` is a select list of all the model's columns, aliased with a prefix so that
several models can share one row; ``build(Model, row, "o.")`` makes the model back from such a row.
"""

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, TypeVar

from tortoise.models import Model

M = TypeVar("M", bound=Model)


@cache
def _names(model: type[Model]) -> tuple[str, ...]:
    return tuple(model._meta.fields_db_projection.values())


@cache
def columns(model: type[Model], alias: str, prefix: str = "") -> str:
    """``alias."col" AS "{prefix}col", …`` over every database column of ``model`` (its table aliased
    ``alias`` in the statement)."""
    return ", ".join(f'{alias}."{c}" AS "{prefix}{c}"' for c in _names(model))


def build(model: type[M], row: Mapping[str, Any], prefix: str = "") -> M:
    """The model instance of a row read with ``columns(model, …, prefix)``, saved-in-database as the ORM
    returns it. Raises ``KeyError`` for a row without one of the model's columns."""
    if not prefix:
        return model._init_from_db(**{c: row[c] for c in _names(model)})
    return model._init_from_db(**{c: row[prefix + c] for c in _names(model)})


def attach(obj: Model, relation: str, related: Model | None) -> None:
    """Sets a foreign key's related object as ``select_related`` does (``obj.<relation>`` then reads it
    without a query)."""
    object.__setattr__(obj, f"_{relation}", related)


@cache
def _locked_sql(model: type[Model], related: tuple[tuple[str, type[Model]], ...]) -> str:
    meta = model._meta
    select = [columns(model, "t")]
    joins = []
    for i, (relation, other) in enumerate(related):
        fk = meta.fields_db_projection[f"{relation}_id"]  # the foreign key's column (Tortoise's naming)
        alias = f"r{i}"
        select.append(columns(other, alias, f"{relation}."))
        joins.append(
            f'LEFT JOIN "{other._meta.db_table}" AS {alias} '
            f'ON {alias}."{other._meta.db_pk_column}" = t."{fk}"'
        )
    return (
        f'SELECT {", ".join(select)} FROM "{meta.db_table}" AS t {" ".join(joins)} '
        f'WHERE t."{meta.db_pk_column}" = $1 FOR UPDATE OF t'
    )


async def locked_row(model: type[M], pk: Any, *related: tuple[str, type[Model]]) -> M | None:
    """PostgreSQL only: the row of ``model`` whose primary key is ``pk``, locked ``FOR UPDATE`` until the
    transaction ends, or None; with each ``(foreign key, related model)`` of ``related`` read in the same
    statement, unlocked, and attached (``obj.<foreign key>``): what
    ``filter(pk=…).select_related(…).select_for_update(of=(table,)).first()`` returns, without the ORM's
    query building."""
    _, rows = await model._meta.db.execute_query(_locked_sql(model, related), [pk])
    if not rows:
        return None
    row = rows[0]
    obj = build(model, row)
    for relation, other in related:
        # A LEFT JOIN as select_related's: a null foreign key leaves the relation None.
        present = row[f"{relation}.{other._meta.db_pk_column}"] is not None
        attach(obj, relation, build(other, row, f"{relation}.") if present else None)
    return obj


@cache
def _by_ids_sql(model: type[Model]) -> str:
    meta = model._meta
    return (
        f'SELECT {columns(model, "t")} FROM "{meta.db_table}" AS t '
        f'WHERE t."{meta.db_pk_column}" = ANY($1) ORDER BY t."{meta.db_pk_column}"'
    )


async def by_ids(model: type[M], ids: Iterable[Any]) -> list[M]:
    """PostgreSQL only: the rows of ``model`` whose primary keys are among ``ids``, by primary key, as
    ``filter(pk__in=ids).order_by(pk)`` returns them, without the ORM's query building."""
    _, found = await model._meta.db.execute_query(_by_ids_sql(model), [list(ids)])
    return [build(model, row) for row in found]
