"""Waves: confirmed orders grouped to be picked in one walk, then shipped order by order.

A wave makes one pick task per order (each announced to the handhelds like any task); the picker walks
the wave's stops in bin path order (``walk.stops``) and confirms a stop's whole quantity with one scan, which
confirms each of its lines through ``tasks.pick_confirm`` (the same edge rules, zones included). Each order's
shipment posts when its own task is picked; the wave is posted when all of them are.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.devices import scans, tasks, walk
from domain.devices.models import Device, PickLine, PickTask, PickWave
from domain.inventory.models import Batch, Location
from domain.sales.models import SalesOrder
from domain.sales.services import locked_order

MAX_ORDERS = 200
MAX_STOP_LINES = 500


async def wave_create(
    order_ids: list[int], now: datetime, assignee: str | None = None, zone: str = "", key: str | None = None
) -> Posted:
    """A wave of confirmed orders of one warehouse (1..200, each once), a pick task per order.

    Orders are locked in id order (no deadlock with another wave). Raises ``ValidationError`` (no orders,
    an order twice, orders of several warehouses), ``NotFound`` (an order, the assignee), ``Conflict`` (an
    order not confirmed or already being picked)."""

    async def body() -> Posted:
        if not 1 <= len(order_ids) <= MAX_ORDERS:
            raise ValidationError(f"a wave has 1 to {MAX_ORDERS} orders", ("salesOrderIds",))
        if len(set(order_ids)) != len(order_ids):
            raise ValidationError("an order is named twice", ("salesOrderIds",))
        user_id = await tasks.assignee_id(assignee)
        orders = [await locked_order(i) for i in sorted(order_ids)]
        if len({o.warehouse_id for o in orders}) > 1:
            raise ValidationError("a wave's orders ship from one warehouse", ("salesOrderIds",))
        wave = await PickWave.create(warehouse_id=orders[0].warehouse_id, created_at=now)
        wave.number = document_number("PW", wave.id)
        await wave.save(update_fields=["number"])
        for order in orders:
            await tasks.task_for(order, user_id, zone, now, wave.id)
        return Posted("pick_wave", wave.id, wave.number)

    return await posting("pick_wave_create", key, body)


async def wave_lines(wave_id: int) -> list[walk.WaveLine]:
    """The wave's open pick lines with their bins, SKUs and suggested lots (four queries)."""
    task_orders = dict(await PickTask.filter(wave_id=wave_id).values_list("id", "order_id"))
    lines = await PickLine.filter(task_id__in=list(task_orders), status="open").order_by("id")
    bins = {loc.id: loc for loc in await Location.filter(id__in={ln.location_id for ln in lines})}
    batches = {
        b.id: b for b in await Batch.filter(id__in={ln.batch_id for ln in lines}).prefetch_related("sku")
    }
    return [
        walk.WaveLine(
            ln.id,
            task_orders[ln.task_id],
            bins[ln.location_id].code,
            bins[ln.location_id].path,
            batches[ln.batch_id].sku.code,
            batches[ln.batch_id].lot_code,
            Decimal(ln.quantity),
        )
        for ln in lines
    ]


async def wave_pick(device: Device, p: dict[str, Any], at: datetime, *, zones: tuple[str, ...]) -> None:
    """A device's ``wave_pick`` operation: the whole stop ``lineIds`` of wave ``waveId`` taken from
    ``binCode`` as lot ``lotCode`` (``reason`` if not the suggested lot), ``quantity`` = the stop's sum
    (a short pick goes line by line). Raises ``NotFound``, ``Conflict`` (picked already, reassigned),
    ``ValidationError`` and the edge rules' refusals."""
    wave = await PickWave.get_or_none(id=scans.integer(p.get("waveId") or 0, "waveId"))
    if wave is None or wave.warehouse_id != device.warehouse_id:
        raise NotFound("pick wave", p.get("waveId"), ("waveId",))
    raw = p.get("lineIds")
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_STOP_LINES:
        raise ValidationError(f"a stop names 1 to {MAX_STOP_LINES} pick lines", ("lineIds",))
    ids = {scans.integer(i, "lineIds") for i in raw}
    lines = await PickLine.filter(id__in=ids, task__wave_id=wave.id).order_by("id")
    if len(lines) != len(ids):
        raise NotFound("pick line", sorted(ids - {ln.id for ln in lines}), ("lineIds",))
    open_ = [ln for ln in lines if ln.status == "open"]
    if not open_:
        raise Conflict("this stop is already picked", ("lineIds",))
    tasks_of = {t.id: t for t in await PickTask.filter(id__in={ln.task_id for ln in open_})}
    for t in tasks_of.values():
        if t.assignee_id is not None and t.assignee_id != device.user_id:
            raise Conflict(f"task {t.id} was reassigned to another picker", ("lineIds",))
    whole = sum((Decimal(ln.quantity) for ln in open_), Decimal(0))
    quantity = scans.decimal(p.get("quantity"), "quantity")
    if quantity != whole:
        raise ValidationError(
            f"the stop holds {whole} still to pick: take it whole, or pick line by line", ("quantity",)
        )
    orders = {t.id: t.order_id for t in tasks_of.values()}
    for ln in sorted(open_, key=lambda ln: (orders[ln.task_id], ln.id)):
        await tasks.pick_confirm(
            tasks.PickConfirm(
                ln.id,
                str(p.get("binCode", "")),
                str(p.get("lotCode", "")),
                Decimal(ln.quantity),
                str(p.get("reason", "")),
                zones,
            ),
            at,
        )


async def order_numbers(wave_id: int) -> list[str]:
    """The wave's order numbers, in order id order."""
    ids = [t.order_id for t in await PickTask.filter(wave_id=wave_id).order_by("order_id")]
    return [
        str(n) for n in await SalesOrder.filter(id__in=ids).order_by("id").values_list("number", flat=True)
    ]
