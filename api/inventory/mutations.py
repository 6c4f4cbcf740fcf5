"""Inventory mutations: translate the input, call one service, map its outcome onto the result union."""

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api import relay as rl
from api.context import Info
from api.inventory import inputs
from api.inventory.types import Location, Warehouse
from api.nodes import Posted
from domain.common import business_time
from domain.inventory import counts, services, transfers
from domain.partners.rules import Permission as Perm

WarehouseCreateResult = Annotated[Warehouse | errors.AnyUserError, strawberry.union("WarehouseCreateResult")]
LocationCreateResult = Annotated[Location | errors.AnyUserError, strawberry.union("LocationCreateResult")]
BatchBlockResult = Annotated[Posted | errors.AnyUserError, strawberry.union("BatchBlockResult")]
BatchReleaseResult = Annotated[Posted | errors.AnyUserError, strawberry.union("BatchReleaseResult")]
StockCountStartResult = Annotated[Posted | errors.AnyUserError, strawberry.union("StockCountStartResult")]
StockCountPostResult = Annotated[Posted | errors.AnyUserError, strawberry.union("StockCountPostResult")]
TransferShipResult = Annotated[Posted | errors.AnyUserError, strawberry.union("TransferShipResult")]
TransferReceiveResult = Annotated[Posted | errors.AnyUserError, strawberry.union("TransferReceiveResult")]


def _now() -> datetime:
    return datetime.now(UTC)


@strawberry.type
class InventoryMutation:
    @strawberry.mutation
    async def warehouse_create(self, info: Info, input: inputs.WarehouseCreateInput) -> WarehouseCreateResult:
        async def run() -> Warehouse:
            auth.require(info, Perm.INVENTORY_WRITE)
            return Warehouse.from_row(await services.create_warehouse(input.code, input.name, input.gln))

        return await errors.guard(run())

    @strawberry.mutation
    async def location_create(self, info: Info, input: inputs.LocationCreateInput) -> LocationCreateResult:
        async def run() -> Location:
            auth.require(info, Perm.INVENTORY_WRITE)
            row = await services.create_location(input.parent_code, input.code, input.name, input.capacity)
            return Location.from_row(row)

        return await errors.guard(run())

    @strawberry.mutation
    async def batch_block(self, info: Info, input: inputs.BatchStatusInput) -> BatchBlockResult:
        async def run() -> Posted:
            auth.require(info, Perm.QUALITY)
            batch_id = rl.decode_id(input.batch_id, "Batch", ("batchId",))
            return Posted.of(
                await services.batch_block(batch_id, _now(), key=auth.client_key(info, input.idempotency_key))
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def batch_release(self, info: Info, input: inputs.BatchStatusInput) -> BatchReleaseResult:
        async def run() -> Posted:
            auth.require(info, Perm.QUALITY)
            batch_id = rl.decode_id(input.batch_id, "Batch", ("batchId",))
            return Posted.of(
                await services.batch_release(
                    batch_id, _now(), key=auth.client_key(info, input.idempotency_key)
                )
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def stock_count_start(
        self, info: Info, input: inputs.StockCountStartInput
    ) -> StockCountStartResult:
        async def run() -> Posted:
            auth.require(info, Perm.COUNTING)
            rl.cap_lines(input.location_codes, ("locationCodes",))
            posted = await counts.stock_count_start(
                input.warehouse_code, input.location_codes, key=auth.client_key(info, input.idempotency_key)
            )
            return Posted.of(posted)

        return await errors.guard(run())

    @strawberry.mutation
    async def stock_count_post(self, info: Info, input: inputs.StockCountPostInput) -> StockCountPostResult:
        async def run() -> Posted:
            auth.require(info, Perm.COUNTING)
            count_id = rl.decode_id(input.stock_count_id, "StockCount", ("stockCountId",))
            posted = await counts.stock_count_post(
                count_id, input.to_domain(), _now(), key=auth.client_key(info, input.idempotency_key)
            )
            return Posted.of(posted)

        return await errors.guard(run())

    @strawberry.mutation
    async def transfer_ship(self, info: Info, input: inputs.TransferShipInput) -> TransferShipResult:
        async def run() -> Posted:
            auth.require(info, Perm.INVENTORY_WRITE)
            now = _now()
            posted = await transfers.transfer_ship(
                input.from_warehouse_code,
                input.to_warehouse_code,
                input.to_domain(),
                business_time.business_today(now),
                now,
                key=auth.client_key(info, input.idempotency_key),
            )
            return Posted.of(posted)

        return await errors.guard(run())

    @strawberry.mutation
    async def transfer_receive(self, info: Info, input: inputs.TransferReceiveInput) -> TransferReceiveResult:
        async def run() -> Posted:
            auth.require(info, Perm.INVENTORY_WRITE)
            transfer_id = rl.decode_id(input.transfer_id, "Transfer", ("transferId",))
            posted = await transfers.transfer_receive(
                transfer_id, input.location_code, _now(), key=auth.client_key(info, input.idempotency_key)
            )
            return Posted.of(posted)

        return await errors.guard(run())
