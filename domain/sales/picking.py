"""What a shipment picks from: the pickable stock of the order's SKUs and the order's reservations, read once
and kept current as the shipment's lines are picked (``shipments``)."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain.common import bulk
from domain.common.dialect import is_postgres
from domain.inventory import fefo_prefix
from domain.inventory import rules as stock_rules
from domain.inventory.ledger import KnownQuant, QuantKey
from domain.inventory.models import Reservation, StockQuant
from domain.inventory.reservations import PickableQuant, line_reservations, pickable_quants
from domain.sales.models import SalesOrderLine
from domain.sales.services import LINE, ordered_base


@dataclass
class HeldReservation:
    """A reservation of an order line, as the shipment keeps it."""

    id: int
    quant_id: int
    quantity: Decimal


@dataclass
class Picking:
    """What a shipment's lines pick from, read once: the warehouse's pickable stock of the order's SKUs and
    the order's reservations. Kept current as lines are picked, so each line sees what the lines before it
    left, exactly as when the lines were posted to the database one by one."""

    quants: dict[int, PickableQuant]  # pickable when read
    quantity: dict[int, Decimal]  # quant id -> on hand now
    reserved: dict[int, Decimal]  # quant id -> reserved now
    held: dict[int, list[HeldReservation]]  # order line id -> its live reservations, quantities kept current
    warehouse_id: int = 0
    # SKU id -> the FEFO key of the last row read, for SKUs read only as far as FEFO needed (fefo_prefix).
    reach: dict[int, stock_rules.FefoKey] = field(default_factory=dict)
    deleted: list[int] = field(default_factory=list)  # reservation ids
    changed: set[int] = field(default_factory=set)  # reservation ids whose quantity changed
    released: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))  # by trimming

    @classmethod
    async def load(
        cls,
        order_line_ids: list[int],
        sku_ids: list[int],
        warehouse_id: int,
        needs: Mapping[int, Decimal] | None = None,
        today: date | None = None,
        named_batch_ids: list[int] | None = None,
    ) -> "Picking":
        """The order lines' reservations and the pickable stock of ``sku_ids``: all of it, or on PostgreSQL
        with ``needs`` (SKU id -> base quantity to ship) and ``today`` (the business day) only as far as
        FEFO reaches (``fefo_prefix``); ``complete`` reads the rest of a SKU when a pick falls short."""
        held: dict[int, list[HeldReservation]] = defaultdict(list)
        for rid, line_id, quant_id, qty in await line_reservations(LINE, order_line_ids):
            held[line_id].append(HeldReservation(rid, quant_id, qty))
        reach: dict[int, stock_rules.FefoKey] = {}
        if needs is not None and today is not None and is_postgres():
            own = sorted({r.quant_id for rs in held.values() for r in rs})
            prefix = await fefo_prefix.pickable_prefix(needs, warehouse_id, today, own, named_batch_ids or [])
            found, reach = prefix.quants, prefix.reach
        else:
            found = await pickable_quants(sku_ids, warehouse_id)
        quants = {q.id: q for q in found}
        return cls(
            quants,
            {i: q.quantity for i, q in quants.items()},
            {i: q.reserved for i, q in quants.items()},
            held,
            warehouse_id,
            reach,
        )

    async def complete(self, sku_id: int) -> bool:
        """Reads the rest of ``sku_id``'s pickable stock when only a prefix was read (True); quants already
        held keep the figures this shipment's picks left. False when nothing more can be read."""
        if self.reach.pop(sku_id, None) is None:
            return False
        for q in await pickable_quants([sku_id], self.warehouse_id):
            if q.id not in self.quants:
                self.quants[q.id] = q
                self.quantity[q.id] = q.quantity
                self.reserved[q.id] = q.reserved
        return True

    def past_reach(self, sku_id: int, picks: list[stock_rules.Pick]) -> bool:
        """Whether ``picks`` of ``sku_id``'s free stock take a quant sorting after the last one FEFO's reach
        read: an unread quant could come first (``complete``)."""
        reach = self.reach.get(sku_id)
        if reach is None:
            return False
        quants = [self.quants[p.quant_id] for p in picks]
        return any(stock_rules.fefo_key(q.candidate(q.quantity, q.reserved)) > reach for q in quants)

    def as_read(self, warehouse_id: int) -> dict[QuantKey, KnownQuant]:
        """The quants as read (before this shipment's picks), for ``apply_moves``."""
        return {
            (q.sku_id, q.location_id, q.batch_id, q.status): (q.id, warehouse_id, q.quantity, q.reserved)
            for q in self.quants.values()
        }

    def own(self, line_id: int) -> dict[int, HeldReservation]:
        return {r.quant_id: r for r in self.held.get(line_id, [])}

    def candidates(
        self, sku_id: int, batch_id: int | None, own: dict[int, HeldReservation]
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

    def _shrink(self, line_id: int, r: HeldReservation, amount: Decimal) -> None:
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
