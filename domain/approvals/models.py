"""Approval rules, the requests a gated document opens, and every decision taken on them."""

from typing import Any

from tortoise import fields
from tortoise.models import Model


# A rule as data: JSON Logic condition over a document type's facts, levels (role or user, amount tier).
class ApprovalRule(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    document_type = fields.CharField(max_length=32, db_index=True)
    condition: Any = fields.JSONField()
    levels: list[dict[str, Any]] = fields.JSONField()  # [{"approver_role"|"approver_user_id", "min_amount"}]
    on_reject = fields.CharField(max_length=16, default="back_to_draft")
    active = fields.BooleanField(default=True)
    created_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "approval_rule"


# One document (or prospective document) waiting for, or done with, its approval steps.
class ApprovalRequest(Model):
    id = fields.IntField(primary_key=True)
    document_type = fields.CharField(max_length=32)
    subject = fields.CharField(max_length=32)  # the document id, or "new" before the document exists
    document_id = fields.IntField(null=True)
    facts: dict[str, Any] = fields.JSONField()
    digest = fields.CharField(max_length=64)
    steps: list[list[Any]] = fields.JSONField()  # snapshot of the required steps when asked
    on_reject = fields.CharField(max_length=16)
    # pending -> approved -> used; pending -> rejected; pending -> superseded (the document changed)
    status = fields.CharField(max_length=16, default="pending", db_index=True)
    # "<type>:<subject>:<digest>" while pending or approved, null after: one open request per content
    open_key = fields.CharField(max_length=120, null=True, unique=True)
    requested_by_id = fields.IntField(null=True)
    requested_at = fields.DatetimeField()
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "approval_request"
        indexes = (("document_type", "subject"),)


# Who approved or rejected which step, when and why: append-only.
class ApprovalDecision(Model):
    id = fields.IntField(primary_key=True)
    request: fields.ForeignKeyRelation[ApprovalRequest] = fields.ForeignKeyField(
        "lotline.ApprovalRequest", related_name="decisions", on_delete=fields.RESTRICT
    )
    request_id: int
    step = fields.IntField()
    level = fields.IntField()
    user_id = fields.IntField()
    username = fields.CharField(max_length=64)
    role = fields.CharField(max_length=24)
    verdict = fields.CharField(max_length=16)
    reason = fields.TextField(default="")
    decided_at = fields.DatetimeField()

    class Meta:
        table = "approval_decision"
