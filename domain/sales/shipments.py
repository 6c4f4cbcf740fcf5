"""Shipments: FEFO picking against a sales order, reserved stock first."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from domain.catalog.models import Sku
from domain.catalog.order_lines import order_lines as order_lines_of
from domain.common import bulk, business_time
from domain.common.errors import InsufficientStock, NotFound, Shortage, ValidationError
from domain.common.services import Posted, posting
from domain.finance import postings as finance
from domain.inventory import rules as stock_rules
from domain.inventory.ledger import KnownQuant, MoveRequest, QuantKey, apply_moves, lock_skus
from domain.inventory.models import Batch, Reservation, StockQuant
from domain.inventory.reservations import PickableQuant, pickable_quants
from domain.inventory.services import virtual_and
from domain.quality import alerts
from domain.quality import rules as quality_rules
from domain.sales import rules
from domain.sales.models import SalesOrderLine, Shipment, ShipmentLine
from domain.sales.services import LINE, locked_order, ordered_base
from domain.trace import recorders


@dataclass(frozen=True)
class ShipmentLineInput:
    order_line_id: int
    quantity: Decimal
    unit: str | None = None  # None: the order line's unit
    batch_id: int | None = None  # None: reserved stock first, then FEFO


@dataclass
class _Held:
    """A reservation of an order line, as the shipment keeps it."""

    id: int
    quant_id: int
    quantity: Decimal


@dataclass
class _Picking:
    """What a shipment's lines pick from, read once: the warehouse's pickable stock of the order's SKUs and
    the order's reservations. Kept current as lines are picked, so each line sees what the lines before it
    left, exactly as when the lines were posted to the database one by one."""

    quants: dict[int, PickableQuant]  # pickable when read
    quantity: dict[int, Decimal]  # quant id -> on hand now
    reserved: dict[int, Decimal]  # quant id -> reserved now
    held: dict[int, list[_Held]]  # order line id -> its live reservations, quantities kept current
    deleted: list[int] = field(default_factory=list)  # reservation ids
    changed: set[int] = field(default_factory=set)  # reservation ids whose quantity changed
    released: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))  # by trimming

    @classmethod
    async def load(cls, order_line_ids: list[int], sku_ids: list[int], warehouse_id: int) -> "_Picking":
        quants = {q.id: q for q in await pickable_quants(sku_ids, warehouse_id)}
        held: dict[int, list[_Held]] = defaultdict(list)
        for rid, line_id, quant_id, qty in (
            await Reservation.filter(doc_type=LINE, doc_line_id__in=order_line_ids)
            .order_by("id")
            .values_list("id", "doc_line_id", "quant_id", "quantity")
        ):
            held[line_id].append(_Held(rid, quant_id, Decimal(qty)))
        return cls(
            quants,
            {i: q.quantity for i, q in quants.items()},
            {i: q.reserved for i, q in quants.items()},
            held,
        )

    def as_read(self, warehouse_id: int) -> dict[QuantKey, KnownQuant]:
        """The quants as read (before this shipment's picks), for ``apply_moves``."""
        return {
            (q.sku_id, q.location_id, q.batch_id, q.status): (q.id, warehouse_id, q.quantity, q.reserved)
            for q in self.quants.values()
        }

    def own(self, line_id: int) -> dict[int, _Held]:
        return {r.quant_id: r for r in self.held.get(line_id, [])}

    def candidates(
        self, sku_id: int, batch_id: int | None, own: dict[int, _Held]
    ) -> list[stock_rules.QuantCandidate]:
        # Own reservations count as free for this line (they are part of the quant's reserved).
        return [
            q.candidate(self.quantity[i], self.reserved[i] - (own[i].quantity if i in own else 0))
            for i, q in self.quants.items()
            if q.sku_id == sku_id and (not batch_id or q.batch_id == batch_id) and self.quantity[i] > 0
        ]

    def take(self, line_id: int, quant_id: int, quantity: Decimal, from_own: Decimal) -> None:
        self.quantity[quant_id] -= quantity
        self.reserved[quant_id] -= from_own
        if from_own > 0:
            self._shrink(line_id, self.own(line_id)[quant_id], from_own)

    def trim(self, ol: SalesOrderLine) -> None:
        """A line never holds more than it still has to ship (a named batch may have bypassed its
        reservation): the newest reservations give way first."""
        open_qty = max(ordered_base(ol) - ol.shipped_base, Decimal(0))
        held = self.held.get(ol.id, [])
        excess = sum((r.quantity for r in held), Decimal(0)) - open_qty
        for r in sorted(held, key=lambda r: r.id, reverse=True):
            if excess <= 0:
                break
            take = min(r.quantity, excess)
            self.released[r.quant_id] += take
            self._shrink(ol.id, r, take)
            excess -= take

    def _shrink(self, line_id: int, r: _Held, amount: Decimal) -> None:
        if r.quantity <= amount:
            self.held[line_id].remove(r)
            self.deleted.append(r.id)
            self.changed.discard(r.id)
        else:
            r.quantity -= amount
            self.changed.add(r.id)

    async def save(self) -> None:
        if self.deleted:
            await Reservation.filter(id__in=self.deleted).delete()
        live = {r.id: r for rs in self.held.values() for r in rs}
        await bulk.update_rows(
            Reservation, "id", ("quantity",), [(i, (live[i].quantity,)) for i in sorted(self.changed)]
        )
        await bulk.update_rows(
            StockQuant,
            "id",
            ("reserved",),
            [(i, (-amount,)) for i, amount in sorted(self.released.items()) if amount],
            add=True,
        )


async def _picks_for_line(
    picking: _Picking,
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
    if shortfall > 0:
        raise InsufficientStock([Shortage(sku.code, qty, qty - shortfall)], (*path, "quantity"))
    return [
        (p, min(p.quantity, own[p.quant_id].quantity) if p.quant_id in own else Decimal(0))
        for p in picks + more
    ]


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
        order_lines, skus, units = await order_lines_of(SalesOrderLine, order.id)
        valuations = await lock_skus(skus)
        shipment = Shipment(
            order=order, warehouse_id=order.warehouse_id, shipped_at=shipped_at, posted_by_id=posted_by_id
        )
        shipment.number = await bulk.insert_document(shipment, "SH")  # one statement (issue 15)
        customer_location, found = await virtual_and(
            stock_rules.LocationKind.CUSTOMER, warehouse_id=order.warehouse_id
        )
        locations = {loc.id: loc for loc in found}
        shipped_skus = [
            order_lines[ln.order_line_id].sku_id for ln in lines if ln.order_line_id in order_lines
        ]
        picking = await _Picking.load(list(order_lines), sorted(set(shipped_skus)), order.warehouse_id)
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
        await bulk.insert_models(
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

    return await posting("shipment_post", key, body)
