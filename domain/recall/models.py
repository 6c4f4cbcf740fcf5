"""Recall documents: the recall of a batch and everything made from it, its lots and what it destroyed."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.inventory.models import Batch
    from domain.trace.models import BatchDestruction


class RecallDocument(Model):
    # One recall of a batch (the "root") and every lot made from it: open -> closed. While open, its lots
    # stay blocked wherever they are and no release or verdict takes them back to sale.
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    batch: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="recalls", on_delete=fields.RESTRICT
    )
    batch_id: int
    reason = fields.TextField(default="")
    notice_zh = fields.TextField(default="")  # what customers and the public page are told, in Chinese
    notice_en = fields.TextField(default="")  # and in English
    status = fields.CharField(max_length=16, default="open", db_index=True)  # open | closed
    opened_at = fields.DatetimeField()
    closed_at = fields.DatetimeField(null=True)
    summary: dict[str, Any] | None = fields.JSONField(null=True)  # rules.RecallSummary.as_dict() at close
    close_event_id = fields.BigIntField(null=True)  # the trace event recorded at close

    class Meta:
        table = "recall_document"


class RecallLot(Model):
    # A lot the recall reaches (the root and every lot made from it), with its status before the recall.
    id = fields.IntField(primary_key=True)
    recall: fields.ForeignKeyRelation[RecallDocument] = fields.ForeignKeyField(
        "lotline.RecallDocument", related_name="lots", on_delete=fields.RESTRICT
    )
    recall_id: int
    batch: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="recall_lots", on_delete=fields.RESTRICT
    )
    batch_id: int
    previous_status = fields.CharField(max_length=16)

    class Meta:
        table = "recall_lot"
        unique_together = (("recall", "batch"),)


class RecallDisposal(Model):
    # Recalled stock destroyed under the recall: the destruction document that wrote it off.
    id = fields.IntField(primary_key=True)
    recall: fields.ForeignKeyRelation[RecallDocument] = fields.ForeignKeyField(
        "lotline.RecallDocument", related_name="disposals", on_delete=fields.RESTRICT
    )
    recall_id: int
    destruction: fields.OneToOneRelation["BatchDestruction"] = fields.OneToOneField(
        "lotline.BatchDestruction", related_name="recall_disposal", on_delete=fields.RESTRICT
    )
    destruction_id: int
    batch_id = fields.IntField()
    quantity = fields.DecimalField(max_digits=18, decimal_places=4)  # base units
    posted_at = fields.DatetimeField()

    class Meta:
        table = "recall_disposal"
