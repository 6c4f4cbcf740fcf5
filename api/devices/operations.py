# strawberry.field/mutation/subscription(...) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Handheld GraphQL: pick tasks, device sync (push operations, pull changes), exceptions, and the
``pickTaskAssigned`` subscription (graphql-transport-ws only)."""

from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Annotated, Any, cast

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api import auth, errors
from api import relay as rl
from api.context import Info
from api.devices import types
from api.devices.dispatch import TaskHub
from api.nodes import Posted
from api.shared_events import SharedEvent
from domain.common.errors import ValidationError
from domain.devices import models, sync, tasks
from domain.devices.zones import zones_of
from domain.partners.models import User
from domain.partners.rules import Permission as Perm


@strawberry.input
class PickTaskCreateInput:
    sales_order_id: strawberry.ID
    assignee: str | None = strawberry.field(default=None, description="Username of the picker; None: anyone.")
    zone: str = ""
    idempotency_key: str | None = None


@strawberry.input
class DeviceRegisterInput:
    device_id: str = strawberry.field(description="The handheld's own id (its install id).")
    warehouse_code: str


@strawberry.input
class OperationInput:
    sequence: int = strawberry.field(description="The device's running number of the operation, from 1.")
    kind: str = strawberry.field(description="pick_confirm, wave_pick, receive, count, move or quarantine.")
    payload: JSON
    scanned_at: datetime | None = None


@strawberry.input
class DeviceSyncInput:
    device_id: str
    operations: list[OperationInput]


@strawberry.input
class DeviceExceptionResolveInput:
    operation_id: int
    action: str = strawberry.field(description="retry or discard")
    note: str = ""


@strawberry.type
class DeviceSyncPayload:
    results: list[types.OperationResult]


@strawberry.type
class DeviceRegisterPayload:
    device_id: str


PickTaskCreateResult = Annotated[Posted | errors.AnyUserError, strawberry.union("PickTaskCreateResult")]
DeviceRegisterResult = Annotated[
    DeviceRegisterPayload | errors.AnyUserError, strawberry.union("DeviceRegisterResult")
]
DeviceSyncResult = Annotated[DeviceSyncPayload | errors.AnyUserError, strawberry.union("DeviceSyncResult")]
DeviceExceptionResolveResult = Annotated[
    types.DeviceException | errors.AnyUserError, strawberry.union("DeviceExceptionResolveResult")
]


def _ops(ops: list[OperationInput]) -> list[sync.OperationInput]:
    out = []
    for i, op in enumerate(ops):
        if not isinstance(op.payload, dict):
            raise ValidationError(
                "an operation's payload is a JSON object", ("operations", str(i), "payload")
            )
        out.append(sync.OperationInput(op.sequence, op.kind, op.payload, op.scanned_at))
    return out


@strawberry.type
class DevicesMutation:
    @strawberry.mutation
    async def pick_task_create(self, info: Info, input: PickTaskCreateInput) -> PickTaskCreateResult:
        async def run() -> Posted:
            auth.require(info, Perm.SHIPPING)
            order_id = rl.decode_id(input.sales_order_id, "SalesOrder", ("salesOrderId",))
            posted = await tasks.pick_task_create(
                order_id,
                datetime.now(UTC),
                input.assignee,
                input.zone,
                key=auth.client_key(info, input.idempotency_key),
            )
            return Posted.of(posted)

        return await errors.guard(run())

    @strawberry.mutation
    async def device_register(self, info: Info, input: DeviceRegisterInput) -> DeviceRegisterResult:
        async def run() -> DeviceRegisterPayload:
            principal = auth.require(info, Perm.SHIPPING)
            device = await sync.device_register(input.device_id, input.warehouse_code, principal.user_id)
            return DeviceRegisterPayload(device_id=device.code)

        return await errors.guard(run())

    @strawberry.mutation(
        description="Applies a batch of a device's operations, each once, in sequence order."
    )
    async def device_sync(self, info: Info, input: DeviceSyncInput) -> DeviceSyncResult:
        async def run() -> DeviceSyncPayload:
            principal = auth.require(info, Perm.SHIPPING)
            if len(input.operations) > sync.MAX_BATCH:
                raise ValidationError(f"at most {sync.MAX_BATCH} operations per batch", ("operations",))
            device = await sync.device_of(input.device_id, principal.user_id)
            results = await sync.operations_push(device, _ops(input.operations), datetime.now(UTC))
            return DeviceSyncPayload(
                results=[
                    types.OperationResult(sequence=r.sequence, status=r.status, reason=r.reason, code=r.code)
                    for r in results
                ]
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def device_exception_resolve(
        self, info: Info, input: DeviceExceptionResolveInput
    ) -> DeviceExceptionResolveResult:
        async def run() -> types.DeviceException:
            principal = auth.require(info, Perm.INVENTORY_WRITE)
            resolver = await User.get(id=principal.user_id)
            op = await sync.exception_resolve(
                input.operation_id, input.action, input.note, resolver, datetime.now(UTC)
            )
            device = await models.Device.get(id=op.device_id)
            return types.DeviceException.from_row(op, device.code)

        return await errors.guard(run())


@strawberry.type
class DevicesQuery:
    @strawberry.field(
        permission_classes=[auth.needs(Perm.SHIPPING)], description="What changed for a device."
    )
    async def device_pull(
        self, info: Info, device_id: str, since: datetime | None = None
    ) -> types.DevicePull:
        principal = auth.principal_of(info)
        device = await sync.device_of(device_id, principal.user_id)
        found = await sync.pull(device, since, datetime.now(UTC))
        return types.DevicePull(
            cursor=found.cursor,
            tasks=await types.pick_tasks(found.tasks),
            lots=types.lot_states(found.batches),
            rules=cast(JSON, found.rules),
            zones=found.zones,
            bins=[types.BinState(code=c, path=p, frozen=f) for c, p, f in found.bins],
            counts=[
                types.OpenCount(
                    id=strawberry.ID(str(relay.GlobalID("StockCount", str(i)))), number=n, bin_codes=b
                )
                for i, n, b in found.counts
            ],
        )

    @strawberry.field(
        permission_classes=[auth.needs(Perm.INVENTORY_READ)],
        description="Operations devices could not apply (status exception), oldest first, at most 200.",
    )
    async def device_exceptions(self, info: Info, status: str = "exception") -> list[types.DeviceException]:
        rows = await models.DeviceOperation.filter(status=status[:16]).order_by("id").limit(200)
        codes = dict(await models.Device.filter(id__in={r.device_id for r in rows}).values_list("id", "code"))
        return [types.DeviceException.from_row(r, str(codes[r.device_id])) for r in rows]


def hub_of(info: Info) -> TaskHub:
    app: Any = info.context.request.app
    hub: TaskHub | None = getattr(app.state, "task_hub", None)
    if hub is None:
        hub = app.state.task_hub = TaskHub(app.state.settings.database_url)
        # One SharedEvent per task for all subscribers: its selection is executed once per distinct query.
        hub.render = lambda view: [SharedEvent(types.pick_task_from_view(view))]
    return hub


@strawberry.type
class DevicesSubscription:
    @strawberry.subscription(
        description="New pick tasks for the device's warehouse and picker, as they commit."
    )
    async def pick_task_assigned(self, info: Info, device_id: str) -> AsyncGenerator[types.PickTask, None]:
        principal = auth.check(info, Perm.SHIPPING)
        device = await sync.device_of(device_id, principal.user_id)
        hub = hub_of(info)
        zones = await zones_of(device.user_id, device.warehouse_id)
        async with hub.subscribe(device.warehouse_id, device.user_id, zones) as sub:
            while True:
                task_id = await sub.queue.get()
                for task in await hub.view(task_id, _load_task):
                    yield cast(types.PickTask, task)  # a SharedEvent, unwrapped by api.shared_events


async def _load_task(task_id: int) -> list[SharedEvent[types.PickTask]]:
    return [SharedEvent(t) for t in await types.pick_tasks(await models.PickTask.filter(id=task_id))]
