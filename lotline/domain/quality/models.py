"""Quality checks: one inspection of one batch, from task to verdict."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from lotline.domain.inventory.models import Batch


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
