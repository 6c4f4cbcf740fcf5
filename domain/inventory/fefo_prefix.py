"""The stock a shipment may pick, read only as far as FEFO can reach (issue 15).

``reservations.pickable_quants`` reads every pickable quant of a SKU: a SKU with hundreds of lots on hand
(daily lots of eggs, milk) made every shipment read, convert and sort hundreds of rows to pick one or two.
Here PostgreSQL reads, per SKU, the allocatable quants in FEFO order from an index (each quant stores its
batch's ``rules.fefo_dates``; at most ``READ_AT_MOST`` rows) and keeps them up to the one that covers what
the shipment needs (a running sum of free quantity), plus every quant the order's own reservations hold
and every quant of a batch a line names. What ``rules.pick_fefo`` takes from the full list it takes from
this one, as long as the need was covered: the rows it would reach first are all here, in the same order
(``rules.fefo_key``, ties included). When a line's pick still falls short (a need the caller could not
foresee, or more lots than the read takes), or takes free stock past the last row FEFO's reach read (a
reserved or named quant read with the prefix sorts after rows that were not read: picking it could skip
one), ``Picking`` reads the SKU's full list and picks again, so the outcome never depends on the estimate.
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

#: At most this many free quants of a SKU are read in FEFO order: enough for a line of a few lots, small
#: enough that reading past what the need takes costs little. A SKU that needs more is left "cut" at the
#: last row read (``Prefix.reach``) and read in full if a pick goes past it.
READ_AT_MOST = 8

_FREE_WHERE = (
    'q."warehouse_id" = $3 AND q."sku_id" = n.sku_id AND q."quantity" > 0 AND q."quantity" > q."reserved" '
    'AND q."status" = ANY($4::text[]) AND b."status" = ANY($4::text[]) '
    'AND (b."expiry_date" IS NULL OR b."expiry_date" >= $5::date) AND l."kind" = $8 AND NOT l."frozen" '
    'AND NOT (q."id" = ANY($6::bigint[]) OR q."batch_id" = ANY($7::bigint[]))'
)
_COLUMNS = (
    'q."id", q."sku_id", q."batch_id", q."location_id", q."status", q."quantity", q."reserved", '
    'b."expiry_date", b."best_before_date", b."status" AS "batch_status"'
)
_FROM = (
    f'FROM "{StockQuant._meta.db_table}" AS q '
    f'JOIN "{Location._meta.db_table}" AS l ON l."id" = q."location_id" '
    f'JOIN "{Batch._meta.db_table}" AS b ON b."id" = q."batch_id" '
)
PREFIX_SQL = (
    "WITH need AS (SELECT * FROM unnest($1::bigint[], $2::numeric[]) AS n(sku_id, quantity)), "
    # Per SKU, its free quants in FEFO order straight from the index ``stock_quant_fefo_order`` (the
    # quant's copy of ``rules.fefo_key``: limiting date, expiry, then batch, location), at most $9 of them.
    f"f AS (SELECT n.quantity AS needed, x.* FROM need AS n CROSS JOIN LATERAL (SELECT {_COLUMNS}, "
    f'q."fefo_limit", q."fefo_expiry" {_FROM}WHERE {_FREE_WHERE} '
    'ORDER BY q."fefo_limit", q."fefo_expiry", q."batch_id", q."location_id" LIMIT $9) AS x), '
    'r AS (SELECT f.*, COALESCE(SUM(f."quantity" - f."reserved") OVER (PARTITION BY f."sku_id" '
    'ORDER BY f."fefo_limit", f."fefo_expiry", f."batch_id", f."location_id" '
    "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before, "
    'count(*) OVER (PARTITION BY f."sku_id") AS n FROM f), '
    # A row is reached while what came before it does not cover the need; the read is cut (rows may be
    # left unread) when a row was not reached or the limit was.
    "s AS (SELECT r.*, r.before < r.needed AS reached, "
    'bool_or(r.before >= r.needed) OVER (PARTITION BY r."sku_id") OR r.n = $9 AS cut FROM r) '
    'SELECT "id", "sku_id", "batch_id", "location_id", "status", "quantity", "reserved", "expiry_date", '
    '"best_before_date", "batch_status", false AS kept, reached, cut FROM s WHERE s.reached OR s.cut '
    # Every quant the order's reservations hold or of a batch a line names, whatever FEFO would take.
    f"UNION ALL SELECT {_COLUMNS}, true, false, false {_FROM}"
    'WHERE q."warehouse_id" = $3 AND q."sku_id" = ANY($1::bigint[]) AND q."quantity" > 0 '
    'AND l."kind" = $8 AND NOT l."frozen" '
    'AND (q."id" = ANY($6::bigint[]) OR q."batch_id" = ANY($7::bigint[])) '
    'ORDER BY "id"'
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
        READ_AT_MOST,
    ]
    _, found = await StockQuant._meta.db.execute_query(PREFIX_SQL, params)
    # A row of a cut SKU that was not reached (the need was covered before it) only says the SKU was cut.
    read = [row for row in found if row["kept"] or row["reached"]]
    quants = pickable_rows(read)
    reach: dict[int, rules.FefoKey] = {row["sku_id"]: NOTHING for row in found if row["cut"]}
    for q, row in zip(quants, read, strict=True):
        if row["cut"] and row["reached"]:
            reach[q.sku_id] = max(reach[q.sku_id], rules.fefo_key(q.candidate(q.quantity, q.reserved)))
    return Prefix(quants, reach)
