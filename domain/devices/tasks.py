"""Pick tasks: a confirmed sales order becomes lines to pick (its FEFO reservations: lot, bin, quantity), a
picker confirms each line by scans, and the shipment posts from what was confirmed.

A new task is announced with PostgreSQL ``NOTIFY`` inside the transaction that creates it, so a listener
hears it exactly when it commits (``api/devices/dispatch.py`` fans it out to subscribed handhelds).
"""

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, posting
from domain.devices import errors, rules
from domain.devices.models import PickLine, PickTask, PickWave
from domain.inventory import rules as stock_rules
from domain.inventory.models import Batch, Location, Reservation, StockQuant
from domain.partners.models import User
from domain.sales import shipments
from domain.sales.models import SalesOrder, SalesOrderLine
from domain.sales.services import LINE, locked_order

CHANNEL = "lotline_pick_tasks"


NOTIFY_MAX = 7900  # PostgreSQL refuses a NOTIFY payload of 8000 bytes or more


async def announce(
    task: PickTask, view: dict[str, Any] | None = None, paths: list[str] | None = None
) -> None:
    """``NOTIFY`` in the caller's transaction: delivered to listeners when (and only if) it commits.

    ``view`` (the task as devices see it, ``task_view``) rides along when it fits, so the listener
    hands it to subscribers with no query between the commit and the devices. ``paths``: the task's bin
    paths, so a picker bound to zones is sent only tasks with something to pick there."""
    if is_postgres():
        body: dict[str, Any] = {
            "taskId": task.id,
            "warehouseId": task.warehouse_id,
            "assigneeId": task.assignee_id,
            "paths": (paths or [])[:50],
        }
        payload = json.dumps({**body, "view": view}, separators=(",", ":"))
        if view is None or len(payload.encode()) > NOTIFY_MAX:
            payload = json.dumps(body)
        await PickTask._meta.db.execute_query("SELECT pg_notify($1, $2)", [CHANNEL, payload])


async def task_view(task: PickTask, lines: list[PickLine]) -> dict[str, Any]:
    """The task as a device renders it: order number, status, zone, lines with SKU, GTIN, lot, bin and
    quantities as decimal strings (three queries)."""
    batches = {
        b.id: b for b in await Batch.filter(id__in={ln.batch_id for ln in lines}).prefetch_related("sku")
    }
    bins = dict(await Location.filter(id__in={ln.location_id for ln in lines}).values_list("id", "code"))
    number = await SalesOrder.filter(id=task.order_id).values_list("number", flat=True)
    return {
        "id": task.id,
        "orderNumber": number[0] if number else None,
        "status": task.status,
        "zone": task.zone,
        "createdAt": task.created_at.isoformat(),
        "lines": [
            {
                "id": ln.id,
                "orderLineId": ln.order_line_id,
                "skuCode": batches[ln.batch_id].sku.code,
                "gtin": batches[ln.batch_id].sku.gtin,
                "lotCode": batches[ln.batch_id].lot_code,
                "binCode": str(bins[ln.location_id]),
                "quantity": str(ln.quantity),
                "status": ln.status,
            }
            for ln in lines
        ],
    }


async def pick_task_create(
    order_id: int, now: datetime, assignee: str | None = None, zone: str = "", key: str | None = None
) -> Posted:
    """One pick task for a confirmed order: a line per reservation (lot and bin chosen FEFO at confirmation).

    Raises ``Conflict`` (order not confirmed, or already has an open task), ``NotFound`` (assignee),
    ``ValidationError`` (nothing reserved to pick)."""

    async def body() -> Posted:
        order = await locked_order(order_id)
        task = await task_for(order, await assignee_id(assignee), zone, now)
        return Posted("pick_task", task.id, f"PT{task.id:08d}")

    return await posting("pick_task_create", key, body)


async def assignee_id(username: str | None) -> int | None:
    """The active user picking (None: anyone); ``NotFound`` on ``assignee`` otherwise."""
    if username is None:
        return None
    user = await User.get_or_none(username=username, active=True)
    if user is None:
        raise NotFound("user", username, ("assignee",))
    return user.id


async def task_for(
    order: SalesOrder, user_id: int | None, zone: str, now: datetime, wave_id: int | None = None
) -> PickTask:
    """The pick task of a locked, confirmed ``order`` (in the caller's transaction), announced on commit."""
    if order.status not in ("confirmed", "partially_shipped"):
        raise Conflict(
            f"sales order {order.number} is {order.status}: only confirmed orders are picked",
            ("salesOrderId",),
        )
    if await PickTask.exists(order_id=order.id, status="open"):
        raise Conflict(f"sales order {order.number} already has an open pick task", ("salesOrderId",))
    line_ids = [ln.id for ln in await SalesOrderLine.filter(order_id=order.id)]
    held = await Reservation.filter(doc_type=LINE, doc_line_id__in=line_ids).order_by("doc_line_id", "id")
    if not held:
        raise ValidationError(f"sales order {order.number} has nothing reserved to pick", ("salesOrderId",))
    quants = {q.id: q for q in await StockQuant.filter(id__in=[r.quant_id for r in held])}
    task = await PickTask.create(
        order_id=order.id,
        warehouse_id=order.warehouse_id,
        assignee_id=user_id,
        zone=zone,
        wave_id=wave_id,
        created_at=now,
        updated_at=now,
    )
    await PickLine.bulk_create(
        [
            PickLine(
                task_id=task.id,
                order_line_id=r.doc_line_id,
                batch_id=quants[r.quant_id].batch_id,
                location_id=quants[r.quant_id].location_id,
                quantity=r.quantity,
            )
            for r in held
        ]
    )
    if is_postgres():  # only a NOTIFY carries the view; SQLite's poller loads the task itself
        lines = await PickLine.filter(task_id=task.id).order_by("id")
        paths = await Location.filter(id__in={ln.location_id for ln in lines}).values_list("path", flat=True)
        await announce(task, await task_view(task, lines), sorted(str(p) for p in paths))
    return task


