"""An order's lines with their SKUs and units, as a posting against a purchase or sales order reads them."""

from decimal import Decimal
from functools import cache
from typing import TypeVar

from tortoise.models import Model

from domain.catalog.models import Sku, SkuUnit
from domain.catalog.services import unit_table
from domain.common import rows
from domain.common.dialect import is_postgres

L = TypeVar("L", bound=Model)
Lines = tuple[dict[int, L], dict[int, Sku], dict[int, dict[str, Decimal]]]


@cache
def _sql(line_model: type[Model]) -> str:
    # One row per line: the line, its SKU and the SKU's units as two arrays (unit, factor).
    return (
        f"SELECT {rows.columns(line_model, 'l')}, {rows.columns(Sku, 's', 's.')}, "
        'u.units AS "u.units", u.factors AS "u.factors" '
        f'FROM "{line_model._meta.db_table}" AS l JOIN "{Sku._meta.db_table}" AS s ON s."id" = l."sku_id" '
        'CROSS JOIN LATERAL (SELECT array_agg(x."unit") AS units, array_agg(x."factor") AS factors '
        f'FROM "{SkuUnit._meta.db_table}" AS x WHERE x."sku_id" = s."id") AS u '
        'WHERE l."order_id" = $1 ORDER BY l."id"'
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
