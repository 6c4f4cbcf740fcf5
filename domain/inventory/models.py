"""Warehouses, locations, batches, the stock ledger and the read models rebuilt from it."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.catalog.models import Sku
    from domain.partners.models import Supplier


class Warehouse(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=200)
    gln = fields.CharField(max_length=13, null=True)
    active = fields.BooleanField(default=True)

    class Meta:
        table = "warehouse"


class Location(Model):
    # A place stock can be. Internal locations form a tree per warehouse; the other kinds are
    # the virtual counterparts of the ledger (supplier, customer, adjustment, transit, scrap).
    id = fields.IntField(primary_key=True)
    warehouse: fields.ForeignKeyNullableRelation[Warehouse] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="locations", null=True, on_delete=fields.RESTRICT
    )
    warehouse_id: int | None
    parent: fields.ForeignKeyNullableRelation["Location"] = fields.ForeignKeyField(
        "lotline.Location", related_name="children", null=True, on_delete=fields.RESTRICT
    )
    parent_id: int | None
    code = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=200)
    path = fields.CharField(max_length=500, db_index=True)  # "WH1/A/A-01": subtree queries by prefix
    kind = fields.CharField(max_length=16, default="internal")
    frozen = fields.BooleanField(default=False)  # set by a stock count: no moves in or out
    capacity = fields.DecimalField(max_digits=18, decimal_places=4, null=True)

    class Meta:
        table = "location"


class Batch(Model):
    id = fields.IntField(primary_key=True)
    sku: fields.ForeignKeyRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="batches", on_delete=fields.RESTRICT
    )
    sku_id: int
    lot_code = fields.CharField(max_length=64)
    supplier: fields.ForeignKeyNullableRelation["Supplier"] = fields.ForeignKeyField(
        "lotline.Supplier", related_name="batches", null=True, on_delete=fields.RESTRICT
    )
    supplier_id: int | None
    production_date = fields.DateField(null=True)
    expiry_date = fields.DateField(null=True, db_index=True)
    best_before_date = fields.DateField(null=True)
    status = fields.CharField(max_length=16, default="available", db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # Custom field values (domain.customfields), canonical JSON by key; null (raw bulk inserts) reads as {}.
    custom: dict[str, Any] | None = fields.JSONField(default=dict, null=True)

    class Meta:
        table = "batch"
        unique_together = (("sku", "lot_code"),)


class StockMove(Model):
    # One append-only ledger line. Never updated, never deleted: corrections are new moves.
    id = fields.BigIntField(primary_key=True)
    sku: fields.ForeignKeyRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="moves", on_delete=fields.RESTRICT
    )
    sku_id: int
    batch: fields.ForeignKeyRelation[Batch] = fields.ForeignKeyField(
        "lotline.Batch", related_name="moves", on_delete=fields.RESTRICT
    )
    batch_id: int
    from_location: fields.ForeignKeyRelation[Location] = fields.ForeignKeyField(
        "lotline.Location", related_name="moves_out", on_delete=fields.RESTRICT
    )
    from_location_id: int
    to_location: fields.ForeignKeyRelation[Location] = fields.ForeignKeyField(
        "lotline.Location", related_name="moves_in", on_delete=fields.RESTRICT
    )
    to_location_id: int
    from_status = fields.CharField(max_length=16)
    to_status = fields.CharField(max_length=16)
    quantity = fields.DecimalField(max_digits=18, decimal_places=4)  # base units, always > 0
    unit_cost = fields.DecimalField(max_digits=20, decimal_places=4)
    value = fields.DecimalField(max_digits=20, decimal_places=4)
    doc_type = fields.CharField(max_length=32)
    doc_id = fields.IntField()
    posted_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "stock_move"
        indexes = (("doc_type", "doc_id"), ("batch_id", "posted_at"))


class StockQuant(Model):
    # On hand per SKU × location × batch × status: a read model of the ledger.
    id = fields.BigIntField(primary_key=True)
    sku: fields.ForeignKeyRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="quants", on_delete=fields.RESTRICT
    )
    sku_id: int
    location: fields.ForeignKeyRelation[Location] = fields.ForeignKeyField(
        "lotline.Location", related_name="quants", on_delete=fields.RESTRICT
    )
    location_id: int
    warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="quants", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    batch: fields.ForeignKeyRelation[Batch] = fields.ForeignKeyField(
        "lotline.Batch", related_name="quants", db_index=True, on_delete=fields.RESTRICT
    )
    batch_id: int
    status = fields.CharField(max_length=16)
    quantity = fields.DecimalField(max_digits=18, decimal_places=4, default=0)
    reserved = fields.DecimalField(max_digits=18, decimal_places=4, default=0)
    # The batch's place in FEFO order (``rules.fefo_dates``), copied here as Odoo copies a lot's removal
    # date onto its quants: PostgreSQL reads a SKU's stock in FEFO order from one index and stops at what a
    # shipment needs (``fefo_prefix``, issue 15) instead of joining and ranking every lot of the SKU.
    # Set once when the quant is written (``ledger``): a batch's dates never change after it is created
    # (they are in its trace events' hashes); ``consistency`` reports a copy that disagrees.
    fefo_limit = fields.DateField()
    fefo_expiry = fields.DateField()

    class Meta:
        table = "stock_quant"
        unique_together = (("sku", "location", "batch", "status"),)
        indexes = (("warehouse_id", "sku_id"),)


class SkuValuation(Model):
    # Moving-average cost per SKU (company-wide, as Odoo's AVCO): a read model of the ledger.
    sku: fields.OneToOneRelation["Sku"] = fields.OneToOneField(
        "lotline.Sku", related_name="valuation", primary_key=True, on_delete=fields.RESTRICT
    )
    sku_id: int
    quantity = fields.DecimalField(max_digits=18, decimal_places=4, default=0)
    value = fields.DecimalField(max_digits=20, decimal_places=4, default=0)
    average_cost = fields.DecimalField(max_digits=20, decimal_places=4, default=0)

    class Meta:
        table = "sku_valuation"


class Reservation(Model):
    # Stock promised to a sales order line, held on a specific quant (FEFO at confirmation).
    id = fields.BigIntField(primary_key=True)
    quant: fields.ForeignKeyRelation[StockQuant] = fields.ForeignKeyField(
        "lotline.StockQuant", related_name="reservations", on_delete=fields.RESTRICT
    )
    quant_id: int
    doc_type = fields.CharField(max_length=32)
    doc_line_id = fields.IntField(db_index=True)
    quantity = fields.DecimalField(max_digits=18, decimal_places=4)

    class Meta:
        table = "reservation"


class StockCount(Model):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="counts", on_delete=fields.RESTRICT
    )
    warehouse_id: int
    status = fields.CharField(max_length=16, default="frozen")  # frozen -> posted | cancelled
    created_at = fields.DatetimeField(auto_now_add=True)
    posted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "stock_count"


class StockCountLocation(Model):
    id = fields.IntField(primary_key=True)
    count: fields.ForeignKeyRelation[StockCount] = fields.ForeignKeyField(
        "lotline.StockCount", related_name="locations", on_delete=fields.CASCADE
    )
    count_id: int
    location: fields.ForeignKeyRelation[Location] = fields.ForeignKeyField(
        "lotline.Location", related_name="count_links", on_delete=fields.RESTRICT
    )
    location_id: int

    class Meta:
        table = "stock_count_location"


class StockCountLine(Model):
    id = fields.IntField(primary_key=True)
    count: fields.ForeignKeyRelation[StockCount] = fields.ForeignKeyField(
        "lotline.StockCount", related_name="lines", on_delete=fields.CASCADE
    )
    count_id: int
    location: fields.ForeignKeyRelation[Location] = fields.ForeignKeyField(
        "lotline.Location", related_name="count_lines", on_delete=fields.RESTRICT
    )
    location_id: int
    batch: fields.ForeignKeyRelation[Batch] = fields.ForeignKeyField(
        "lotline.Batch", related_name="count_lines", on_delete=fields.RESTRICT
    )
    batch_id: int
    status = fields.CharField(max_length=16, default="available")  # the stock's status, kept by the count
    expected = fields.DecimalField(max_digits=18, decimal_places=4)  # on hand when the location was frozen
    counted = fields.DecimalField(max_digits=18, decimal_places=4, null=True)

    class Meta:
        table = "stock_count_line"
        unique_together = (("count", "location", "batch", "status"),)


class Transfer(Model):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    from_warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="transfers_out", on_delete=fields.RESTRICT
    )
    from_warehouse_id: int
    to_warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "lotline.Warehouse", related_name="transfers_in", on_delete=fields.RESTRICT
    )
    to_warehouse_id: int
    status = fields.CharField(max_length=16, default="in_transit")  # in_transit -> received
    shipped_at = fields.DatetimeField()
    received_at = fields.DatetimeField(null=True)

    class Meta:
        table = "transfer"


class TransferLine(Model):
    id = fields.IntField(primary_key=True)
    transfer: fields.ForeignKeyRelation[Transfer] = fields.ForeignKeyField(
        "lotline.Transfer", related_name="lines", on_delete=fields.CASCADE
    )
    transfer_id: int
    sku: fields.ForeignKeyRelation["Sku"] = fields.ForeignKeyField(
        "lotline.Sku", related_name="transfer_lines", on_delete=fields.RESTRICT
    )
    sku_id: int
    batch: fields.ForeignKeyRelation[Batch] = fields.ForeignKeyField(
        "lotline.Batch", related_name="transfer_lines", on_delete=fields.RESTRICT
    )
    batch_id: int
    from_location: fields.ForeignKeyRelation[Location] = fields.ForeignKeyField(
        "lotline.Location", related_name="transfer_lines_out", on_delete=fields.RESTRICT
    )
    from_location_id: int
    status = fields.CharField(max_length=16, default="available")  # the stock's status, kept in transit
    quantity = fields.DecimalField(max_digits=18, decimal_places=4)

    class Meta:
        table = "transfer_line"
