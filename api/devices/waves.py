# strawberry.field/mutation(...) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Waves and supervision for handhelds: create a wave of orders and read its walk; bind a picker to zones;
post a count from its scanned sheet."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

import strawberry

from api import auth, errors
from api import relay as rl
from api.context import Info
from api.nodes import Posted
from domain.common.errors import DomainError
from domain.devices import scans, walk, waves
from domain.devices import zones as zones_mod
from domain.devices.models import PickWave as PickWaveRow
from domain.partners.rules import Permission as Perm


@strawberry.input
class PickWaveCreateInput:
    sales_order_ids: list[strawberry.ID] = strawberry.field(description="1 to 200 confirmed orders.")
    assignee: str | None = strawberry.field(default=None, description="Username of the picker; None: anyone.")
    zone: str = ""
    idempotency_key: str | None = None


@strawberry.input
class PickerZonesSetInput:
    username: str
    warehouse_code: str
    zones: list[str] = strawberry.field(description="Location paths of the warehouse; []: all of it.")


@strawberry.input
class StockCountPostScannedInput:
    stock_count_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.type(description="A stop of a wave's walk: a bin, a SKU and a lot, the lines picked there.")
class WaveStop:
    bin_code: str
    bin_path: str
    sku_code: str
    lot_code: str
    quantity: Decimal
    line_ids: list[int]


@strawberry.type(description="A wave 波次: confirmed orders picked in one walk, shipped order by order.")
class PickWave:
    id: strawberry.ID
    number: str
    status: str
    order_numbers: list[str]
    stops: list[WaveStop] = strawberry.field(description="Open stops in bin path order.")


@strawberry.type
class PickerZonesPayload:
    username: str
    warehouse_code: str
    zones: list[str]


PickWaveCreateResult = Annotated[Posted | errors.AnyUserError, strawberry.union("PickWaveCreateResult")]
PickerZonesSetResult = Annotated[
    PickerZonesPayload | errors.AnyUserError, strawberry.union("PickerZonesSetResult")
]
StockCountPostScannedResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("StockCountPostScannedResult")
]


@strawberry.type
class WavesMutation:
    @strawberry.mutation(description="Groups confirmed orders into a wave: a pick task per order.")
    async def pick_wave_create(self, info: Info, input: PickWaveCreateInput) -> PickWaveCreateResult:
        async def run() -> Posted:
            auth.require(info, Perm.SHIPPING)
            ids = [
                rl.decode_id(i, "SalesOrder", ("salesOrderIds", str(n)))
                for n, i in enumerate(input.sales_order_ids[: waves.MAX_ORDERS + 1])
            ]
            posted = await waves.wave_create(
                ids,
                datetime.now(UTC),
                input.assignee,
                input.zone,
                key=auth.client_key(info, input.idempotency_key),
            )
            return Posted.of(posted)

        return await errors.guard(run())

    @strawberry.mutation(
        description="Binds a picker to zones of a warehouse, on every handheld (administrators only)."
    )
    async def picker_zones_set(self, info: Info, input: PickerZonesSetInput) -> PickerZonesSetResult:
        async def run() -> PickerZonesPayload:
            # ADMIN, not INVENTORY_WRITE: a picker holds that, and must not widen their own zones.
            auth.require(info, Perm.ADMIN)
            zones = await zones_mod.zones_bind(
                input.username, input.warehouse_code, input.zones[: zones_mod.MAX_ZONES + 1]
            )
            return PickerZonesPayload(
                username=input.username, warehouse_code=input.warehouse_code, zones=zones
            )

        return await errors.guard(run())

    @strawberry.mutation(description="Posts a count from what handhelds scanned on its sheet.")
    async def stock_count_post_scanned(
        self, info: Info, input: StockCountPostScannedInput
    ) -> StockCountPostScannedResult:
        async def run() -> Posted:
            auth.require(info, Perm.COUNTING)
            count_id = rl.decode_id(input.stock_count_id, "StockCount", ("stockCountId",))
            posted = await scans.count_post_scanned(
                count_id, datetime.now(UTC), key=auth.client_key(info, input.idempotency_key)
            )
            return Posted.of(posted)

        return await errors.guard(run())


@strawberry.type
class WavesQuery:
    @strawberry.field(
        permission_classes=[auth.needs(Perm.SHIPPING)], description="A wave and its walk (null: not found)."
    )
    async def pick_wave(self, info: Info, id: strawberry.ID) -> PickWave | None:
        try:
            wave_id = rl.decode_id(id, "PickWave", ("id",))
        except DomainError:  # a malformed or foreign ID finds nothing, like an unknown one
            return None
        row = await PickWaveRow.get_or_none(id=wave_id)
        if row is None:
            return None
        stops = walk.stops(await waves.wave_lines(row.id))
        return PickWave(
            id=id,
            number=row.number or "",
            status=row.status,
            order_numbers=await waves.order_numbers(row.id),
            stops=[
                WaveStop(
                    bin_code=s.bin_code,
                    bin_path=s.bin_path,
                    sku_code=s.sku_code,
                    lot_code=s.lot_code,
                    quantity=s.quantity,
                    line_ids=list(s.line_ids),
                )
                for s in stops
            ],
        )
