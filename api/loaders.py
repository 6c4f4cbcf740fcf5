"""Per-request dataloaders: one query per relation per request, whatever the page size.

``Loaders`` is created fresh for every request (see ``context.py``), so its caches never outlive a request
nor leak one caller's rows to another.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

M = TypeVar("M", bound=Model)


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

        async def load(ids: list[int]) -> list[M | None]:
            rows = {getattr(r, pk): r for r in await model.filter(**{f"{pk}__in": ids})}
            return [rows.get(i) for i in ids]

        return self.get(("by_id", model, pk), lambda: DataLoader(load_fn=load))

    def children(self, model: type[M], fk: str) -> "DataLoader[int, list[M]]":
        """Rows of ``model`` whose ``fk`` column is the key, in primary-key order."""

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
            rows = {getattr(r, pk): r for r in await model.filter(**{f"{pk}__in": missing})}
            loader.prime_many({i: rows.get(i) for i in missing})

    async def fill_children(self, model: type[M], fk: str, ids: Iterable[int]) -> list[M]:
        """Puts the children of ``ids`` that ``children`` does not hold yet into its cache, in one query;
        returns the children of every id of ``ids`` (the cached ones too), in primary-key order per id."""
        loader = self.children(model, fk)
        keys = list(dict.fromkeys(ids))
        missing = [i for i in keys if loader.cache_map.get(i) is None]
        if missing:
            groups: dict[int, list[M]] = defaultdict(list)
            for row in await model.filter(**{f"{fk}__in": missing}).order_by("id"):
                groups[getattr(row, fk)].append(row)
            loader.prime_many({i: groups.get(i, []) for i in missing})
        out: list[M] = []
        for i in keys:
            future = loader.cache_map.get(i)
            if future is not None and future.done() and not future.cancelled() and future.exception() is None:
                out.extend(future.result())
        return out
