"""Channel inputs."""

from decimal import Decimal

import strawberry

from api.channels.types import ChannelKind


@strawberry.input
class SalesChannelCreateInput:
    code: str
    name: str
    kind: ChannelKind
    warehouse_code: str
    customer_code: str = strawberry.field(description="The customer the channel's orders are booked to.")
    platform_store_id: str | None = strawberry.field(
        default=None, description="Ele.me shopId or Meituan app_poi_code; required for platform channels."
    )


@strawberry.input
class AllocationRuleSetInput:
    channel_code: str
    sku_code: str | None = None
    category_code: str | None = None
    share: Decimal = strawberry.field(default=Decimal(0), description="Exclusive share 独占比例, 0..1.")
    floor: Decimal = strawberry.field(default=Decimal(0), description="Safety stock 安全库存, base unit.")
    priority: int = 0


@strawberry.input
class PlatformSkuMapInput:
    channel_code: str
    platform_sku_id: str
    sku_code: str
    base_per_portion: Decimal = strawberry.field(
        default=Decimal(1), description="Base units of the SKU in one platform portion."
    )


@strawberry.input
class PlatformEventRetryInput:
    event_id: strawberry.ID
