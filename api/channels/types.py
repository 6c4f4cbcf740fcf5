"""Channel types: sales channels, their sellable stock, platform events and sales by channel."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay

from api import nodes
from api.context import Info
from domain.channels import models
from domain.channels.rules import ChannelKind as DomainChannelKind
from domain.partners.rules import Permission as Perm


@strawberry.enum(
    description="dine-in 堂食, a delivery platform's store (美团, 饿了么), group meals 团餐, wholesale, store"
)
class ChannelKind(Enum):
    DINE_IN = DomainChannelKind.DINE_IN.value
    MEITUAN = DomainChannelKind.MEITUAN.value
    ELEME = DomainChannelKind.ELEME.value
    GROUP_MEAL = DomainChannelKind.GROUP_MEAL.value
    WHOLESALE = DomainChannelKind.WHOLESALE.value
    STORE = DomainChannelKind.STORE.value


@strawberry.enum(
    description="Where a platform event stands: waiting, processed, recorded only, retrying, dead."
)
class PlatformEventStatus(Enum):
    PENDING = "pending"
    DONE = "done"
    IGNORED = "ignored"
    FAILED = "failed"
    DEAD = "dead"


@strawberry.type
class SalesChannel(relay.Node):
    id: relay.NodeID[int]
    code: str
    name: str
    kind: str
    warehouse_id: strawberry.Private[int]
    platform_store_id: str | None
    active: bool

    @classmethod
    def from_row(cls, r: models.SalesChannel) -> "SalesChannel":
        return cls(
            id=r.id,
            code=r.code,
            name=r.name,
            kind=r.kind,
            warehouse_id=r.warehouse_id,
            platform_store_id=r.platform_store_id,
            active=r.active,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.SalesChannel, Perm.SALES_READ, cls.from_row)


@strawberry.type(description="A channel's sellable quantity of a SKU (base unit); zero means sold out 售罄.")
class ChannelStock:
    channel_code: str
    sku_code: str
    available: Decimal
    exclusive: Decimal
    sellable: Decimal
    sold_out: bool


@strawberry.type
class PlatformEvent(relay.Node):
    id: relay.NodeID[int]
    platform: str
    event_key: str
    kind: str
    platform_order_id: str
    status: str
    attempts: int
    last_error: str
    received_at: datetime
    next_attempt_at: datetime | None
    processed_at: datetime | None

    @classmethod
    def from_row(cls, r: models.PlatformEvent) -> "PlatformEvent":
        return cls(
            id=r.id,
            platform=r.platform,
            event_key=r.event_key,
            kind=r.kind,
            platform_order_id=r.platform_order_id,
            status=r.status,
            attempts=r.attempts,
            last_error=r.last_error,
            received_at=r.received_at,
            next_attempt_at=r.next_attempt_at,
            processed_at=r.processed_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.PlatformEvent, Perm.SALES_READ, cls.from_row)


@strawberry.type(description="Orders and ordered amount (document currency) of one channel in a period.")
class ChannelSales:
    channel_code: str | None
    orders: int
    amount: Decimal
