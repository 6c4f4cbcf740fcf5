# strawberry.mutation(description=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Channel mutations: set up channels, allocation rules and platform SKU mappings; retry a dead event."""

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api import relay as rl
from api.channels import inputs
from api.channels.types import PlatformEvent, SalesChannel
from api.context import Info
from domain.channels import models, orders, services, stock_sync
from domain.partners.rules import Permission as Perm


@strawberry.type
class AllocationRuleSetPayload:
    channel_code: str
    ok: bool


@strawberry.type
class PlatformSkuMapPayload:
    channel_code: str
    platform_sku_id: str
    sku_code: str


SalesChannelCreateResult = Annotated[
    SalesChannel | errors.AnyUserError, strawberry.union("SalesChannelCreateResult")
]
AllocationRuleSetResult = Annotated[
    AllocationRuleSetPayload | errors.AnyUserError, strawberry.union("AllocationRuleSetResult")
]
PlatformSkuMapResult = Annotated[
    PlatformSkuMapPayload | errors.AnyUserError, strawberry.union("PlatformSkuMapResult")
]
PlatformEventRetryResult = Annotated[
    PlatformEvent | errors.AnyUserError, strawberry.union("PlatformEventRetryResult")
]


@strawberry.type
class ChannelsMutation:
    @strawberry.mutation
    async def sales_channel_create(
        self, info: Info, input: inputs.SalesChannelCreateInput
    ) -> SalesChannelCreateResult:
        async def run() -> SalesChannel:
            auth.require(info, Perm.SALES_WRITE)
            row = await services.channel_create(
                input.code,
                input.name,
                str(input.kind.value),
                input.warehouse_code,
                input.customer_code,
                input.platform_store_id,
            )
            return SalesChannel.from_row(row)

        return await errors.guard(run())

    @strawberry.mutation
    async def allocation_rule_set(
        self, info: Info, input: inputs.AllocationRuleSetInput
    ) -> AllocationRuleSetResult:
        async def run() -> AllocationRuleSetPayload:
            auth.require(info, Perm.SALES_WRITE)
            await services.allocation_rule_set(
                input.channel_code,
                input.sku_code,
                input.category_code,
                input.share,
                input.floor,
                input.priority,
            )
            return AllocationRuleSetPayload(channel_code=input.channel_code, ok=True)

        return await errors.guard(run())

    @strawberry.mutation
    async def platform_sku_map(self, info: Info, input: inputs.PlatformSkuMapInput) -> PlatformSkuMapResult:
        async def run() -> PlatformSkuMapPayload:
            auth.require(info, Perm.SALES_WRITE)
            await services.sku_mapping_set(
                input.channel_code, input.platform_sku_id, input.sku_code, input.base_per_portion
            )
            stock_sync.forget_mappings()
            return PlatformSkuMapPayload(
                channel_code=input.channel_code,
                platform_sku_id=input.platform_sku_id,
                sku_code=input.sku_code,
            )

        return await errors.guard(run())

    @strawberry.mutation(description="Processes a failed or dead platform event again, now.")
    async def platform_event_retry(
        self, info: Info, input: inputs.PlatformEventRetryInput
    ) -> PlatformEventRetryResult:
        async def run() -> PlatformEvent:
            auth.require(info, Perm.SALES_WRITE)
            event_id = rl.decode_id(input.event_id, "PlatformEvent", ("eventId",))
            await orders.event_retry(event_id, datetime.now(UTC))
            return PlatformEvent.from_row(await models.PlatformEvent.get(id=event_id))

        return await errors.guard(run())
