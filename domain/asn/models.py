"""Supplier collaboration: order acknowledgements, advance shipping notices (ASN), their differences from
what was received, and quality certificates stored by content hash.

Quantities of ASN and acknowledgement lines are in the order line's unit; dates are business dates.
"""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.inventory.models import Batch
    from domain.partners.models import Supplier
    from domain.purchasing.models import GoodsReceipt, PurchaseOrder, PurchaseOrderLine
    from domain.trace.models import TraceEvent


class PurchaseOrderLineAck(Model):
    # Append-only: a re-promise is a new row; the latest per line is the supplier's current word.
    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation["PurchaseOrder"] = fields.ForeignKeyField(
        "lotline.PurchaseOrder", related_name="line_acks", on_delete=fields.RESTRICT
    )
    order_id: int
    order_line: fields.ForeignKeyRelation["PurchaseOrderLine"] = fields.ForeignKeyField(
        "lotline.PurchaseOrderLine", related_name="acks", on_delete=fields.RESTRICT
    )
    order_line_id: int
    decision = fields.CharField(max_length=16)  # accepted | declined
    promised_date = fields.DateField(null=True)
    promised_quantity = fields.DecimalField(max_digits=18, decimal_places=4)  # in the order line's unit
    note = fields.TextField(default="")
    acknowledged_at = fields.DatetimeField()
    acknowledged_by_id = fields.IntField(null=True)

    class Meta:
        table = "purchase_order_line_ack"
        indexes = (("order_line_id", "id"),)


class AdvanceShippingNotice(Model):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    order: fields.ForeignKeyRelation["PurchaseOrder"] = fields.ForeignKeyField(
        "lotline.PurchaseOrder", related_name="asns", on_delete=fields.RESTRICT
    )
    order_id: int
    supplier: fields.ForeignKeyRelation["Supplier"] = fields.ForeignKeyField(
        "lotline.Supplier", related_name="asns", on_delete=fields.RESTRICT
    )
    supplier_id: int
    # open -> received; or cancelled
    status = fields.CharField(max_length=16, default="open", db_index=True)
    expected_arrival = fields.DatetimeField()
    note = fields.TextField(default="")
    sensor_readings: list[dict[str, Any]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField()
    created_by_id = fields.IntField(null=True)
    receipt: fields.ForeignKeyNullableRelation["GoodsReceipt"] = fields.ForeignKeyField(
        "lotline.GoodsReceipt", related_name="asns", null=True, on_delete=fields.RESTRICT
    )
    receipt_id: int | None
    received_at = fields.DatetimeField(null=True)
    # Cancelled before receipt (by the supplier or a buyer): who, when and why stay on the notice.
    cancelled_at = fields.DatetimeField(null=True)
    cancelled_by_id = fields.IntField(null=True)
    cancel_reason = fields.TextField(default="")
    # Custom field values (domain.customfields), canonical JSON by key; null (raw bulk inserts) reads as {}.
    custom: dict[str, Any] | None = fields.JSONField(default=dict, null=True)

    class Meta:
        table = "advance_shipping_notice"


class AsnLine(Model):
    id = fields.IntField(primary_key=True)
    asn: fields.ForeignKeyRelation[AdvanceShippingNotice] = fields.ForeignKeyField(
        "lotline.AdvanceShippingNotice", related_name="lines", on_delete=fields.CASCADE
    )
    asn_id: int
    order_line: fields.ForeignKeyRelation["PurchaseOrderLine"] = fields.ForeignKeyField(
        "lotline.PurchaseOrderLine", related_name="asn_lines", on_delete=fields.RESTRICT
    )
    order_line_id: int
    lot_code = fields.CharField(max_length=64)
    quantity = fields.DecimalField(max_digits=18, decimal_places=4)  # in the order line's unit
    production_date = fields.DateField(null=True)
    expiry_date = fields.DateField(null=True)
    best_before_date = fields.DateField(null=True)

    class Meta:
        table = "asn_line"


class AsnDifference(Model):
    # What the receipt posted from an ASN found different from the notice (one row per field that differs).
    id = fields.IntField(primary_key=True)
    asn: fields.ForeignKeyRelation[AdvanceShippingNotice] = fields.ForeignKeyField(
        "lotline.AdvanceShippingNotice", related_name="differences", on_delete=fields.CASCADE
    )
    asn_id: int
    asn_line_id = fields.IntField(null=True)
    field = fields.CharField(max_length=24)  # quantity | lot_code | production_date | expiry_date | …
    expected = fields.CharField(max_length=64, default="")
    received = fields.CharField(max_length=64, default="")

    class Meta:
        table = "asn_difference"


class Certificate(Model):
    # A quality certificate or test report; the file lives under the upload directory by its SHA-256.
    id = fields.IntField(primary_key=True)
    supplier: fields.ForeignKeyRelation["Supplier"] = fields.ForeignKeyField(
        "lotline.Supplier", related_name="certificates", on_delete=fields.RESTRICT
    )
    supplier_id: int
    asn: fields.ForeignKeyNullableRelation[AdvanceShippingNotice] = fields.ForeignKeyField(
        "lotline.AdvanceShippingNotice", related_name="certificates", null=True, on_delete=fields.RESTRICT
    )
    asn_id: int | None
    asn_line_id = fields.IntField(null=True)
    batch: fields.ForeignKeyNullableRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="certificates", null=True, on_delete=fields.RESTRICT
    )
    batch_id: int | None
    lot_code = fields.CharField(max_length=64)
    kind = fields.CharField(max_length=24)  # quality_certificate | test_report
    sha256 = fields.CharField(max_length=64, db_index=True)
    content_type = fields.CharField(max_length=32)
    size = fields.IntField()
    filename = fields.CharField(max_length=200, default="")
    uploaded_at = fields.DatetimeField()
    uploaded_by_id = fields.IntField(null=True)
    event: fields.ForeignKeyNullableRelation["TraceEvent"] = fields.ForeignKeyField(
        "lotline.TraceEvent", related_name="certificates", null=True, on_delete=fields.RESTRICT
    )
    event_id: int | None

    class Meta:
        table = "certificate"


class Arrival(Model):
    # 到货登记 (gate-in): the truck is at the dock, recorded by the receiving side before anything is counted.
    # Optionally of an ASN (one arrival per ASN); the timeliness metrics "ASN before arrival" and
    # "arrival to receipt posting" are measured from it.
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    order: fields.ForeignKeyRelation["PurchaseOrder"] = fields.ForeignKeyField(
        "lotline.PurchaseOrder", related_name="arrivals", on_delete=fields.RESTRICT
    )
    order_id: int
    supplier: fields.ForeignKeyRelation["Supplier"] = fields.ForeignKeyField(
        "lotline.Supplier", related_name="arrivals", on_delete=fields.RESTRICT
    )
    supplier_id: int
    asn: fields.ForeignKeyNullableRelation[AdvanceShippingNotice] = fields.ForeignKeyField(
        "lotline.AdvanceShippingNotice",
        related_name="arrivals",
        null=True,
        unique=True,
        on_delete=fields.RESTRICT,
    )
    asn_id: int | None
    arrived_at = fields.DatetimeField(db_index=True)
    vehicle = fields.CharField(max_length=32, default="")  # plate number, as the gate writes it
    note = fields.TextField(default="")
    recorded_at = fields.DatetimeField()
    recorded_by_id = fields.IntField(null=True)

    class Meta:
        table = "arrival"
