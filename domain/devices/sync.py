"""Offline sync: devices push their numbered operations in batches; each applies once, in its own transaction.

Idempotent by (device, sequence): a batch sent twice (the answer was lost on a flaky network) applies
nothing twice, and the answer repeats each operation's first outcome. An operation that can no longer
apply (the lot was blocked meanwhile, the stock is gone, the line was picked by someone else) is kept as an
exception with its reason, for a supervisor to retry or discard — never dropped, never applied twice.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.common.errors import Conflict, DomainError, NotFound, ValidationError
from domain.common.storable import storable
from domain.devices import errors, rules, scans, tasks, waves
from domain.devices.models import Device, DeviceOperation, PickLine, PickTask
from domain.devices.zones import zones_of
from domain.inventory import services as inventory
from domain.inventory.models import Batch, Location, StockCount, StockCountLocation, StockQuant, Warehouse
from domain.partners.models import User

MAX_BATCH = 1000
KINDS = ("pick_confirm", "wave_pick", "receive", "count", "move", "quarantine")


@dataclass(frozen=True)
class OperationInput:
    sequence: int
    kind: str
    payload: dict[str, Any]
    scanned_at: datetime | None = None


@dataclass(frozen=True)
class OperationResult:
    sequence: int
    status: str  # applied, exception (or the first outcome of a repeated sequence)
    reason: str = ""
    code: str = ""  # an exception's kind: a rule's code (OUT_OF_ZONE, NOT_AVAILABLE …) or an error code


def code_of(exc: DomainError) -> str:
    """The exception-queue code of a refusal: the edge rule's code, else the domain error's code."""
    return str(getattr(exc, "rule_code", "") or exc.code.value)


async def device_register(code: str, warehouse_code: str, user_id: int) -> Device:
    """Registers (or re-binds to this user) a handheld of a warehouse."""
    warehouse = await Warehouse.get_or_none(code=warehouse_code, active=True)
    if warehouse is None:
        raise NotFound("warehouse", warehouse_code, ("warehouseCode",))
    device, _ = await Device.update_or_create(
        code=code, defaults={"warehouse_id": warehouse.id, "user_id": user_id}
    )
    return device


async def device_of(code: str, user_id: int) -> Device:
    device = await Device.get_or_none(code=code)
    if device is None or device.user_id != user_id:
        raise NotFound("device", code, ("deviceId",))  # another user's device is not there for you
    return device


async def operations_push(device: Device, ops: list[OperationInput], now: datetime) -> list[OperationResult]:
    """Applies ``ops`` in sequence order; returns one result per operation."""
    if len(ops) > MAX_BATCH:
        raise ValidationError(f"at most {MAX_BATCH} operations per batch", ("operations",))
    if any(op.sequence < 1 for op in ops):
        raise ValidationError("operation sequences start at 1", ("operations", "sequence"))
    # One query for the outcomes already known (a replayed batch answers from them) and one for the
    # zones, whatever the batch size.
    known = {
        o.sequence: o
        for o in await DeviceOperation.filter(device_id=device.id, sequence__in=[op.sequence for op in ops])
    }
    zones = await zones_of(device.user_id, device.warehouse_id)
    results = []
    for op in sorted(ops, key=lambda o: o.sequence):
        done = known.get(op.sequence)
        if done is not None:
            results.append(OperationResult(op.sequence, done.status, done.reason, done.code))
        else:
            results.append(await _one(device, zones, op, now))
    await Device.filter(id=device.id).update(
        last_sequence=max([device.last_sequence, *(o.sequence for o in ops)]), last_seen_at=now
    )
    return results


async def _one(device: Device, zones: tuple[str, ...], op: OperationInput, now: datetime) -> OperationResult:
    payload, mangled = storable(op.payload)
    kind, kind_mangled = storable(op.kind[:24])
    row: dict[str, Any] = {
        "device_id": device.id,
        "sequence": op.sequence,
        "kind": kind,
        "payload": payload,
        "scanned_at": op.scanned_at,
        "received_at": now,
    }
    try:
        if mangled or kind_mangled:
            raise ValidationError(
                "an operation may not contain NUL or unpaired surrogate characters", ("payload",)
            )
        async with in_transaction():
            # The row first: a move's ledger line names it as its document.
            applied = await DeviceOperation.create(**row, status="applied")
            await _apply(device, zones, op, applied.id, now)
        return OperationResult(op.sequence, "applied")
    except IntegrityError:  # the same sequence, twice at once: the other request holds its outcome
        return await _first(device, op.sequence)
    except DomainError as exc:
        try:
            await DeviceOperation.create(
                **row, status="exception", reason=exc.message[:2000], code=code_of(exc)[:32]
            )
        except IntegrityError:
            return await _first(device, op.sequence)
        return OperationResult(op.sequence, "exception", exc.message, code_of(exc))


async def _first(device: Device, sequence: int) -> OperationResult:
    first = await DeviceOperation.get(device_id=device.id, sequence=sequence)
    return OperationResult(sequence, first.status, first.reason, first.code)


async def _apply(
    device: Device, zones: tuple[str, ...], op: OperationInput, op_id: int, now: datetime
) -> None:
    """Applies one operation as its device's user, bound to ``zones`` (read when the batch arrives)."""
    p = op.payload
    at = op.scanned_at or now
    if op.kind == "pick_confirm":
        line = await PickLine.get_or_none(id=scans.integer(p.get("lineId", 0) or 0, "lineId"))
        if line is None:
            raise NotFound("pick line", p.get("lineId"), ("lineId",))
        task = await PickTask.get(id=line.task_id)
        if task.warehouse_id != device.warehouse_id:
            raise NotFound("pick line", line.id, ("lineId",))
        if task.assignee_id is not None and task.assignee_id != device.user_id:
            raise Conflict(f"task {task.id} was reassigned to another picker", ("lineId",))
        await tasks.pick_confirm(
            tasks.PickConfirm(
                line.id,
                str(p.get("binCode", "")),
                str(p.get("lotCode", "")),
                scans.decimal(p.get("quantity"), "quantity"),
                str(p.get("reason", "")),
                zones,
            ),
            at,
        )
    elif op.kind == "wave_pick":
        await waves.wave_pick(device, p, at, zones=zones)
    elif op.kind == "receive":
        await scans.receive(device, p, at, zones=zones)
    elif op.kind == "count":
        await scans.count(device, p, at, zones=zones)
    elif op.kind == "move":
        await scans.move(device, p, at, op_id, zones=zones)
    elif op.kind == "quarantine":
        batch = await Batch.get_or_none(
            lot_code=str(p.get("lotCode", "")), sku__code=str(p.get("skuCode", ""))
        )
        if batch is None:
            raise NotFound("lot", p.get("lotCode"), ("lotCode",))
        await _lot_in_reach(batch.id, device.warehouse_id, zones)
        await inventory.batch_block(batch.id, at)
    else:
        raise ValidationError(f"unknown operation {op.kind!r} (one of {', '.join(KINDS)})", ("kind",))


