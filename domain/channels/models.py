"""Sales channels, their allocation rules, platform SKU mappings (with their stock-push state), platform
events and the platform orders they became."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.catalog.models import Category, Sku
    from domain.inventory.models import Warehouse
    from domain.partners.models import Customer
    from domain.sales.models import SalesOrder


class SalesChannel(Model):
    # Where a warehouse's (or store's) stock is sold: dine-in, a platform store, group meals, wholesale.

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=200)
    kind = fields.CharField(max_length=16)  # rules.ChannelKind
    warehouse: fields.ForeignKeyRelation["Warehouse"] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="channels", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    # The customer the channel's orders are booked to (a platform's consumers are not our customers).
    customer: fields.ForeignKeyRelation["Customer"] = fields.ForeignKeyField(
        "lotline.Customer", related_name="channels", on_delete=fields.RESTRICT
    )
    customer_id: int
    platform_store_id = fields.CharField(max_length=64, null=True)  # Ele.me shopId / Meituan app_poi_code
    active = fields.BooleanField(default=True)

    class Meta:
        table = "sales_channel"
        unique_together = (("kind", "platform_store_id"),)


class AllocationRule(Model):
    # A channel's share of a SKU's (or a category's) available stock; a SKU rule beats its category's.

    id = fields.IntField(primary_key=True)
    channel: fields.ForeignKeyRelation[SalesChannel] = fields.ForeignKeyField(
        "lotline.SalesChannel", related_name="rules", on_delete=fields.CASCADE
    )
    channel_id: int
    sku: fields.ForeignKeyNullableRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="allocation_rules", null=True, on_delete=fields.CASCADE
    )
    sku_id: int | None
    category: fields.ForeignKeyNullableRelation["Category"] = fields.ForeignKeyField(
        "lotline.Category", related_name="allocation_rules", null=True, on_delete=fields.CASCADE
    )
    category_id: int | None
    share = fields.DecimalField(max_digits=5, decimal_places=4, default=0)
    floor = fields.DecimalField(max_digits=18, decimal_places=4, default=0)
    priority = fields.IntField(default=0)

    class Meta:
        table = "channel_allocation_rule"
        unique_together = (("channel", "sku", "category"),)


class PlatformSkuMapping(Model):
    # A platform store's item (its sku id or our extend code) ↔ our SKU, with how many base units one
    # platform portion is.

    id = fields.IntField(primary_key=True)
    channel: fields.ForeignKeyRelation[SalesChannel] = fields.ForeignKeyField(
        "lotline.SalesChannel", related_name="mappings", on_delete=fields.CASCADE
    )
    channel_id: int
    platform_sku_id = fields.CharField(max_length=64)
    sku: fields.ForeignKeyRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="platform_mappings", on_delete=fields.RESTRICT
    )
    sku_id: int
    base_per_portion = fields.DecimalField(max_digits=18, decimal_places=4, default=1)
    # What the platform was last told (portions) and the state of telling it: pushes are coalesced per
    # store, retried with backoff, and only a changed figure is sent.
    pushed = fields.IntField(null=True)
    pushed_at = fields.DatetimeField(null=True)
    push_attempts = fields.IntField(default=0)
    next_push_at = fields.DatetimeField(null=True)
    push_error = fields.TextField(default="")

    class Meta:
        table = "platform_sku_mapping"
        unique_together = (("channel", "platform_sku_id"),)


class PlatformEvent(Model):
    # A verified push, stored as received before it is acknowledged, then processed by a worker.

    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    event_key = fields.CharField(max_length=160)
    channel: fields.ForeignKeyRelation[SalesChannel] = fields.ForeignKeyField(
        "lotline.SalesChannel", related_name="events", on_delete=fields.RESTRICT
    )
    channel_id: int
    kind = fields.CharField(max_length=16)  # platforms.EventKind
    platform_order_id = fields.CharField(max_length=64, db_index=True)
    payload: dict[str, Any] = fields.JSONField()
    received_at = fields.DatetimeField()
    # pending -> done | ignored; failed (retried with backoff) -> dead after the last attempt
    status = fields.CharField(max_length=16, default="pending", db_index=True)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(null=True, db_index=True)
    last_error = fields.TextField(default="")
    processed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "platform_event"
        unique_together = (("platform", "event_key"),)


class ChannelOrder(Model):
    # A platform order and the sales order it became; one per platform order, whatever the redeliveries.

    id = fields.IntField(primary_key=True)
    channel: fields.ForeignKeyRelation[SalesChannel] = fields.ForeignKeyField(
        "lotline.SalesChannel", related_name="orders", on_delete=fields.RESTRICT
    )
    channel_id: int
    platform_order_id = fields.CharField(max_length=64)
    sales_order: fields.OneToOneRelation["SalesOrder"] = fields.OneToOneField(
        "lotline.SalesOrder", related_name="channel_order", on_delete=fields.RESTRICT
    )
    sales_order_id: int
    # open -> shipped -> completed; cancelled; refunded
    status = fields.CharField(max_length=16, default="open")
    refunded_at = fields.DatetimeField(null=True)

    class Meta:
        table = "channel_order"
        unique_together = (("channel", "platform_order_id"),)
