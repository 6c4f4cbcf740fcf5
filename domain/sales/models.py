"""Sales orders, shipments and customer returns."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.catalog.models import Sku
    from domain.channels.models import SalesChannel
    from domain.inventory.models import Batch, Location, Warehouse
    from domain.partners.models import Customer


class SalesOrder(Model):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    customer: fields.ForeignKeyRelation["Customer"] = fields.ForeignKeyField(
        "lotline.Customer", related_name="sales_orders", on_delete=fields.RESTRICT
    )
    customer_id: int
    warehouse: fields.ForeignKeyRelation["Warehouse"] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="sales_orders", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    # The sales channel the order came through (dine-in, a platform store, wholesale…); None: not recorded.
    channel: fields.ForeignKeyNullableRelation["SalesChannel"] = fields.ForeignKeyField(
        "lotline.SalesChannel", related_name="sales_orders", null=True, on_delete=fields.RESTRICT
    )
    channel_id: int | None
    # draft -> confirmed -> partially_shipped -> shipped -> closed; or cancelled
    status = fields.CharField(max_length=24, default="draft", db_index=True)
    currency = fields.CharField(max_length=3, default="CNY")
    requested_date = fields.DateField(null=True)
    note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    confirmed_at = fields.DatetimeField(null=True)
    # Custom field values (domain.customfields), canonical JSON by key; null (raw bulk inserts) reads as {}.
    custom: dict[str, Any] | None = fields.JSONField(default=dict, null=True)

    class Meta:
        table = "sales_order"


class SalesOrderLine(Model):
    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[SalesOrder] = fields.ForeignKeyField(
        "lotline.SalesOrder", related_name="lines", on_delete=fields.CASCADE
    )
    order_id: int
    sku: fields.ForeignKeyRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="so_lines", on_delete=fields.RESTRICT
    )
    sku_id: int
    unit = fields.CharField(max_length=16)
    quantity = fields.DecimalField(max_digits=18, decimal_places=4)
    unit_factor = fields.DecimalField(max_digits=18, decimal_places=4)
    unit_price = fields.DecimalField(max_digits=20, decimal_places=4)
    shipped_base = fields.DecimalField(max_digits=18, decimal_places=4, default=0)
    returned_base = fields.DecimalField(max_digits=18, decimal_places=4, default=0)

    class Meta:
        table = "sales_order_line"


class Shipment(Model):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    order: fields.ForeignKeyRelation[SalesOrder] = fields.ForeignKeyField(
        "lotline.SalesOrder", related_name="shipments", on_delete=fields.RESTRICT
    )
    order_id: int
    warehouse: fields.ForeignKeyRelation["Warehouse"] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="shipments", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    shipped_at = fields.DatetimeField(db_index=True)
    posted_by_id = fields.IntField(null=True)

    class Meta:
        table = "shipment"


class ShipmentLine(Model):
    id = fields.IntField(primary_key=True)
    shipment: fields.ForeignKeyRelation[Shipment] = fields.ForeignKeyField(
        "lotline.Shipment", related_name="lines", on_delete=fields.CASCADE
    )
    shipment_id: int
    order_line: fields.ForeignKeyRelation[SalesOrderLine] = fields.ForeignKeyField(
        "lotline.SalesOrderLine", related_name="shipment_lines", on_delete=fields.RESTRICT
    )
    order_line_id: int
    batch: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="shipment_lines", db_index=True, on_delete=fields.RESTRICT
    )
    batch_id: int
    location: fields.ForeignKeyRelation["Location"] = fields.ForeignKeyField(
        "lotline.Location", related_name="shipment_lines", on_delete=fields.RESTRICT
    )
    location_id: int
    quantity_base = fields.DecimalField(max_digits=18, decimal_places=4)
    unit_cost = fields.DecimalField(max_digits=20, decimal_places=4)

    class Meta:
        table = "shipment_line"


class CustomerReturn(Model):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    order: fields.ForeignKeyRelation[SalesOrder] = fields.ForeignKeyField(
        "lotline.SalesOrder", related_name="returns", on_delete=fields.RESTRICT
    )
    order_id: int
    reason = fields.TextField(default="")
    returned_at = fields.DatetimeField()

    class Meta:
        table = "customer_return"


class CustomerReturnLine(Model):
    id = fields.IntField(primary_key=True)
    customer_return: fields.ForeignKeyRelation[CustomerReturn] = fields.ForeignKeyField(
        "lotline.CustomerReturn", related_name="lines", on_delete=fields.CASCADE
    )
    customer_return_id: int
    order_line: fields.ForeignKeyRelation[SalesOrderLine] = fields.ForeignKeyField(
        "lotline.SalesOrderLine", related_name="return_lines", on_delete=fields.RESTRICT
    )
    order_line_id: int
    batch: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="customer_return_lines", db_index=True, on_delete=fields.RESTRICT
    )
    batch_id: int
    location: fields.ForeignKeyRelation["Location"] = fields.ForeignKeyField(
        "lotline.Location", related_name="customer_return_lines", on_delete=fields.RESTRICT
    )
    location_id: int
    quantity_base = fields.DecimalField(max_digits=18, decimal_places=4)
    unit_cost = fields.DecimalField(max_digits=20, decimal_places=4)

    class Meta:
        table = "customer_return_line"
