"""Reporting a completion of a production order: one idempotent posting that

1. consumes each component (the BOM line's SKU or the substitute chosen at release) for the units started
   (good + scrap) — FEFO over the warehouse, or FEFO within the lots named for it — through the ledger into
   ``VIRTUAL/PRODUCTION`` (stock never negative: ``apply_moves`` refuses and the whole posting rolls back);
2. makes the output lot (and one lot per by-product) with dates from the output SKU's shelf life and the
   shortest-lived consumed lot (``rules.output_dates``), valued at materials + labour + overhead;
3. books the entry through WIP (``books``), records one EPCIS TransformationEvent (hash-chained, anchored
   through the outbox) with lineage from every output lot to every consumed lot, and opens a quality check
   for a high-risk output.

Partial completions accumulate on the order until it is closed. Quantities in base units; money in cents.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.catalog.models import Sku
from domain.common import business_time
from domain.common.errors import Conflict, InsufficientStock, NotFound, Shortage, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.finance.postings import booked_by_sku
from domain.inventory import reservations
from domain.inventory import rules as stock_rules
from domain.inventory.ledger import MoveRequest, apply_moves, lock_skus
from domain.inventory.models import Batch, Location
from domain.inventory.services import ensure_valuation
from domain.production import books, rules, tracing
from domain.production.models import (
    Bom,
    BomLine,
    ProductionCompletion,
    ProductionOrderComponent,
    RoutingOperation,
)
from domain.production.orders import locked_order
from domain.trace.transformation import production_location

Status = stock_rules.StockStatus
LOT_CODE_MAX = 64  # Batch.lot_code


@dataclass(frozen=True)
class NamedLots:
    """Consume a component only from these lots (FEFO among them)."""

    bom_line_id: int
    batch_ids: tuple[int, ...]


def operations_of(rows: Sequence[RoutingOperation]) -> list[rules.Operation]:
    return [
        rules.Operation(
            op.code,
            op.work_centre,
            Decimal(op.setup_minutes),
            Decimal(op.minutes_per_unit),
            Decimal(op.labour_rate),
            Decimal(op.overhead_rate),
            frozenset(op.equipment),
        )
        for op in rows
    ]


def _check(good: Decimal, scrap: Decimal, lot_code: str) -> None:
    if good <= 0:
        raise ValidationError("the good quantity must be positive", ("goodQuantity",))
    if scrap < 0:
        raise ValidationError("the scrap quantity is zero or more", ("scrapQuantity",))
    if not lot_code.strip():
        raise ValidationError("the output needs a lot code", ("lotCode",))


async def production_order_complete(
    order_id: int,
    good_quantity: Decimal,
    lot_code: str,
    location_code: str,
    posted_at: datetime,
    scrap_quantity: Decimal = Decimal(0),
    named_lots: Sequence[NamedLots] = (),
    key: str | None = None,
) -> Posted:
    """Posts one completion (see the module docstring). Raises ``InsufficientStock`` (path ``goodQuantity``)
    when a component cannot be picked in full, ``Conflict`` for an order not released or an output lot that
    exists, ``NotFound`` for an unknown order, location or named line, ``ValidationError`` for bad figures."""

    async def body() -> Posted:
        _check(good_quantity, scrap_quantity, lot_code)
        order = await locked_order(order_id)
        if order.status not in rules.PRODUCING:
            raise Conflict(
                f"order {order.number} is {order.status}: release it before completing", ("orderId",)
            )
        location = await Location.get_or_none(code=location_code, warehouse_id=order.warehouse_id)
        if location is None or location.kind != stock_rules.LocationKind.INTERNAL:
            raise NotFound("location of the order's warehouse", location_code, ("locationCode",))
        bom = await Bom.get(id=order.bom_id)
        comps = await ProductionOrderComponent.filter(order_id=order.id).order_by("id")
        lines = {ln.id: ln for ln in await BomLine.filter(bom_id=bom.id)}
        by_products = [ln for ln in lines.values() if ln.kind == "by_product"]
        named = {n.bom_line_id: list(n.batch_ids) for n in named_lots}
        if unknown := set(named) - {c.bom_line_id for c in comps}:
            raise NotFound("component line of the order", min(unknown), ("namedLots",))
        out_sku = await Sku.get(id=order.sku_id)
        bp_skus = {s.id: s for s in await Sku.filter(id__in=[ln.sku_id for ln in by_products])}
        comp_ids = {c.sku_id for c in comps}
        if comp_ids & ({out_sku.id} | set(bp_skus)):
            raise ValidationError("an output or by-product SKU is also consumed by the order", ("orderId",))
        for sku_id in {out_sku.id} | set(bp_skus):
            await ensure_valuation(sku_id)
        await lock_skus(comp_ids | {out_sku.id} | set(bp_skus))
        started = good_quantity + scrap_quantity
        today = business_time.business_date(posted_at)
        moves, shortages = await _picks(order.warehouse_id, comps, lines, named, started, today)
        if shortages:
            raise InsufficientStock(shortages, ("goodQuantity",))
        in_batches = {b.id: b for b in await Batch.filter(id__in={m[1] for m in moves})}
        codes = [(out_sku, lot_code, good_quantity, None)] + [
            (bp_skus[ln.sku_id], f"{lot_code}-BP{i + 1}", rules.round_up(Decimal(ln.quantity) * started), ln)
            for i, ln in enumerate(by_products)
        ]
        outputs: list[tuple[Batch, Decimal, BomLine | None]] = []
        for i, (sku, code, qty, ln) in enumerate(codes):
            if len(code) > LOT_CODE_MAX:
                raise ValidationError(
                    f"lot code {code} is longer than {LOT_CODE_MAX} characters (by-products add -BPn)",
                    ("lotCode",),
                )
            if await Batch.exists(sku_id=sku.id, lot_code=code):
                raise Conflict(
                    f"lot {code} of {sku.code} already exists", ("lotCode",) if i == 0 else ("orderId",)
                )
            expiry, best = rules.output_dates(
                today,
                sku.shelf_life_days,
                sku.best_before_days,
                [b.expiry_date for b in in_batches.values()],
                [b.best_before_date for b in in_batches.values()],
            )
            batch = await Batch.create(
                sku_id=sku.id,
                lot_code=code,
                production_date=today,
                expiry_date=expiry,
                best_before_date=best,
                status=Status.QUARANTINE if sku.high_risk else Status.AVAILABLE,
            )
            outputs.append((batch, qty, ln))
        done = await ProductionCompletion.create(
            order_id=order.id,
            good_quantity=good_quantity,
            scrap_quantity=scrap_quantity,
            material_cost=0,
            labour_cost=0,
            overhead_cost=0,
            output_batch_id=outputs[0][0].id,
            posted_at=posted_at,
        )
        done.number = document_number("PC", done.id)
        production = await production_location()
        locs = {loc.id: loc for loc in await Location.filter(id__in={m[2] for m in moves})}
        consumed = await apply_moves(
            [
                MoveRequest(sku_id, batch_id, locs[loc_id], production, qty, path=("goodQuantity",))
                for sku_id, batch_id, loc_id, qty in moves
            ],
            books.DOC_TYPE,
            done.id,
            posted_at,
        )
        consumed_booked = await booked_by_sku(consumed)
        first = not await ProductionCompletion.filter(order_id=order.id).exclude(id=done.id).exists()
        conversion = rules.conversion_cost(
            operations_of(await RoutingOperation.filter(bom_id=bom.id).order_by("seq")), started, first
        )
        try:
            costing = rules.cost_completion(
                -sum(consumed_booked.values(), Decimal(0)),
                conversion,
                [qty * Decimal(ln.unit_value) for _, qty, ln in outputs[1:] if ln is not None],
            )
        except ValueError as exc:
            raise ValidationError(str(exc), ("orderId",)) from None
        produced = await apply_moves(
            [
                MoveRequest(
                    batch.sku_id,
                    batch.id,
                    production,
                    location,
                    qty,
                    to_status=batch.status,
                    value=value,
                    path=("lotCode",),
                )
                for (batch, qty, _), value in zip(
                    outputs, (costing.output, *costing.by_products), strict=True
                )
            ],
            books.DOC_TYPE,
            done.id,
            posted_at,
        )
        await books.book_completion(
            done.id,
            consumed_booked,
            produced,
            costing.labour,
            costing.overhead,
            posted_at,
            f"{order.number} {done.number}",
        )
        done.material_cost, done.labour_cost, done.overhead_cost = (
            costing.materials,
            costing.labour,
            costing.overhead,
        )
        await done.save()
        await tracing.update_order(
            order, comps, consumed, consumed_booked, good_quantity, scrap_quantity, costing
        )
        await tracing.record_completion(
            order.number or "", done, consumed, outputs, comps, in_batches, posted_at, order.warehouse_id
        )
        return Posted(books.DOC_TYPE, done.id, done.number)

    return await posting("production_order_complete", key, body)


async def _picks(
    warehouse_id: int,
    comps: Sequence[ProductionOrderComponent],
    lines: dict[int, BomLine],
    named: dict[int, list[int]],
    started: Decimal,
    today: date,
) -> tuple[list[tuple[int, int, int, Decimal]], list[Shortage]]:
    """(SKU, batch, location, quantity) to consume per component, FEFO; and what is short."""
    moves: list[tuple[int, int, int, Decimal]] = []
    shortages: list[Shortage] = []
    for comp in comps:
        line = lines[comp.bom_line_id]
        per_unit = Decimal(line.quantity) * Decimal(comp.ratio)
        need = rules.line_requirement(rules.Component("", per_unit, Decimal(line.scrap_rate)), started)
        found = await reservations.candidates(comp.sku_id, warehouse_id, named.get(comp.bom_line_id))
        picks, short = stock_rules.pick_fefo(found, need, today)
        if short > 0:
            sku = await Sku.get(id=comp.sku_id)
            shortages.append(Shortage(sku.code, need, need - short))
        moves += [(comp.sku_id, p.batch_id, p.location_id, p.quantity) for p in picks]
    return moves, shortages
