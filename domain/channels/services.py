"""Channel set-up and sellable stock: channels, allocation rules, platform SKU mappings, sales by channel."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from domain.catalog.models import Sku
from domain.channels import rules
from domain.channels.models import AllocationRule, PlatformSkuMapping, SalesChannel
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.inventory import rules as stock_rules
from domain.inventory.models import Warehouse
from domain.inventory.reservations import candidates_by_sku
from domain.partners.models import Customer
from domain.sales.models import SalesOrder, SalesOrderLine

CENT = Decimal("0.01")


async def channel_create(
    code: str,
    name: str,
    kind: str,
    warehouse_code: str,
    customer_code: str,
    platform_store_id: str | None = None,
) -> SalesChannel:
    """A sales channel of a warehouse. Platform channels (meituan, eleme) need the platform's store id.

    Raises ``ValidationError`` (kind, store id), ``NotFound`` (warehouse, customer), ``Conflict`` (code
    or store id taken)."""
    try:
        channel_kind = rules.ChannelKind(kind)
    except ValueError:
        allowed = ", ".join(k.value for k in rules.ChannelKind)
        raise ValidationError(f"unknown channel kind {kind!r} (one of {allowed})", ("kind",)) from None
    if channel_kind.is_platform and not platform_store_id:
        raise ValidationError("a delivery platform channel needs its platform store id", ("platformStoreId",))
    warehouse = await Warehouse.get_or_none(code=warehouse_code, active=True)
    if warehouse is None:
        raise NotFound("warehouse", warehouse_code, ("warehouseCode",))
    customer = await Customer.get_or_none(code=customer_code, active=True)
    if customer is None:
        raise NotFound("customer", customer_code, ("customerCode",))
    if await SalesChannel.exists(code=code):
        raise Conflict(f"channel {code} exists", ("code",))
    if platform_store_id and await SalesChannel.exists(
        kind=channel_kind, platform_store_id=platform_store_id
    ):
        raise Conflict(f"{kind} store {platform_store_id} already has a channel", ("platformStoreId",))
    return await SalesChannel.create(
        code=code,
        name=name,
        kind=channel_kind,
        warehouse=warehouse,
        customer=customer,
        platform_store_id=platform_store_id or None,
    )


async def channel_by_code(code: str, path: tuple[str, ...] = ("channelCode",)) -> SalesChannel:
    channel = await SalesChannel.get_or_none(code=code, active=True)
    if channel is None:
        raise NotFound("sales channel", code, path)
    return channel


async def allocation_rule_set(
    channel_code: str,
    sku_code: str | None,
    category_code: str | None,
    share: Decimal,
    floor: Decimal,
    priority: int = 0,
) -> AllocationRule:
    """Sets (creates or replaces) the channel's rule for one SKU or one category (exactly one of them).

    ``share`` is a fraction 0..1; ``floor`` is safety stock in the SKU's base unit, >= 0."""
    if (sku_code is None) == (category_code is None):
        raise ValidationError("name exactly one of skuCode and categoryCode", ("skuCode",))
    if not share.is_finite() or not Decimal(0) <= share <= Decimal(1):
        raise ValidationError("share is a fraction from 0 to 1", ("share",))
    if not floor.is_finite() or floor < 0:
        raise ValidationError("floor (safety stock) must be zero or more", ("floor",))
    channel = await channel_by_code(channel_code)
    sku_id = category_id = None
    if sku_code is not None:
        sku = await Sku.get_or_none(code=sku_code)
        if sku is None:
            raise NotFound("SKU", sku_code, ("skuCode",))
        sku_id = sku.id
    else:
        from domain.catalog.models import Category

        category = await Category.get_or_none(code=category_code)
        if category is None:
            raise NotFound("category", category_code, ("categoryCode",))
        category_id = category.id
    rule, _ = await AllocationRule.update_or_create(
        channel_id=channel.id,
        sku_id=sku_id,
        category_id=category_id,
        defaults={"share": share, "floor": floor, "priority": priority},
    )
    return rule


