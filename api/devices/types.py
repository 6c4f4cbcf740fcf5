"""Handheld types: pick tasks and lines, sync results, exceptions, the pull."""

from datetime import datetime
from decimal import Decimal
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from domain.devices import models


@strawberry.type
class PickLine:
    id: int
    order_line_id: int
    sku_code: str
    gtin: str | None
    lot_code: str
    bin_code: str
    quantity: Decimal
    status: str
    picked_quantity: Decimal | None


@strawberry.type(description="A pick task 拣货任务: lines with the FEFO-suggested lot and bin.")
class PickTask:
    id: int
    order_number: str | None
    status: str
    zone: str
    assignee_id: strawberry.Private[int | None]
    created_at: datetime
    lines: list[PickLine]


@strawberry.type
class OperationResult:
    sequence: int
    status: str
    reason: str
    code: str = strawberry.field(
        description="An exception's kind: the edge rule (OUT_OF_ZONE, NOT_AVAILABLE …) or the error code."
    )


@strawberry.type(description="An operation a device could not apply, held for a supervisor.")
class DeviceException:
    id: int
    device_code: str
    sequence: int
    kind: str
    payload: JSON
    reason: str
    code: str
    status: str
    scanned_at: datetime | None
    received_at: datetime

    @classmethod
    def from_row(cls, r: models.DeviceOperation, device_code: str) -> "DeviceException":
        return cls(
            id=r.id,
            device_code=device_code,
            sequence=r.sequence,
            kind=r.kind,
            payload=cast(JSON, r.payload),
            reason=r.reason,
            code=r.code,
            status=r.status,
            scanned_at=r.scanned_at,
            received_at=r.received_at,
        )


@strawberry.type
class LotState:
    sku_code: str
    lot_code: str
    status: str
    expiry_date: str | None


@strawberry.type
class BinState:
    code: str
    path: str
    frozen: bool


@strawberry.type
class OpenCount:
    id: strawberry.ID
    number: str
    bin_codes: list[str]


@strawberry.type
class DevicePull:
    cursor: datetime
    tasks: list[PickTask]
    lots: list[LotState]
    rules: JSON
    zones: list[str] = strawberry.field(description="The device's zones (location paths); []: everywhere.")
    bins: list[BinState]
    counts: list[OpenCount] = strawberry.field(
        description="Open counts of the warehouse: bins being counted."
    )


async def pick_tasks(rows: list[models.PickTask]) -> list[PickTask]:
    """Tasks with their lines, in three queries whatever the count."""
    from domain.inventory.models import Batch, Location
    from domain.sales.models import SalesOrder

    if not rows:
        return []
    lines = await models.PickLine.filter(task_id__in=[t.id for t in rows]).order_by("id")
    batches = {
        b.id: b for b in await Batch.filter(id__in={ln.batch_id for ln in lines}).prefetch_related("sku")
    }
    bins = dict(await Location.filter(id__in={ln.location_id for ln in lines}).values_list("id", "code"))
    numbers = dict(await SalesOrder.filter(id__in={t.order_id for t in rows}).values_list("id", "number"))
    by_task: dict[int, list[PickLine]] = {}
    for ln in lines:
        b = batches[ln.batch_id]
        by_task.setdefault(ln.task_id, []).append(
            PickLine(
                id=ln.id,
                order_line_id=ln.order_line_id,
                sku_code=b.sku.code,
                gtin=b.sku.gtin,
                lot_code=b.lot_code,
                bin_code=str(bins[ln.location_id]),
                quantity=Decimal(ln.quantity),
                status=ln.status,
                picked_quantity=Decimal(ln.picked_quantity) if ln.picked_quantity is not None else None,
            )
        )
    return [
        PickTask(
            id=t.id,
            order_number=numbers.get(t.order_id),
            status=t.status,
            zone=t.zone,
            assignee_id=t.assignee_id,
            created_at=t.created_at,
            lines=by_task.get(t.id, []),
        )
        for t in rows
    ]


def pick_task_from_view(view: dict[str, Any]) -> PickTask:
    """A task from the view its NOTIFY carried (``domain.devices.tasks.task_view``), with no query."""
    return PickTask(
        id=int(view["id"]),
        order_number=view.get("orderNumber"),
        status=str(view["status"]),
        zone=str(view["zone"]),
        assignee_id=None,
        created_at=datetime.fromisoformat(view["createdAt"]),
        lines=[
            PickLine(
                id=int(ln["id"]),
                order_line_id=int(ln["orderLineId"]),
                sku_code=str(ln["skuCode"]),
                gtin=ln.get("gtin"),
                lot_code=str(ln["lotCode"]),
                bin_code=str(ln["binCode"]),
                quantity=Decimal(ln["quantity"]),
                status=str(ln["status"]),
                picked_quantity=None,
            )
            for ln in view["lines"]
        ],
    )


def lot_states(rows: list[tuple[str, str, str, str | None]]) -> list[LotState]:
    return [LotState(sku_code=s, lot_code=lot, status=st, expiry_date=exp) for s, lot, st, exp in rows]
