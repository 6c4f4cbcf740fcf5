"""An order's lines with their SKUs and units, as a posting against a purchase or sales order reads them."""

from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from tortoise.models import Model

from domain.catalog.models import Sku, SkuUnit
from domain.catalog.services import unit_table
from domain.common import rows
from domain.common.dialect import is_postgres
from domain.inventory import ledger
from domain.inventory.models import SkuValuation

L = TypeVar("L", bound=Model)
Lines = tuple[dict[int, L], dict[int, Sku], dict[int, dict[str, Decimal]]]


@cache
def _sql(line_model: type[Model], lock: bool = False, draw: type[Model] | None = None) -> str:
    # One row per line: the line, its SKU and the SKU's units as two arrays (unit, factor); with ``lock``,
    # the SKU's valuation row too, locked as ``ledger.lock_skus`` locks them (SKU id order, FOR UPDATE)
    # in a CTE the join reads in full (issue 15: a posting's lock without a statement of its own).
    line_table = line_model._meta.db_table
    valuation = SkuValuation._meta.db_table
    ctes = []
    if lock:
        ctes.append(
            f'v AS MATERIALIZED (SELECT {rows.columns(SkuValuation, "x")} FROM "{valuation}" AS x '
            f'WHERE x."sku_id" IN (SELECT y."sku_id" FROM "{line_table}" AS y WHERE y."order_id" = $1) '
            'ORDER BY x."sku_id" FOR UPDATE)'
        )
    if draw is not None:  # once per statement, not per row: a CTE of its own
        sequence = f"pg_get_serial_sequence('{draw._meta.db_table}', '{draw._meta.db_pk_column}')"
        ctes.append(f"d AS MATERIALIZED (SELECT nextval({sequence}) AS id)")
    return (
        (f"WITH {', '.join(ctes)} " if ctes else "")
        + f"SELECT {rows.columns(line_model, 'l')}, {rows.columns(Sku, 's', 's.')}, "
        + (f"{rows.columns(SkuValuation, 'v', 'v.')}, " if lock else "")
        + ('d."id" AS "d.id", ' if draw is not None else "")
        + 'u.units AS "u.units", u.factors AS "u.factors" '
        f'FROM "{line_table}" AS l JOIN "{Sku._meta.db_table}" AS s ON s."id" = l."sku_id" '
        'CROSS JOIN LATERAL (SELECT array_agg(x."unit") AS units, array_agg(x."factor") AS factors '
        f'FROM "{SkuUnit._meta.db_table}" AS x WHERE x."sku_id" = s."id") AS u '
        + ('LEFT JOIN v ON v."sku_id" = l."sku_id" ' if lock else "")
        + ("CROSS JOIN d " if draw is not None else "")
        + 'WHERE l."order_id" = $1 ORDER BY l."id"'
    )


async def order_lines(line_model: type[L], order_id: int) -> Lines[L]:
    """``(lines by id, their SKUs by id, unit table)`` of one order; ``line_model`` is a purchase or sales
    order line (``order_id`` and ``sku_id`` columns). The unit table is ``catalog.services.unit_table``'s:
    SKU id -> {unit: factor to the base unit}.

    PostgreSQL: one hand-written statement where the ORM makes three (issue 15: a receipt and a shipment
    read them first, each ORM read ~0.5–0.8 ms of Python); the models are built as the ORM builds them
    (``tests/integration/purchasing/test_hot_reads.py`` pins them to the ORM path). Call it after the order
    is locked: the lines' received and shipped figures are then current."""
    if not is_postgres():
        lines = {ln.pk: ln for ln in await line_model.filter(order_id=order_id)}
        skus = {s.id: s for s in await Sku.filter(id__in={ln.sku_id for ln in lines.values()})}  # type: ignore[attr-defined]
        return lines, skus, await unit_table(list(skus))
    _, found = await line_model._meta.db.execute_query(_sql(line_model), [order_id])
    return _lines(line_model, found)


async def locked_order_lines(
    line_model: type[L], order_id: int, document: type[Model] | None = None
) -> tuple[Lines[L], dict[int, SkuValuation], int | None]:
    """``order_lines`` and ``ledger.lock_skus`` of every SKU of the order's lines, as a posting calls them
    one after the other (same results, same errors, same lock order); on PostgreSQL in one statement,
    which also draws an id from ``document``'s sequence (the posting's new document, inserted later with
    it by ``bulk_insert.insert_document``). The id is None elsewhere, or for an order without lines."""
    if not is_postgres():
        lines = await order_lines(line_model, order_id)
        return lines, await ledger.lock_skus(lines[1]), None
    _, found = await line_model._meta.db.execute_query(_sql(line_model, True, document), [order_id])
    lines = _lines(line_model, found)
    first = {r["v.sku_id"]: r for r in reversed(found) if r["v.sku_id"] is not None}  # a row per SKU
    valuations = [rows.build(SkuValuation, r, "v.") for r in first.values()]
    drawn = found[0]["d.id"] if found and document is not None else None
    return lines, await ledger.locked(sorted(lines[1]), valuations), drawn


def _lines(line_model: type[L], found: Sequence[Any]) -> Lines[L]:
    factor = SkuUnit._meta.fields_map["factor"]
    by_id: dict[int, L] = {}
    skus = {}
    units: dict[int, dict[str, Decimal]] = {}
    for row in found:
        line = rows.build(line_model, row)
        by_id[line.pk] = line
        sku_id = row["sku_id"]
        if sku_id not in skus:
            skus[sku_id] = rows.build(Sku, row, "s.")
            pairs = zip(row["u.units"] or (), row["u.factors"] or (), strict=True)
            units[sku_id] = {u: factor.to_python_value(f) for u, f in pairs}
    return by_id, skus, units
