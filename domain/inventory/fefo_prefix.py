"""The stock a shipment may pick, read only as far as FEFO can reach (issue 15).

``reservations.pickable_quants`` reads every pickable quant of a SKU: a SKU with hundreds of lots on hand
(daily lots of eggs, milk) made every shipment read, convert and sort hundreds of rows to pick one or two.
Here PostgreSQL keeps, per SKU, the allocatable quants in FEFO order up to the one that covers what the
shipment needs (a running sum of free quantity), plus every quant the order's own reservations hold and
every quant of a batch a line names. What ``rules.pick_fefo`` takes from the full list it takes from this
one, as long as the need was covered: the rows it would reach first are all here, in the same order
(``rules.fefo_key``, ties included). When a line's pick still falls short (a need the caller could not
foresee), or takes free stock past the last row FEFO's reach read (a reserved or named quant read with
the prefix sorts after rows that were not read: picking it could skip one), ``Picking`` reads the SKU's
full list and picks again, so the outcome never depends on the estimate.
``tests/integration/inventory/test_fefo_prefix.py`` compares whole shipments' picks both ways.

Allocatable, as ``rules.is_allocatable``: quant and batch status in ``rules.ALLOCATABLE``, not expired on the
business day (``expiry_date >= today``), free (``quantity > reserved``). PostgreSQL only; other databases
read the full list.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.inventory import rules
from domain.inventory.models import Batch, Location, StockQuant
from domain.inventory.reservations import PickableQuant, pickable_rows

PREFIX_SQL = (
    "WITH need AS (SELECT * FROM unnest($1::bigint[], $2::numeric[]) AS n(sku_id, quantity)), "
    'c AS (SELECT q."id", q."sku_id", q."batch_id", q."location_id", q."status", q."quantity", q."reserved", '
    'b."expiry_date", b."best_before_date", b."status" AS "batch_status", n.quantity AS needed, '
    '(q."id" = ANY($6::bigint[]) OR q."batch_id" = ANY($7::bigint[])) AS kept, '
    '(q."status" = ANY($4::text[]) AND b."status" = ANY($4::text[]) '
    'AND (b."expiry_date" IS NULL OR b."expiry_date" >= $5::date) AND q."quantity" > q."reserved") AS ok, '
    # ``rules.fefo_key`` in SQL: an undated limit or expiry sorts as ``date.max``; ties by batch, location.
    'COALESCE(LEAST(b."expiry_date", b."best_before_date"), DATE \'9999-12-31\') AS lim, '
    "COALESCE(b.\"expiry_date\", DATE '9999-12-31') AS exp "
    f'FROM "{StockQuant._meta.db_table}" AS q '
    f'JOIN "{Location._meta.db_table}" AS l ON l."id" = q."location_id" '
    f'JOIN "{Batch._meta.db_table}" AS b ON b."id" = q."batch_id" '
    'JOIN need AS n ON n.sku_id = q."sku_id" '
    'WHERE q."warehouse_id" = $3 AND q."quantity" > 0 AND l."kind" = $8 AND NOT l."frozen"), '
    'r AS (SELECT c.*, COALESCE(SUM(c."quantity" - c."reserved") FILTER (WHERE c.ok AND NOT c.kept) '
    'OVER (PARTITION BY c."sku_id" ORDER BY c.lim, c.exp, c."batch_id", c."location_id" '
    "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before FROM c WHERE c.ok OR c.kept), "
    # Whether FEFO's reach left rows of the SKU unread: only then is the read a prefix (``reach``).
    "s AS (SELECT r.*, NOT r.kept AND r.before < r.needed AS reached, "
    'bool_or(NOT r.kept AND r.before >= r.needed) OVER (PARTITION BY r."sku_id") AS cut FROM r) '
    'SELECT "id", "sku_id", "batch_id", "location_id", "status", "quantity", "reserved", "expiry_date", '
    '"best_before_date", "batch_status", reached, cut FROM s WHERE s.kept OR s.reached ORDER BY "id"'
)

#: Sorts before every ``rules.fefo_key``: the reach of a SKU of which nothing was read but rows were left.
NOTHING: rules.FefoKey = (date.min, date.min, 0, 0)


@dataclass(frozen=True)
class Prefix:
    """What ``pickable_prefix`` read: the quants, and per SKU whose read left allocatable rows unread, the
    FEFO key of the last row read in FEFO order (``NOTHING`` when none was). A pick of that SKU's free stock
    that goes past its reach may skip an unread row: the caller reads the rest and picks again."""

    quants: list[PickableQuant]
    reach: dict[int, rules.FefoKey]


async def pickable_prefix(
    needs: Mapping[int, Decimal],
    warehouse_id: int,
    today: date,
    own_quant_ids: list[int],
    named_batch_ids: list[int],
) -> Prefix:
    """Per SKU of ``needs`` (SKU id -> base quantity the shipment takes): its allocatable quants in FEFO
    order until their free quantity covers the need, with every quant in ``own_quant_ids`` (held by the
    order's reservations) and of ``named_batch_ids``, as ``reservations.pickable_quants`` reads them
    (values converted as the ORM converts them), by quant id; and each SKU's reach (``Prefix``).
    PostgreSQL only."""
    skus = sorted(needs)
    params: list[Any] = [
        skus,
        [needs[s] for s in skus],
        warehouse_id,
        sorted(rules.ALLOCATABLE),
        today,
        own_quant_ids,
        named_batch_ids,
        rules.LocationKind.INTERNAL.value,
    ]
    _, found = await StockQuant._meta.db.execute_query(PREFIX_SQL, params)
    quants = pickable_rows(found)
    reach: dict[int, rules.FefoKey] = {}
    for q, row in zip(quants, found, strict=True):
        if row["cut"]:
            key = rules.fefo_key(q.candidate(q.quantity, q.reserved)) if row["reached"] else NOTHING
            reach[q.sku_id] = max(reach.get(q.sku_id, NOTHING), key)
    return Prefix(quants, reach)
