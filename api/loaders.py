"""Per-request dataloaders: one query per relation per request, whatever the page size.

``Loaders`` is created fresh for every request (see ``context.py``), so its caches never outlive a request
nor leak one caller's rows to another.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from functools import cache
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.fields import JSONField
from tortoise.models import Model

from domain.common import rows as hand_rows
from domain.common.dialect import is_postgres

M = TypeVar("M", bound=Model)
_Convert = Callable[[Any], Any]


class Values:
    """A row fetched with ``.values()``, read as attributes like the model instance it stands for.

    A list page of 100 orders reads ~700 rows; Tortoise building a model instance per row cost about as
    much as the database took to answer (issue 15, bench/README.md). The dict's keys are the model's field
    names (``order_id`` for a foreign key), converted by the fields as for an instance; a name the query did
    not fetch raises ``AttributeError`` as an unknown attribute does.

    A model's rows read by ``_children_rows`` are of its subclass (``_values_class``), which converts its
    JSON columns when first read: a page's 500 order lines each carry a JSON ``custom`` column their nodes
    never read, and decoding it was a tenth of reading them."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__ = values


class _Deferred:
    """A column held unconverted in a ``Values`` row's dict under ``_raw(name)`` and converted (then kept
    under ``name``, which shadows this non-data descriptor) when first read."""

    def __init__(self, name: str, convert: "_Convert") -> None:
        self.name, self.raw, self.convert = name, _raw(name), convert

    def __get__(self, row: Values | None, owner: type) -> Any:
        if row is None:
            return self
        values = row.__dict__
        if self.raw not in values:  # a row made without the column (not read by ``_children_rows``)
            raise AttributeError(self.name)
        value = values[self.name] = self.convert(values.pop(self.raw))
        return value


def _raw(name: str) -> str:
    """The key (and the statement's column alias) holding a deferred column unconverted: not an
    identifier, so no attribute."""
    return f"~{name}"


def value_fields(model: type[Model]) -> tuple[str, ...]:
    """Every column of ``model`` by field name (``order_id``, not ``order``): what ``Values`` rows hold."""
    return tuple(model._meta.fields_db_projection)


@cache
def value_select(
    model: type[Model], deferred: frozenset[str] = frozenset()
) -> tuple[str, tuple[tuple[str, _Convert], ...]]:
    """``.values(*value_fields(model))`` hand-written: the select list (``"column" AS "field"``), and the
    fields ``ValuesQuery`` converts with their ``to_python_value`` (``resolve_to_python_value``: every
    field but those the driver returns natively), in field order. The fields of ``deferred`` are aliased
    ``_raw(field)`` and left out of the conversions (``_values_class`` converts them when first read)."""
    meta = model._meta
    columns = meta.fields_db_projection
    native = {entry[1] for entry in meta.db_native_fields}  # as resolve_to_python_value reads them
    select = ", ".join(
        f'"{columns[name]}" AS "{_raw(name) if name in deferred else name}"' for name in value_fields(model)
    )
    convert = tuple(
        (name, meta.fields_map[name].to_python_value)
        for name in value_fields(model)
        if name not in native and name not in deferred
    )
    return select, convert


@cache
def _children_values_sql(
    model: type[Model], fk: str, deferred: frozenset[str] = frozenset()
) -> tuple[str, tuple[tuple[str, _Convert], ...]]:
    """A list page's children read as ``.values(*value_fields(model))`` reads them: the statement and
    the conversions (``value_select``, ``deferred`` too)."""
    meta = model._meta
    select, convert = value_select(model, deferred)
    sql = (
        f'SELECT {select} FROM "{meta.db_table}" WHERE "{meta.fields_db_projection[fk]}" = ANY($1) '
        f'ORDER BY "{meta.db_pk_column}"'
    )
    return sql, convert


async def _children_values(model: type[Model], fk: str, ids: list[int]) -> list[dict[str, Any]]:
    """``model.filter(<fk>__in=ids).order_by("id").values(*value_fields(model))``. PostgreSQL: one
    hand-written statement (issue 15: the ORM's query building and its per-row work were a tenth of an
    order page); ``tests/e2e/api/test_prefetch_reads.py`` pins it to the ORM read."""
    if not is_postgres():
        return await model.filter(**{f"{fk}__in": ids}).order_by("id").values(*value_fields(model))
    sql, convert = _children_values_sql(model, fk)
    found = await model._meta.db.execute_query_dict(sql, [ids])
    for row in found:
        for name, func in convert:
            row[name] = func(row[name])
    return found


@cache
def _json_fields(model: type[Model]) -> frozenset[str]:
    """The JSON columns of ``model``: a list page's rows convert them when first read."""
    meta = model._meta
    return frozenset(
        name
        for name, field in meta.fields_map.items()
        if isinstance(field, JSONField) and name in meta.fields_db_projection
    )