async def sku_mapping_set(
    channel_code: str, platform_sku_id: str, sku_code: str, base_per_portion: Decimal = Decimal(1)
) -> PlatformSkuMapping:
    """Maps a platform item of the channel's store to our SKU (a portion: ``base_per_portion`` base units)."""
    if not base_per_portion.is_finite() or base_per_portion <= 0:
        raise ValidationError("a portion must be a positive quantity", ("basePerPortion",))
    channel = await channel_by_code(channel_code)
    sku = await Sku.get_or_none(code=sku_code, active=True)
    if sku is None:
        raise NotFound("SKU", sku_code, ("skuCode",))
    mapping, _ = await PlatformSkuMapping.update_or_create(
        channel_id=channel.id,
        platform_sku_id=platform_sku_id,
        defaults={"sku_id": sku.id, "base_per_portion": base_per_portion},
    )
    return mapping


@dataclass(frozen=True)
class ChannelSellable:
    channel_id: int
    sku_id: int
    available: Decimal  # the warehouse's allocatable stock of the SKU, base units
    exclusive: Decimal
    sellable: Decimal

    @property
    def sold_out(self) -> bool:
        return self.sellable <= 0


async def sellable(warehouse_id: int, sku_ids: Iterable[int], today: date) -> list[ChannelSellable]:
    """Every active channel's sellable figure for each SKU in a warehouse, by the allocation rules.

    A channel without a rule for a SKU (nor for its category) sells from the shared pool with no safety
    stock. Availability is what picking would allocate today: expired, quarantined, blocked and reserved
    stock is not sellable on any channel."""
    ids = sorted(set(sku_ids))
    channels = await SalesChannel.filter(warehouse_id=warehouse_id, active=True).order_by("id")
    if not channels or not ids:
        return []
    skus = {s.id: s for s in await Sku.filter(id__in=ids)}
    found = await candidates_by_sku(ids, warehouse_id)
    channel_ids = [c.id for c in channels]
    by_sku: dict[tuple[int, int], AllocationRule] = {}
    by_category: dict[tuple[int, int], AllocationRule] = {}
    for row in await AllocationRule.filter(channel_id__in=channel_ids):
        if row.sku_id is not None:
            by_sku[(row.channel_id, row.sku_id)] = row
        elif row.category_id is not None:
            by_category[(row.channel_id, row.category_id)] = row
    out: list[ChannelSellable] = []
    for sku_id in ids:
        sku = skus.get(sku_id)
        if sku is None:
            continue
        available = stock_rules.allocatable_total(found.get(sku_id, []), today)
        sku_rules = []
        for cid in channel_ids:
            r: AllocationRule | None = by_sku.get((cid, sku_id)) or (
                by_category.get((cid, sku.category_id)) if sku.category_id is not None else None
            )
            sku_rules.append(
                rules.Rule(cid, Decimal(r.share), Decimal(r.floor), r.priority) if r else rules.Rule(cid)
            )
        for a in rules.allocate(available, sku_rules):
            out.append(ChannelSellable(a.channel_id, sku_id, available, a.exclusive, a.sellable))
    return out


@dataclass(frozen=True)
class ChannelSales:
    channel_id: int | None
    orders: int
    amount: Decimal  # ordered amount, document currency


async def sales_by_channel(start: date, end: date) -> list[ChannelSales]:
    """Orders and ordered amount per channel (None: orders with no channel) for orders created in
    [start, end] (inclusive), cancelled orders left out."""
    if end < start:
        raise ValidationError("the period ends before it starts", ("end",))
    orders = (
        await SalesOrder.filter(created_at__gte=start, created_at__lt=_next_day(end))
        .exclude(status="cancelled")
        .values_list("id", "channel_id")
    )
    channel_of = dict(orders)
    count: dict[int | None, int] = defaultdict(int)
    for cid in channel_of.values():
        count[cid] += 1
    amount: dict[int | None, Decimal] = defaultdict(Decimal)
    for oid, qty, price in await SalesOrderLine.filter(order_id__in=list(channel_of)).values_list(
        "order_id", "quantity", "unit_price"
    ):
        amount[channel_of[oid]] += Decimal(qty) * Decimal(price)
    return [
        ChannelSales(cid, count[cid], amount[cid].quantize(CENT, ROUND_HALF_UP))
        for cid in sorted(count, key=lambda c: (c is None, c or 0))
    ]


def _next_day(d: date) -> date:
    return date.fromordinal(d.toordinal() + 1)