async def _lot_in_reach(batch_id: int, warehouse_id: int, zones: tuple[str, ...]) -> None:
    """A quarantine scan blocks a lot everywhere, so the picker must see it: some of it lies in a bin of
    the device's warehouse (``NotFound`` otherwise) and, when bound, in one of their zones (``OutOfZone``)."""
    paths = await StockQuant.filter(
        batch_id=batch_id, warehouse_id=warehouse_id, quantity__gt=0, location__kind="internal"
    ).values_list("location__path", "location__code")
    if not paths:
        raise NotFound("lot in this warehouse", batch_id, ("lotCode",))
    if not any(rules.in_zones(str(path), zones) for path, _ in paths):
        code = str(paths[0][1])
        raise errors.OutOfZone(
            [
                rules.Finding(
                    errors.ZONE,
                    rules.Severity.BLOCK,
                    f"库位 {code} 不在本设备的作业区域",
                    f"bin {code} is outside this device's zones",
                )
            ],
            ("lotCode",),
        )


async def exception_resolve(
    op_id: int, action: str, note: str, resolver: User, now: datetime
) -> DeviceOperation:
    """A supervisor's decision on an exception: ``retry`` applies it now (it may fail again, and stays an
    exception with the new reason), ``discard`` closes it without applying. Either is recorded."""
    op = await DeviceOperation.get_or_none(id=op_id, status="exception")
    if op is None:
        raise NotFound("exception", op_id, ("operationId",))
    if action == "discard":
        op.status, op.resolution, op.resolved_by_id = "discarded", note[:2000], resolver.id
        await op.save(update_fields=["status", "resolution", "resolved_by_id"])
        return op
    if action != "retry":
        raise ValidationError("action is retry or discard", ("action",))
    device = await Device.get(id=op.device_id)
    try:
        async with in_transaction():
            zones = await zones_of(device.user_id, device.warehouse_id)
            await _apply(
                device, zones, OperationInput(op.sequence, op.kind, op.payload, op.scanned_at), op.id, now
            )
            op.status, op.resolution, op.resolved_by_id = "resolved", note[:2000], resolver.id
            await op.save(update_fields=["status", "resolution", "resolved_by_id"])
    except DomainError as exc:
        op.reason, op.code = exc.message[:2000], code_of(exc)[:32]
        await op.save(update_fields=["reason", "code"])
    return op