@cache
def _values_class(model: type[Model]) -> type[Values]:
    """``Values`` for rows of ``model`` read by ``_children_rows``: each JSON column a ``_Deferred``."""
    fields_map = model._meta.fields_map
    lazy = {name: _Deferred(name, fields_map[name].to_python_value) for name in _json_fields(model)}
    return type(f"{model.__name__}Values", (Values,), lazy)


async def _children_rows(model: type[Model], fk: str, ids: list[int]) -> list[Values]:
    """``_children_values`` as ``Values`` rows; on PostgreSQL their JSON columns are decoded when first
    read (``_values_class``), every other column converted at once."""
    if not is_postgres():
        return [Values(v) for v in await _children_values(model, fk, ids)]
    cls = _values_class(model)
    sql, now = _children_values_sql(model, fk, _json_fields(model))
    new = object.__new__
    rows = []
    for row in await model._meta.db.execute_query_dict(sql, [ids]):
        for name, func in now:
            row[name] = func(row[name])
        # The row's dict itself, without a call to ``__init__``: 500 rows a page.
        v = new(cls)
        v.__dict__ = row
        rows.append(v)
    return rows


async def _by_ids(model: type[M], ids: list[Any], pk: str) -> list[M]:
    """``model.filter(<pk>__in=ids)``; PostgreSQL, by primary key: ``rows.by_ids`` (the same models)."""
    if pk == model._meta.pk_attr and is_postgres():
        return await hand_rows.by_ids(model, ids)
    return await model.filter(**{f"{pk}__in": ids})


class Loaders:
    def __init__(self) -> None:
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}
        # Nodes built from held rows, shared by the fields of this request that build the same node from
        # the same row (``api.nodes.required_held(..., shared=True)``): 500 order lines, 5 SKUs built.
        self.built: dict[Hashable, Any] = {}

    def get(self, key: Hashable, make: Callable[[], DataLoader[Any, Any]]) -> DataLoader[Any, Any]:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = make()
        return loader

    def by_id(self, model: type[M], pk: str = "id") -> "DataLoader[int, M | None]":
        """Rows of ``model`` by primary key (``None`` for an unknown id)."""
        # Looked up before building the loader's closure: a page of 100 orders asks ~1,500 times.
        loader = self._loaders.get(("by_id", model, pk))
        if loader is not None:
            return loader

        async def load(ids: list[int]) -> list[M | None]:
            rows = {getattr(r, pk): r for r in await model.filter(**{f"{pk}__in": ids})}
            return [rows.get(i) for i in ids]

        return self.get(("by_id", model, pk), lambda: DataLoader(load_fn=load))

    def children(self, model: type[M], fk: str) -> "DataLoader[int, list[M]]":
        """Rows of ``model`` whose ``fk`` column is the key, in primary-key order."""
        loader = self._loaders.get(("children", model, fk))
        if loader is not None:
            return loader

        async def load(ids: list[int]) -> list[list[M]]:
            groups: dict[int, list[M]] = defaultdict(list)
            for row in await model.filter(**{f"{fk}__in": ids}).order_by("id"):
                groups[getattr(row, fk)].append(row)
            return [groups.get(i, []) for i in ids]

        return self.get(("children", model, fk), lambda: DataLoader(load_fn=load))

    async def fill_by_id(self, model: type[M], ids: Iterable[int], pk: str = "id") -> None:
        """Puts the rows of ``ids`` that ``by_id`` does not hold yet into its cache, in one query.

        A list page calls it before its rows resolve, so their relations resolve without awaiting
        (see ``api.nodes.required_held``): GraphQL then completes 100 rows without a task per relation.
        """
        loader = self.by_id(model, pk)
        missing = [i for i in dict.fromkeys(ids) if loader.cache_map.get(i) is None]
        if missing:
            rows = {getattr(r, pk): r for r in await _by_ids(model, missing, pk)}
            loader.prime_many({i: rows.get(i) for i in missing})

    async def fill_children(
        self, model: type[M], fk: str, ids: Iterable[int], *, values: bool = False
    ) -> list[Any]:
        """Puts the children of ``ids`` that ``children`` does not hold yet into its cache, in one query;
        returns the children of every id of ``ids`` (the cached ones too), in primary-key order per id.

        ``values``: fetch them as ``Values`` rows (every column, no model instance) for a list page whose
        nodes only read their columns; the loader then holds those for the rest of the request."""
        loader = self.children(model, fk)
        keys = list(dict.fromkeys(ids))
        missing = [i for i in keys if loader.cache_map.get(i) is None]
        if missing:
            groups: dict[int, list[Any]] = defaultdict(list)
            if values:
                for v in await _children_rows(model, fk, missing):
                    groups[v.__dict__[fk]].append(v)
            else:
                for row in await model.filter(**{f"{fk}__in": missing}).order_by("id"):
                    groups[getattr(row, fk)].append(row)
            loader.prime_many({i: groups.get(i, []) for i in missing})
        out: list[Any] = []
        for i in keys:
            future = loader.cache_map.get(i)
            if future is not None and future.done() and not future.cancelled() and future.exception() is None:
                out.extend(future.result())
        return out
