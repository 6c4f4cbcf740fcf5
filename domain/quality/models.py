"""Quality checks (one inspection of one batch, task to verdict) and batch alerts (cold-chain excursions)."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.inventory.models import Batch
    from domain.partners.models import User
    from domain.trace.models import TraceEvent


class QualityCheck(Model):
    # pending (task opened) -> inspecting (batch locked) -> passed | failed
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    batch: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="quality_checks", db_index=True, on_delete=fields.RESTRICT
    )
    batch_id: int
    status = fields.CharField(max_length=16, default="pending", db_index=True)
    origin_doc_type = fields.CharField(max_length=32, default="")
    origin_doc_id = fields.IntField(null=True)
    inspector = fields.CharField(max_length=64, default="")
    results: list[dict[str, Any]] = fields.JSONField(default=list)
    attachments: list[dict[str, Any]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField()
    started_at = fields.DatetimeField(null=True)
    decided_at = fields.DatetimeField(null=True)

    class Meta:
        table = "quality_check"


class BatchAlert(Model):
    # A sensor reading of a posting outside the SKU's allowed range: raised in the posting's transaction,
    # never blocking stock (the quality team decides), acknowledged once by someone with QUALITY.
    id = fields.IntField(primary_key=True)
    batch: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="alerts", on_delete=fields.RESTRICT
    )
    batch_id: int
    kind = fields.CharField(max_length=32)  # rules.AlertKind: temperature_high, temperature_low…
    value = fields.DecimalField(max_digits=12, decimal_places=4)
    limit = fields.DecimalField(max_digits=12, decimal_places=4)
    reading_time = fields.DatetimeField(null=True)
    device_id = fields.CharField(max_length=128, null=True)
    trace_event: fields.ForeignKeyRelation["TraceEvent"] = fields.ForeignKeyField(
        "lotline.TraceEvent", related_name="alerts", on_delete=fields.RESTRICT
    )
    trace_event_id: int
    doc_type = fields.CharField(max_length=32)
    doc_id = fields.IntField()
    doc_number = fields.CharField(max_length=32, default="")
    created_at = fields.DatetimeField()
    acknowledged_at = fields.DatetimeField(null=True)
    acknowledged_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "lotline.User", related_name="acknowledged_alerts", null=True, on_delete=fields.RESTRICT
    )
    acknowledged_by_id: int | None
    note = fields.CharField(max_length=500, default="")

    class Meta:
        table = "batch_alert"
        indexes = (("batch_id", "acknowledged_at"),)
