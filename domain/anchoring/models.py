"""Anchors (Merkle roots committed on chain) and each trace event's place and proof in one."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.trace.models import TraceEvent


class Anchor(Model):
    # One Merkle root of trace events, from its claim (pending) to its confirmation, or its drop by a reorg.
    # A dropped anchor keeps its row for history; its events lose their EventAnchor and are claimed again.
    id = fields.BigIntField(primary_key=True)
    root = fields.CharField(max_length=66, db_index=True)  # 0x hex; the same root may come back after a drop
    previous_root = fields.CharField(max_length=66, default="0x" + "00" * 32)
    leaf_count = fields.IntField()
    chain_id = fields.BigIntField()
    contract = fields.CharField(max_length=42)  # 0x hex, lower case
    status = fields.CharField(max_length=16, default="pending")  # rules.AnchorState
    tx_hash = fields.CharField(max_length=66, null=True)
    block_number = fields.BigIntField(null=True)
    block_hash = fields.CharField(max_length=66, null=True)  # unknown when adopted from a log after a crash
    created_at = fields.DatetimeField()
    submitted_at = fields.DatetimeField(null=True)
    confirmed_at = fields.DatetimeField(null=True)
    dropped_at = fields.DatetimeField(null=True)
    # The lease of a pending anchor: the worker that claimed it renews ``lease_expires_at`` by a heartbeat
    # while it works; once that lapses (the worker died) another worker takes it over. Null: no holder.
    lease_owner = fields.CharField(max_length=96, null=True)
    lease_expires_at = fields.DatetimeField(null=True)

    class Meta:
        table = "anchor"
        indexes = (("contract", "status", "block_number"),)


class EventAnchor(Model):
    # A trace event's leaf index and proof in its live anchor: at most one per event (the unique key is what
    # makes "anchored exactly once" hold even if two workers race past the row locks).
    id = fields.BigIntField(primary_key=True)
    event: fields.OneToOneRelation["TraceEvent"] = fields.OneToOneField(
        "lotline.TraceEvent", related_name="anchoring", on_delete=fields.RESTRICT
    )
    event_id: int
    anchor: fields.ForeignKeyRelation[Anchor] = fields.ForeignKeyField(
        "lotline.Anchor", related_name="events", on_delete=fields.CASCADE
    )
    anchor_id: int
    leaf_index = fields.IntField()
    proof: list[str] = fields.JSONField()  # 0x hex siblings, leaf to root

    class Meta:
        table = "event_anchor"
        unique_together = (("anchor", "leaf_index"),)
