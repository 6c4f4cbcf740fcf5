"""Reservations and picking candidates: what FEFO may pick; reserving and releasing stock for lines."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from domain.common import bulk
from domain.common.dialect import is_postgres
from domain.inventory import rules
from domain.inventory.models import Batch, Location, Reservation, StockQuant


async def candidates(
    sku_id: int, warehouse_id: int, batch_ids: list[int] | None = None
) -> list[rules.QuantCandidate]:
    return (await candidates_by_sku([sku_id], warehouse_id, batch_ids)).get(sku_id, [])


async def candidates_by_sku(
    sku_ids: Iterable[int], warehouse_id: int, batch_ids: list[int] | None = None
) -> dict[int, list[rules.QuantCandidate]]:
    """The stock of several SKUs that picking may consider, per SKU, in one query."""
    found: dict[int, list[rules.QuantCandidate]] = defaultdict(list)
    for q in await pickable_quants(sku_ids, warehouse_id, batch_ids):
        found[q.sku_id].append(q.candidate(q.quantity, q.reserved))
    return found


@dataclass(frozen=True)
class PickableQuant:
    """A quant picking may consider, with what FEFO needs of its batch (read as plain values)."""

    id: int
    sku_id: int
    batch_id: int
    location_id: int
    status: str
    quantity: Decimal
    reserved: Decimal
    expiry_date: date | None
    best_before_date: date | None
    batch_status: str

    def candidate(self, quantity: Decimal, reserved: Decimal) -> rules.QuantCandidate:
        """As a picking candidate, with the given on-hand and reserved figures."""
        return rules.QuantCandidate(
            self.id,
            self.batch_id,
            self.location_id,
            self.expiry_date,
            self.best_before_date,
            self.status,
            self.batch_status,
            quantity - reserved,
        )


def pickable_rows(found: Iterable[Any]) -> list[PickableQuant]:
    """Rows of the hand-written pickable reads (``id``, ``sku_id``, ``batch_id``, ``location_id``,
    ``status``, ``quantity``, ``reserved``, ``expiry_date``, ``best_before_date``, ``batch_status``) with
    their quantities converted as the ORM converts them."""
    qty = StockQuant._meta.fields_map["quantity"].to_python_value
    return [
        PickableQuant(
            r["id"],
            r["sku_id"],
            r["batch_id"],
            r["location_id"],
            r["status"],
            Decimal(qty(r["quantity"])),
            Decimal(qty(r["reserved"])),
            r["expiry_date"],
            r["best_before_date"],
            r["batch_status"],
        )
        for r in found
    ]


@cache
def _pickable_sql(by_batch: bool) -> str:
    quant, location, batch = (m._meta.db_table for m in (StockQuant, Location, Batch))
    return (
        'SELECT q."id", q."sku_id", q."batch_id", q."location_id", q."status", q."quantity", q."reserved", '
        'b."expiry_date", b."best_before_date", b."status" AS "batch_status" '
        f'FROM "{quant}" AS q JOIN "{location}" AS l ON l."id" = q."location_id" '
        f'JOIN "{batch}" AS b ON b."id" = q."batch_id" '
        'WHERE q."sku_id" = ANY($1) AND q."warehouse_id" = $2 AND q."quantity" > 0 '
        'AND l."kind" = $3 AND NOT l."frozen"' + (' AND q."batch_id" = ANY($4)' if by_batch else "") + " "
        'ORDER BY q."id"'
    )


async def pickable_quants(
    sku_ids: Iterable[int], warehouse_id: int, batch_ids: list[int] | None = None
) -> list[PickableQuant]:
    """Quants with stock that picking may consider, in one query (values, not model rows: a SKU may
    have hundreds of lots on hand), by quant id.

    PostgreSQL: a hand-written statement (issue 15: a shipment reads it first, and the ORM's query
    building and per-column conversion were a tenth of the posting's Python); the values are converted by
    the model fields as the ORM converts them (``tests/integration/inventory/test_pickable_sql.py`` pins the
    two paths)."""
    # Frozen bins (a count in progress) are skipped: pick from elsewhere rather than fail the order.
    if is_postgres():
        params: list[Any] = [list(sku_ids), warehouse_id, rules.LocationKind.INTERNAL.value]
        if batch_ids is not None:
            params.append(list(batch_ids))
        _, found = await StockQuant._meta.db.execute_query(_pickable_sql(batch_ids is not None), params)
        return pickable_rows(found)
    query = StockQuant.filter(
        sku_id__in=list(sku_ids),
        warehouse_id=warehouse_id,
        quantity__gt=0,
        location__kind=rules.LocationKind.INTERNAL,
        location__frozen=False,
    )
    if batch_ids is not None:
        query = query.filter(batch_id__in=batch_ids)
    rows = await query.order_by("id").values_list(
        "id",
        "sku_id",
        "batch_id",
        "location_id",
        "status",
        "quantity",
        "reserved",
        "batch__expiry_date",
        "batch__best_before_date",
        "batch__status",
    )
    return [
        PickableQuant(i, s, b, loc, st, Decimal(q), Decimal(r), exp, bb, bst)
        for i, s, b, loc, st, q, r, exp, bb, bst in rows
    ]


async def line_reservations(doc_type: str, line_ids: list[int]) -> list[tuple[int, int, int, Decimal]]:
    """``(reservation id, line id, quant id, quantity)`` of the lines' reservations, by reservation id.

    PostgreSQL: hand-written, as ``pickable_quants`` (and pinned with it)."""
    if is_postgres():
        _, found = await Reservation._meta.db.execute_query(_RESERVATIONS_SQL, [doc_type, line_ids])
        qty = Reservation._meta.fields_map["quantity"].to_python_value
        return [(r["id"], r["doc_line_id"], r["quant_id"], Decimal(qty(r["quantity"]))) for r in found]
    return [
        (rid, line_id, quant_id, Decimal(q))
        for rid, line_id, quant_id, q in await Reservation.filter(doc_type=doc_type, doc_line_id__in=line_ids)
        .order_by("id")
        .values_list("id", "doc_line_id", "quant_id", "quantity")
    ]


_RESERVATIONS_SQL = (
    f'SELECT "id", "doc_line_id", "quant_id", "quantity" FROM "{Reservation._meta.db_table}" '
    'WHERE "doc_type" = $1 AND "doc_line_id" = ANY($2) ORDER BY "id"'
)


async def reserve(
    doc_type: str, line_id: int, sku_id: int, warehouse_id: int, quantity: Decimal, today: date
) -> Decimal:
    """Reserves FEFO what exists, up to ``quantity``; returns the shortfall. Caller holds the SKU lock."""
    picks, shortfall = rules.pick_fefo(await candidates(sku_id, warehouse_id), quantity, today)
    for p in picks:
        await Reservation.create(
            quant_id=p.quant_id, doc_type=doc_type, doc_line_id=line_id, quantity=p.quantity
        )
        await bulk.add_to(StockQuant, {"id": p.quant_id}, {"reserved": p.quantity})
    return shortfall


async def unreserve(doc_type: str, line_id: int) -> None:
    for r in await Reservation.filter(doc_type=doc_type, doc_line_id=line_id):
        await bulk.add_to(StockQuant, {"id": r.quant_id}, {"reserved": -Decimal(r.quantity)})
        await r.delete()


async def release_reservations(quant_id: int, amount: Decimal) -> None:
    """Gives up ``amount`` of a quant's reservations, newest first. Caller holds the SKU lock."""
    left = amount
    for r in await Reservation.filter(quant_id=quant_id).order_by("-id"):
        if left <= 0:
            break
        take = min(Decimal(r.quantity), left)
        if take == r.quantity:
            await r.delete()
        else:
            await bulk.add_to(Reservation, {"id": r.id}, {"quantity": -take})
        await bulk.add_to(StockQuant, {"id": quant_id}, {"reserved": -take})
        left -= take