@dataclass(frozen=True)
class PickConfirm:
    line_id: int
    bin_code: str
    lot_code: str
    quantity: Decimal  # base units
    reason: str = ""
    zones: tuple[str, ...] = ()  # the picking device's zones (): anywhere in the warehouse


async def pick_confirm(confirm: PickConfirm, now: datetime, key: str | None = None) -> Posted:
    """Confirms one line by its scans; when every line of the task is picked, the shipment posts from them.

    The edge rules decide as on the device: a blocking finding (wrong bin or SKU, expired, quarantined,
    frozen bin) refuses the scan; another lot than suggested needs a reason. Raises ``errors.EdgeRefused`` (a
    ``ValidationError``) with the findings' codes in its message, ``errors.OutOfZone`` (a ``Forbidden``: the
    bin is outside ``confirm.zones``), ``NotFound``, ``Conflict`` (line already picked, task not open)."""

    async def body() -> Posted:
        line = await PickLine.get_or_none(id=confirm.line_id)
        if line is None:
            raise NotFound("pick line", confirm.line_id, ("lineId",))
        task = await PickTask.get(id=line.task_id)
        await locked_order(task.order_id)  # serialises a task's confirmations
        line = await PickLine.get(id=confirm.line_id)
        if task.status != "open" or line.status != "open":
            raise Conflict(f"pick line {line.id} is already {line.status} (task {task.status})", ("lineId",))
        stock_rules.require_positive(confirm.quantity, ("quantity",))
        if confirm.quantity > Decimal(line.quantity):
            raise ValidationError(
                f"picking {confirm.quantity} is more than the line's {line.quantity}", ("quantity",)
            )
        order_line = await SalesOrderLine.get(id=line.order_line_id).prefetch_related("sku")
        suggested = await Batch.get(id=line.batch_id)
        bin_ = await Location.get(id=line.location_id)
        scanned_bin = await Location.get_or_none(code=confirm.bin_code, warehouse_id=task.warehouse_id)
        batch = await Batch.get_or_none(sku_id=order_line.sku_id, lot_code=confirm.lot_code)
        if batch is None:
            raise NotFound("lot", confirm.lot_code, ("lotCode",))
        bin_lots = []
        if scanned_bin is not None:
            bin_lots = [
                b.lot_code
                for b in await Batch.filter(
                    quants__location_id=scanned_bin.id, quants__quantity__gt=0, sku_id=order_line.sku_id
                ).distinct()
            ]
        findings = rules.evaluate(
            rules.Scan(confirm.bin_code, order_line.sku.code, confirm.lot_code, str(confirm.quantity)),
            rules.Context(
                today=now.date(),
                expected_bin=bin_.code if batch.id == suggested.id else None,
                expected_sku=order_line.sku.code,
                expected_lot=suggested.lot_code,
                batch_status=batch.status,
                expiry_date=batch.expiry_date,
                best_before_date=batch.best_before_date,
                bin_frozen=bool(scanned_bin and scanned_bin.frozen),
                bin_lots=tuple(bin_lots),
                zones=confirm.zones,
                bin_path=scanned_bin.path if scanned_bin else None,
            ),
        )
        if scanned_bin is None:
            raise NotFound("bin", confirm.bin_code, ("binCode",))
        errors.refuse(findings)
        if batch.id != suggested.id and not confirm.reason.strip():
            raise ValidationError("another lot than suggested needs a reason", ("reason",))
        line.status = "picked"
        line.picked_quantity = confirm.quantity
        line.picked_batch_id = batch.id
        line.reason = confirm.reason[:200]
        await line.save(update_fields=["status", "picked_quantity", "picked_batch_id", "reason"])
        task.updated_at = now
        if not await PickLine.filter(task_id=task.id, status="open").exists():
            await _post_from_picks(task, now)
        await task.save(update_fields=["status", "updated_at"])
        wave = PickTask.filter(wave_id=task.wave_id).exclude(status="posted")
        if task.wave_id is not None and task.status == "posted" and not await wave.exists():
            await PickWave.filter(id=task.wave_id).update(status="posted")
        return Posted("pick_task", task.id, f"PT{task.id:08d}")

    return await posting("pick_confirm", key, body)


async def _post_from_picks(task: PickTask, now: datetime) -> None:
    lines = await PickLine.filter(task_id=task.id).order_by("id")
    order_lines = {ol.id: ol for ol in await SalesOrderLine.filter(id__in=[ln.order_line_id for ln in lines])}
    picks = [
        shipments.ShipmentLineInput(
            ln.order_line_id,
            Decimal(ln.picked_quantity or 0) / Decimal(order_lines[ln.order_line_id].unit_factor),
            batch_id=ln.picked_batch_id,
        )
        for ln in lines
        if ln.picked_quantity
    ]
    await shipments.shipment_post(task.order_id, picks, now)
    task.status = "posted"


async def tasks_changed(warehouse_id: int, since: datetime | None, zone: str = "") -> list[PickTask]:
    """Open or changed tasks of a warehouse (and zone) since ``since`` (None: every open task)."""
    query = PickTask.filter(warehouse_id=warehouse_id)
    query = query.filter(updated_at__gt=since) if since is not None else query.filter(status="open")
    if zone:
        query = query.filter(zone__startswith=zone)
    return await query.order_by("id").limit(500)


async def order_of(task_id: int) -> SalesOrder:
    task = await PickTask.get(id=task_id)
    return await SalesOrder.get(id=task.order_id)
