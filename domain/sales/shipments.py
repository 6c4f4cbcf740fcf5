"""Shipments: FEFO picking against a sales order, reserved stock first."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.catalog.models import Sku
from domain.catalog.order_lines import locked_order_lines
from domain.common import bulk, bulk_insert, business_time
from domain.common.errors import InsufficientStock, NotFound, Shortage, ValidationError
from domain.common.services import Posted, posting
from domain.finance import postings as finance
from domain.inventory import rules as stock_rules
from domain.inventory.ledger import MoveRequest, apply_moves
from domain.inventory.models import Batch
from domain.inventory.services import virtual_and
from domain.quality import alerts
from domain.quality import rules as quality_rules
from domain.sales import rules
from domain.sales.models import SalesOrderLine, Shipment, ShipmentLine
from domain.sales.picking import Picking
from domain.sales.services import locked_order, ordered_base
from domain.trace import recorders


@dataclass(frozen=True)
class ShipmentLineInput:
    order_line_id: int
    quantity: Decimal
    unit: str | None = None  # None: the order line's unit
    batch_id: int | None = None  # None: reserved stock first, then FEFO


async def _picks_for_line(
    picking: Picking,
    ln: SalesOrderLine,
    sku: Sku,
    qty: Decimal,
    batch_id: int | None,
    today: date,
    path: tuple[str, ...],
) -> list[tuple[stock_rules.Pick, Decimal]]:
    """(pick, part of it taken from this line's own reservation)."""
    own = picking.own(ln.id)
    if batch_id is not None:
        batch = await Batch.get_or_none(id=batch_id, sku_id=sku.id)
        if batch is None:
            raise NotFound("batch", batch_id, (*path, "batchId"))
        if batch.status not in stock_rules.ALLOCATABLE:
            raise ValidationError(
                f"batch {batch.lot_code} is {batch.status} and cannot be shipped", (*path, "batchId")
            )
        if stock_rules.is_expired(batch.expiry_date, today):
            raise ValidationError(
                f"batch {batch.lot_code} expired on {batch.expiry_date}", (*path, "batchId")
            )
    boosted = picking.candidates(sku.id, batch_id, own)
    mine = [c for c in boosted if c.quant_id in own]
    others = [c for c in boosted if c.quant_id not in own]
    picks, rest = stock_rules.pick_fefo(mine, qty, today)
    more, shortfall = stock_rules.pick_fefo(others, rest, today)
    # Only FEFO's reach was read, and it did not cover this line (a named batch's lines read all of it).
    if (shortfall > 0 or (batch_id is None and picking.past_reach(sku.id, more))) and await picking.complete(
        sku.id
    ):
        return await _picks_for_line(picking, ln, sku, qty, batch_id, today, path)
    if shortfall > 0:
        raise InsufficientStock([Shortage(sku.code, qty, qty - shortfall)], (*path, "quantity"))
    return [
        (p, min(p.quantity, own[p.quant_id].quantity) if p.quant_id in own else Decimal(0))
        for p in picks + more
    ]


def _needs(
    lines: list[ShipmentLineInput],
    order_lines: dict[int, SalesOrderLine],
    units: dict[int, dict[str, Decimal]],
) -> dict[int, Decimal]:
    """What the lines take of each SKU, in base units, as far as it can be told before picking: a line the
    loop below will refuse (unknown order line, bad quantity or unit) adds nothing. Only sizes the read of
    stock (``Picking.load``); a pick that finds it short reads the rest."""
    needs: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        ol = order_lines.get(line.order_line_id)
        if ol is None or not line.quantity > 0:
            continue
        factor = units.get(ol.sku_id, {}).get(line.unit or ol.unit)
        if factor is None:
            continue
        needs[ol.sku_id] += stock_rules.to_base(line.quantity, factor)
    return needs


async def shipment_post(
    order_id: int,
    lines: list[ShipmentLineInput],
    shipped_at: datetime,
    key: str | None = None,
    posted_by_id: int | None = None,
    *,
    sensor_readings: Sequence[quality_rules.SensorReadingInput] = (),
) -> Posted:
    """Ships stock against a sales order: FEFO (or the named batches), never expired or held stock.

    The load's sensor readings go into the shipping event; a reading outside a shipped SKU's allowed range
    raises a batch alert on each shipped lot of that SKU, in the same transaction."""

    async def body() -> Posted:
        quality_rules.check_readings(sensor_readings)
        order = await locked_order(order_id, parties=True)
        rules.check_shippable(order.status, order.number or "")
        if not lines:
            raise ValidationError("a shipment needs at least one line", ("lines",))
        # The shipment's id is drawn with the lines and locks: its insert then waits in the batch (issue 15).
        (order_lines, skus, units), valuations, drawn = await locked_order_lines(
            SalesOrderLine, order.id, Shipment
        )
        shipment = Shipment(
            order=order,
            warehouse_id=order.warehouse_id,
            shipped_at=shipped_at,
            posted_by_id=posted_by_id,
        )
        if drawn is not None:
            shipment.id = drawn
        shipment.number = await bulk_insert.insert_document(shipment, "SH")
        customer_location, found = await virtual_and(
            stock_rules.LocationKind.CUSTOMER, warehouse_id=order.warehouse_id
        )
        locations = {loc.id: loc for loc in found}
        shipped_skus = [
            order_lines[ln.order_line_id].sku_id for ln in lines if ln.order_line_id in order_lines
        ]
        picking = await Picking.load(
            list(order_lines),
            sorted(set(shipped_skus)),
            order.warehouse_id,
            _needs(lines, order_lines, units),
            business_time.business_date(shipped_at),
            [ln.batch_id for ln in lines if ln.batch_id is not None],
        )
        shipped_before = {ol.id: ol.shipped_base for ol in order_lines.values()}
        requests: list[MoveRequest] = []
        request_lines: list[SalesOrderLine] = []
        for i, line in enumerate(lines):
            path = ("lines", str(i))
            ol = order_lines.get(line.order_line_id)
            if ol is None:
                raise NotFound("sales order line", line.order_line_id, (*path, "orderLineId"))
            sku = skus[ol.sku_id]
            stock_rules.require_positive(line.quantity, (*path, "quantity"))
            factor = stock_rules.unit_factor(units[sku.id], line.unit or ol.unit, sku.code, (*path, "unit"))
            qty = stock_rules.to_base(line.quantity, factor)
            rules.check_not_over_shipped(ordered_base(ol), ol.shipped_base, qty, (*path, "quantity"))
            # Picked line by line from what the lines before left (a second line of a SKU included).
            for p, from_own in await _picks_for_line(
                picking, ol, sku, qty, line.batch_id, business_time.business_date(shipped_at), path
            ):
                picking.take(ol.id, p.quant_id, p.quantity, from_own)
                requests.append(
                    MoveRequest(
                        sku.id,
                        p.batch_id,
                        locations[p.location_id],
                        customer_location,
                        p.quantity,
                        reserved_release=from_own,
                        path=path,
                    )
                )
                request_lines.append(ol)
            ol.shipped_base += qty
        moves = await apply_moves(
            requests,
            "shipment",
            shipment.id,
            shipped_at,
            locked=valuations,
            known=picking.as_read(order.warehouse_id),  # the picked quants are not read again (issue 15)
        )
        await bulk_insert.insert_models(
            [
                ShipmentLine(
                    shipment=shipment,
                    order_line=ol,
                    batch_id=m.batch_id,
                    location_id=m.from_location_id,
                    quantity_base=m.quantity,
                    unit_cost=m.unit_cost,
                )
                for m, ol in zip(moves, request_lines, strict=True)
            ]
        )
        recorded = await recorders.record_shipment(
            shipment,
            moves=moves,
            order=order,
            skus=skus,
            sensor_readings=alerts.event_readings(sensor_readings),
            customer=order.customer,
            warehouse=order.warehouse,
        )
        await alerts.raise_for_readings(
            sensor_readings,
            recorded,
            doc_type="shipment",
            doc_id=shipment.id,
            doc_number=shipment.number,
            now=shipped_at,
        )
        for ol in order_lines.values():
            picking.trim(ol)
        await picking.save()
        await bulk.update_rows(
            SalesOrderLine,
            "id",
            ("shipped_base",),
            [
                (ol.id, (ol.shipped_base,))
                for ol in order_lines.values()
                if ol.shipped_base != shipped_before[ol.id]
            ],
        )
        status = rules.status_after_shipment(
            [(ordered_base(ol), ol.shipped_base) for ol in order_lines.values()]
        )
        if status != order.status:  # a later partial shipment leaves it as it was: no statement (issue 15)
            order.status = status
            await order.save(update_fields=["status"])
        await finance.book_shipment(
            shipment.id,
            moves,
            posted_at=shipped_at,
            customer_id=order.customer_id,
            held=finance.Held(
                locations=[customer_location, *locations.values()], valuations=valuations, skus=skus
            ),
        )
        return Posted("shipment", shipment.id, shipment.number)

    return await posting("shipment_post", key, body, batched=True)
