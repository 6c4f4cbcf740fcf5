"""Production orders: plan from the active BOM, release (with substitutes for short components), close.

Each use case is one idempotent posting (``posting``). Release checks, for the quantity still to make, that
every component is allocatable in the order's warehouse; a short component needs a substitute, which must be
eligible in the engine's ranking (``candidates.rank_for``): the choice is recorded on the order's component
with its ratio, score and explanation, and from then on the order consumes (and costs) the substitute.
Completions live in ``completion``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.catalog.models import Sku
from domain.common import business_time
from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, InsufficientStock, NotFound, Shortage, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.inventory.models import Warehouse
from domain.production import candidates, rules, scoring
from domain.production.models import Bom, BomLine, ProductionOrder, ProductionOrderComponent

Status = rules.OrderStatus


@dataclass(frozen=True)
class Substitution:
    bom_line_id: int
    sku_code: str  # the substitute chosen


async def production_order_plan(
    sku_code: str,
    warehouse_code: str,
    quantity: Decimal,
    planned_date: date,
    now: datetime,
    note: str = "",
    key: str | None = None,
) -> Posted:
    """A planned order for ``quantity`` good units of the SKU from its active BOM, one component per line."""

    async def body() -> Posted:
        if quantity <= 0:
            raise ValidationError("the planned quantity must be positive", ("quantity",))
        sku = await Sku.get_or_none(code=sku_code)
        bom = await Bom.get_or_none(sku_id=sku.id, active=True) if sku else None
        if sku is None or bom is None:
            raise NotFound("BOM of SKU", sku_code, ("skuCode",))
        wh = await Warehouse.get_or_none(code=warehouse_code)
        if wh is None:
            raise NotFound("warehouse", warehouse_code, ("warehouseCode",))
        order = await ProductionOrder.create(
            bom_id=bom.id,
            sku_id=sku.id,
            warehouse_id=wh.id,
            planned_quantity=quantity,
            planned_date=planned_date,
            note=note,
            created_at=now,
        )
        order.number = document_number("MO", order.id)
        await order.save(update_fields=["number"])
        lines = await BomLine.filter(bom_id=bom.id, kind="component").order_by("id")
        await ProductionOrderComponent.bulk_create(
            [ProductionOrderComponent(order_id=order.id, bom_line_id=ln.id, sku_id=ln.sku_id) for ln in lines]
        )
        return Posted("production_order", order.id, order.number)

    return await posting("production_order_plan", key, body)


async def locked_order(order_id: int, path: tuple[str, ...] = ("orderId",)) -> ProductionOrder:
    """The order, locked on PostgreSQL (``SELECT … FOR UPDATE``) so its postings serialise."""
    query = ProductionOrder.filter(id=order_id)
    order = await (query.select_for_update() if is_postgres() else query).first()
    if order is None:
        raise NotFound("production order", order_id, path)
    return order


async def remaining_need(order: ProductionOrder, line: BomLine) -> Decimal:
    """What the line consumes for the good units still to make (at the BOM's yield)."""
    bom = await Bom.get(id=order.bom_id)
    left = max(Decimal(order.planned_quantity) - Decimal(order.completed_quantity), rules.ZERO)
    started = rules.started_for(left, Decimal(bom.yield_rate))
    return rules.line_requirement(
        rules.Component("", Decimal(line.quantity), Decimal(line.scrap_rate)), started
    )


async def production_order_release(
    order_id: int, substitutions: Sequence[Substitution], now: datetime, key: str | None = None
) -> Posted:
    """Releases a planned order. Raises ``InsufficientStock`` (one shortage per short component, path
    ``substitutions``) when a component is short and no substitute was chosen for it, ``ValidationError``
    when a chosen substitute is not an eligible candidate (the message carries its explanation)."""

    async def body() -> Posted:
        order = await locked_order(order_id)
        if order.status != Status.PLANNED:
            raise Conflict(
                f"order {order.number} is {order.status}, only a planned order is released", ("orderId",)
            )
        today = business_time.business_date(now)
        comps = await ProductionOrderComponent.filter(order_id=order.id).order_by("id")
        lines = {ln.id: ln for ln in await BomLine.filter(id__in=[c.bom_line_id for c in comps])}
        chosen = {s.bom_line_id: s for s in substitutions}
        unknown = set(chosen) - set(lines)
        if unknown:
            raise NotFound("BOM line of the order", min(unknown), ("substitutions",))
        stock = await candidates.available([c.sku_id for c in comps], order.warehouse_id, today)
        codes = {s.id: s.code for s in await Sku.filter(id__in=[c.sku_id for c in comps])}
        shortages: list[Shortage] = []
        for comp in comps:
            line = lines[comp.bom_line_id]
            need = await remaining_need(order, line)
            sub = chosen.get(line.id)
            if sub is None:
                if stock[comp.sku_id] < need:
                    shortages.append(Shortage(codes[comp.sku_id], need, stock[comp.sku_id]))
                continue
            ranked = await candidates.rank_for(order, line, need, today)
            pick = next((r for r in ranked if r.sku_code == sub.sku_code), None)
            path = ("substitutions", str(list(chosen).index(line.id)), "skuCode")
            if pick is None:
                raise ValidationError(
                    f"{sub.sku_code} is no substitute candidate of {codes[comp.sku_id]}", path
                )
            if not pick.eligible:
                raise ValidationError(
                    f"{sub.sku_code} is not an eligible substitute: {'; '.join(pick.explanation)}", path
                )
            await _record(comp, pick)
        if shortages:
            raise InsufficientStock(shortages, ("substitutions",))
        order.status = Status.RELEASED
        order.released_at = now
        await order.save(update_fields=["status", "released_at"])
        return Posted("production_order", order.id, order.number or "")

    return await posting("production_order_release", key, body)


async def _record(comp: ProductionOrderComponent, pick: scoring.Scored) -> None:
    sku = await Sku.get(code=pick.sku_code)
    comp.substitute_for_sku_id = comp.sku_id
    comp.sku_id = sku.id
    comp.ratio = pick.ratio
    comp.score = pick.score
    comp.explanation = list(pick.explanation)
    await comp.save()


async def production_order_close(order_id: int, now: datetime, key: str | None = None) -> Posted:
    """Closes a released or producing order: no more completions; what was not made stays unmade (the
    order keeps its planned and completed quantities for the variance report)."""

    async def body() -> Posted:
        order = await locked_order(order_id)
        if order.status not in rules.PRODUCING:
            raise Conflict(
                f"order {order.number} is {order.status}, only a released order is closed", ("orderId",)
            )
        order.status = Status.CLOSED
        order.closed_at = now
        await order.save(update_fields=["status", "closed_at"])
        return Posted("production_order", order.id, order.number or "")

    return await posting("production_order_close", key, body)


async def substitute_candidates(order_id: int, bom_line_id: int, now: datetime) -> list[scoring.Scored]:
    """The ranked candidates for one component of an order, for what is left to make."""
    order = await ProductionOrder.get_or_none(id=order_id)
    if order is None:
        raise NotFound("production order", order_id, ("orderId",))
    line = await BomLine.get_or_none(id=bom_line_id, bom_id=order.bom_id, kind="component")
    if line is None:
        raise NotFound("BOM line of the order", bom_line_id, ("bomLineId",))
    need = await remaining_need(order, line)
    return await candidates.rank_for(order, line, need, business_time.business_date(now))
