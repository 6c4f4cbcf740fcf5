"""Purchase orders, goods receipts and returns to supplier."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.catalog.models import Sku
    from domain.inventory.models import Batch, Location, Warehouse
    from domain.partners.models import Supplier


class PurchaseOrder(Model):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    supplier: fields.ForeignKeyRelation["Supplier"] = fields.ForeignKeyField(
        "lotline.Supplier", related_name="purchase_orders", on_delete=fields.RESTRICT
    )
    supplier_id: int
    warehouse: fields.ForeignKeyRelation["Warehouse"] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="purchase_orders", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    # draft -> confirmed -> partially_received -> received -> closed; or cancelled
    status = fields.CharField(max_length=24, default="draft", db_index=True)
    currency = fields.CharField(max_length=3, default="CNY")
    expected_date = fields.DateField(null=True)
    # 账期: days to pay agreed on this order (null: the supplier's terms apply); approval rules read it.
    payment_terms_days = fields.IntField(null=True)
    note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    confirmed_at = fields.DatetimeField(null=True)
    # Custom field values (domain.customfields), canonical JSON by key; null (raw bulk inserts) reads as {}.
    custom: dict[str, Any] | None = fields.JSONField(default=dict, null=True)

    class Meta:
        table = "purchase_order"


class PurchaseOrderLine(Model):
    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[PurchaseOrder] = fields.ForeignKeyField(
        "lotline.PurchaseOrder", related_name="lines", on_delete=fields.CASCADE
    )
    order_id: int
    sku: fields.ForeignKeyRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="po_lines", on_delete=fields.RESTRICT
    )
    sku_id: int
    unit = fields.CharField(max_length=16)
    quantity = fields.DecimalField(max_digits=18, decimal_places=4)  # in `unit`
    unit_factor = fields.DecimalField(
        max_digits=18, decimal_places=4
    )  # base units per `unit`, frozen at ordering
    unit_price = fields.DecimalField(max_digits=20, decimal_places=4)  # per `unit`, before tax
    received_base = fields.DecimalField(max_digits=18, decimal_places=4, default=0)
    returned_base = fields.DecimalField(max_digits=18, decimal_places=4, default=0)
    # Custom field values (domain.customfields), canonical JSON by key; null (raw bulk inserts) reads as {}.
    custom: dict[str, Any] | None = fields.JSONField(default=dict, null=True)

    class Meta:
        table = "purchase_order_line"


class GoodsReceipt(Model):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    order: fields.ForeignKeyRelation[PurchaseOrder] = fields.ForeignKeyField(
        "lotline.PurchaseOrder", related_name="receipts", on_delete=fields.RESTRICT
    )
    order_id: int
    warehouse: fields.ForeignKeyRelation["Warehouse"] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="receipts", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    received_at = fields.DatetimeField(db_index=True)
    posted_by_id = fields.IntField(null=True)
    # Custom field values (domain.customfields), canonical JSON by key; null (raw bulk inserts) reads as {}.
    custom: dict[str, Any] | None = fields.JSONField(default=dict, null=True)

    class Meta:
        table = "goods_receipt"


class GoodsReceiptLine(Model):
    id = fields.IntField(primary_key=True)
    receipt: fields.ForeignKeyRelation[GoodsReceipt] = fields.ForeignKeyField(
        "lotline.GoodsReceipt", related_name="lines", on_delete=fields.CASCADE
    )
    receipt_id: int
    order_line: fields.ForeignKeyRelation[PurchaseOrderLine] = fields.ForeignKeyField(
        "lotline.PurchaseOrderLine", related_name="receipt_lines", on_delete=fields.RESTRICT
    )
    order_line_id: int
    batch: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="receipt_lines", db_index=True, on_delete=fields.RESTRICT
    )
    batch_id: int
    location: fields.ForeignKeyRelation["Location"] = fields.ForeignKeyField(
        "lotline.Location", related_name="receipt_lines", on_delete=fields.RESTRICT
    )
    location_id: int
    quantity_base = fields.DecimalField(max_digits=18, decimal_places=4)
    unit_cost = fields.DecimalField(max_digits=20, decimal_places=4)  # per base unit

    class Meta:
        table = "goods_receipt_line"


class SupplierReturn(Model):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    order: fields.ForeignKeyRelation[PurchaseOrder] = fields.ForeignKeyField(
        "lotline.PurchaseOrder", related_name="returns", on_delete=fields.RESTRICT
    )
    order_id: int
    reason = fields.TextField(default="")
    returned_at = fields.DatetimeField()

    class Meta:
        table = "supplier_return"


class SupplierReturnLine(Model):
    id = fields.IntField(primary_key=True)
    supplier_return: fields.ForeignKeyRelation[SupplierReturn] = fields.ForeignKeyField(
        "lotline.SupplierReturn", related_name="lines", on_delete=fields.CASCADE
    )
    supplier_return_id: int
    order_line: fields.ForeignKeyRelation[PurchaseOrderLine] = fields.ForeignKeyField(
        "lotline.PurchaseOrderLine", related_name="return_lines", on_delete=fields.RESTRICT
    )
    order_line_id: int
    batch: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="supplier_return_lines", on_delete=fields.RESTRICT
    )
    batch_id: int
    location: fields.ForeignKeyRelation["Location"] = fields.ForeignKeyField(
        "lotline.Location", related_name="supplier_return_lines", on_delete=fields.RESTRICT
    )
    location_id: int
    quantity_base = fields.DecimalField(max_digits=18, decimal_places=4)
    unit_cost = fields.DecimalField(max_digits=20, decimal_places=4)

    class Meta:
        table = "supplier_return_line"