@dataclass(frozen=True)
class Pull:
    cursor: datetime
    tasks: list[PickTask]
    lines: list[PickLine]
    batches: list[tuple[str, str, str, str | None]]  # sku code, lot code, status, expiry ISO date
    rules: dict[str, Any]
    zones: list[str]  # the zones its user is bound to here ([]: everywhere)
    bins: list[tuple[str, str, bool]]  # code, path, frozen: the warehouse's bins, for offline zone checks
    counts: list[tuple[int, str, list[str]]]  # open counts: id, number, bin codes


async def pull(device: Device, since: datetime | None, now: datetime) -> Pull:
    """What changed for the device since its cursor: its tasks and the lot statuses of its zones (the
    warehouse when unbound), the rules, its zones, every bin (code, path, frozen: zone checks need the
    paths outside too) and the open counts."""
    zones = await zones_of(device.user_id, device.warehouse_id)
    found = [
        t
        for t in await tasks.tasks_changed(device.warehouse_id, since)
        if t.assignee_id in (None, device.user_id)
    ]
    lines = await PickLine.filter(task_id__in=[t.id for t in found]).order_by("id")
    if zones:  # a task with nothing to pick in the picker's zones is not theirs to see
        paths = dict(await Location.filter(id__in={ln.location_id for ln in lines}).values_list("id", "path"))
        reachable = {ln.task_id for ln in lines if rules.in_zones(str(paths[ln.location_id]), zones)}
        found = [t for t in found if t.id in reachable]
        lines = [ln for ln in lines if ln.task_id in reachable]
    stock = await (
        Batch.filter(quants__warehouse_id=device.warehouse_id, quants__quantity__gt=0)
        .distinct()
        .values_list("sku__code", "lot_code", "status", "expiry_date", "quants__location__path")
    )
    batches = sorted(
        {
            (str(sku), str(lot), str(st), exp.isoformat() if exp else None)
            for sku, lot, st, exp, path in stock
            if rules.in_zones(str(path), zones)
        }
    )
    bins = await (
        Location.filter(warehouse_id=device.warehouse_id, kind="internal")
        .order_by("path")
        .limit(5000)
        .values_list("code", "path", "frozen")
    )
    open_counts = await StockCount.filter(warehouse_id=device.warehouse_id, status="frozen").order_by("id")
    links = await StockCountLocation.filter(count_id__in=[c.id for c in open_counts]).values_list(
        "count_id", "location__code"
    )
    return Pull(
        now,
        found,
        lines,
        batches,
        dict(rules.DEFAULTS),
        list(zones),
        [(str(c), str(p), bool(f)) for c, p, f in bins],
        [
            (c.id, c.number or "", sorted(str(code) for cid, code in links if cid == c.id))
            for c in open_counts
        ],
    )
