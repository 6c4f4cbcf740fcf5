# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Channel queries: channels, sellable stock per channel, platform events (dead letters), sales by channel."""

from datetime import UTC, date, datetime

import strawberry

from api import auth
from api import relay as rl
from api.channels.types import ChannelSales, ChannelStock, PlatformEvent, PlatformEventStatus, SalesChannel
from api.context import Info
from domain.catalog.models import Sku
from domain.channels import models, services
from domain.partners.rules import Permission as Perm

MAX_SKUS = 200


@strawberry.type
class ChannelsQuery:
    @strawberry.field(permission_classes=[auth.needs(Perm.SALES_READ)])
    async def sales_channels(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> rl.Connection[SalesChannel]:
        return await rl.paginate(models.SalesChannel.all(), first, after, SalesChannel.from_row)

    @strawberry.field(
        permission_classes=[auth.needs(Perm.SALES_READ)],
        description="Sellable quantity per SKU on a channel, by its allocation rules (at most 200 SKUs).",
    )
    async def channel_stock(self, info: Info, channel_code: str, sku_codes: list[str]) -> list[ChannelStock]:
        rl.cap_lines(sku_codes, ("skuCodes",))
        channel = await services.channel_by_code(channel_code)
        skus = {s.id: s.code for s in await Sku.filter(code__in=sku_codes)}
        figures = await services.sellable(channel.warehouse_id, skus, datetime.now(UTC).date())
        return [
            ChannelStock(
                channel_code=channel.code,
                sku_code=skus[f.sku_id],
                available=f.available,
                exclusive=f.exclusive,
                sellable=f.sellable,
                sold_out=f.sold_out,
            )
            for f in figures
            if f.channel_id == channel.id
        ]

    @strawberry.field(
        permission_classes=[auth.needs(Perm.SALES_READ)],
        description="Platform pushes as received, newest first; status DEAD lists the dead-letter queue.",
    )
    async def platform_events(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        status: PlatformEventStatus | None = None,
    ) -> rl.Connection[PlatformEvent]:
        query = models.PlatformEvent.all()
        if status is not None:
            query = query.filter(status=status.value)
        return await rl.paginate(query, first, after, PlatformEvent.from_row)

    @strawberry.field(permission_classes=[auth.needs(Perm.SALES_READ)])
    async def sales_by_channel(self, info: Info, start: date, end: date) -> list[ChannelSales]:
        codes = dict(await models.SalesChannel.all().values_list("id", "code"))
        return [
            ChannelSales(
                channel_code=codes.get(r.channel_id) if r.channel_id else None,
                orders=r.orders,
                amount=r.amount,
            )
            for r in await services.sales_by_channel(start, end)
        ]
