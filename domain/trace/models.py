"""Trace events (ours and captured), their links to batches, the heads of their hash chains, batch lineage,
and the two trace postings (transformations and destructions of rejected stock)."""

import json
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.inventory.models import Batch, Location


class TraceEvent(Model):
    # One EPCIS 2.0 event, immutable once written: never updated, never deleted.
    id = fields.BigIntField(primary_key=True)
    event_id = fields.CharField(max_length=128, unique=True)  # EPCIS Event Hash ID (CBV 2.0)
    event_type = fields.CharField(max_length=32)
    biz_step = fields.CharField(max_length=64, default="")
    action = fields.CharField(max_length=8, null=True)
    disposition = fields.CharField(max_length=64, null=True)
    event_time = fields.DatetimeField(db_index=True)
    origin = fields.CharField(max_length=16, default="internal")  # internal | external (captured)
    doc_type = fields.CharField(max_length=32, default="")
    doc_id = fields.IntField(null=True)
    # The one copy of the event: RFC 8785 canonical JSON, the exact bytes the leaf hashes and every page,
    # API and export renders (``body`` parses it). The columns above are indexes for queries, never shown.
    canonical = fields.TextField()
    leaf = fields.CharField(max_length=64)  # hex SHA-256 of ``canonical`` as recorded
    record_time = fields.DatetimeField(null=True)  # ours, also inside ``canonical`` as ``recordTime``
    created_at = fields.DatetimeField(auto_now_add=True)
    # Captured events only. ``declared_event_id``: the ``eventID`` the partner sent when it is not the hash
    # we computed (kept in ``body`` too, and flagged: never replaced); null when they agree or none was sent.
    # The capturing document's own ``@context`` and ``ignoreFields`` live inside ``canonical`` (hashed, see
    # ``capture_meta``), read through ``context``: no column of their own to drift from the anchored bytes.
    declared_event_id = fields.CharField(max_length=255, null=True, db_index=True)

    class Meta:
        table = "trace_event"
        indexes = (("doc_type", "doc_id"),)

    @property
    def body(self) -> dict[str, Any]:
        """The stored event as a dict, parsed from ``canonical`` (the hashed bytes, not a second copy)."""
        parsed: dict[str, Any] = json.loads(self.canonical)
        return parsed

    @property
    def context(self) -> list[Any] | None:
        """The capturing document's ``@context`` extras, read from the hashed JSON (None for our events)."""
        raw = self.body.get("lotline:capture")
        found = raw.get("context") if isinstance(raw, dict) else None
        return list(found) if isinstance(found, list) and found else None


class TraceStream(Model):
    # The head of one hash chain (one per lot, keyed by its EPCIS class): where the next event links to.
    # Only an append aid, locked FOR UPDATE while recording; verification never trusts it.
    id = fields.BigIntField(primary_key=True)
    stream = fields.CharField(max_length=255, unique=True)
    head_seq = fields.IntField(default=0)
    head_hash = fields.CharField(max_length=64, default="")
    first_time = fields.DatetimeField(null=True)  # eventTime of seq 1: the lot's receipt or production

    class Meta:
        table = "trace_stream"


class TraceEventBatch(Model):
    # Which lots an event is about, with the role the lot plays (object, input, output).
    id = fields.BigIntField(primary_key=True)
    event: fields.ForeignKeyRelation[TraceEvent] = fields.ForeignKeyField(
        "lotline.TraceEvent", related_name="lots", on_delete=fields.RESTRICT
    )
    event_id: int
    batch: fields.ForeignKeyNullableRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="trace_links", null=True, on_delete=fields.RESTRICT
    )
    batch_id: int | None
    epc_class = fields.CharField(max_length=255, db_index=True)
    role = fields.CharField(max_length=8, default="object")
    quantity = fields.DecimalField(max_digits=18, decimal_places=4, null=True)
    seq = fields.IntField(null=True)  # the event's number in this lot's hash chain (index of ``canonical``)

    class Meta:
        table = "trace_event_batch"
        indexes = (("batch_id", "event_id"), ("epc_class", "seq"))


class BatchLineage(Model):
    # An edge of the genealogy: ``parent`` went into ``child`` through a transformation event.
    id = fields.BigIntField(primary_key=True)
    parent: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="lineage_children", on_delete=fields.RESTRICT
    )
    parent_id: int
    child: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="lineage_parents", on_delete=fields.RESTRICT
    )
    child_id: int
    event: fields.ForeignKeyRelation[TraceEvent] = fields.ForeignKeyField(
        "lotline.TraceEvent", related_name="lineage", on_delete=fields.RESTRICT
    )
    event_id: int

    class Meta:
        table = "batch_lineage"
        unique_together = (("parent", "child", "event"),)
        indexes = (("child_id", "parent_id"),)


class Transformation(Model):
    # A repacking or processing run: input lots consumed, output lots created.
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    biz_step = fields.CharField(max_length=32, default="repackaging")
    note = fields.TextField(default="")
    posted_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "transformation"


class TransformationLine(Model):
    id = fields.IntField(primary_key=True)
    transformation: fields.ForeignKeyRelation[Transformation] = fields.ForeignKeyField(
        "lotline.Transformation", related_name="lines", on_delete=fields.CASCADE
    )
    transformation_id: int
    role = fields.CharField(max_length=8)  # input | output
    batch: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="transformation_lines", on_delete=fields.RESTRICT
    )
    batch_id: int
    location: fields.ForeignKeyRelation["Location"] = fields.ForeignKeyField(
        "lotline.Location", related_name="transformation_lines", on_delete=fields.RESTRICT
    )
    location_id: int
    quantity = fields.DecimalField(max_digits=18, decimal_places=4)  # base units
    unit_cost = fields.DecimalField(max_digits=20, decimal_places=4)

    class Meta:
        table = "transformation_line"


class BatchDestruction(Model):
    # Rejected stock sent to the scrap location, with the event that records it.
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=32, null=True, unique=True)
    batch: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="destructions", on_delete=fields.RESTRICT
    )
    batch_id: int
    quantity = fields.DecimalField(max_digits=18, decimal_places=4)
    reason = fields.TextField(default="")
    posted_at = fields.DatetimeField()

    class Meta:
        table = "batch_destruction"
