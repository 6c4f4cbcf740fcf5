"""Destruction of rejected or expired stock: written off to the scrap location with an ObjectEvent DELETE.

``batch_destroy`` is one transaction: ledger moves to scrap, the BatchDestruction document, the write-off
journal entry, the EPCIS 2.0 ObjectEvent (``destroying`` / ``destroyed``) and the outbox row. Quantities are
in base units. An unknown batch raises ``NotFound``, a batch not rejected or expired ``Conflict``, one with
no such stock on hand ``ValidationError`` (path ``batchId``).
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from domain.approvals import documents as approval_documents
from domain.approvals import gate as approval_gate
from domain.approvals.rules import DocumentType
from domain.catalog.models import Sku
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.finance import postings as finance
from domain.inventory import rules as stock_rules
from domain.inventory.ledger import MoveRequest, apply_moves, lock_skus
from domain.inventory.models import Batch, StockQuant, Warehouse
from domain.inventory.services import virtual_location
from domain.trace import identifiers, recording, vocabulary
from domain.trace.models import BatchDestruction

Status = stock_rules.StockStatus
Kind = stock_rules.LocationKind


async def batch_destroy(
    batch_id: int,
    posted_at: datetime,
    reason: str = "",
    key: str | None = None,
    requested_by_id: int | None = None,
) -> Posted:
    """Sends all rejected or expired stock of a batch to the scrap location (written off, with its journal
    entry), with an ObjectEvent DELETE / destroying. Expired lots are written off this way (issue 10)."""

    async def body() -> Posted:
        batch = await Batch.get_or_none(id=batch_id)
        if batch is None:
            raise NotFound("batch", batch_id, ("batchId",))
        if batch.status not in (Status.REJECTED, Status.EXPIRED):
            raise Conflict(
                f"batch {batch.lot_code} is {batch.status}: only rejected or expired stock is destroyed",
                ("batchId",),
            )

        async def write_off_gate(total: Decimal) -> None:
            def facts() -> Any:
                return approval_documents.write_off_facts(batch, total, reason)

            await approval_gate.gate(DocumentType.WRITE_OFF, None, facts, posted_at)

        doc = await destroy_held(batch, Status(batch.status), posted_at, reason, write_off_gate)
        return Posted("batch_destruction", doc.id, doc.number or "")

    return await approval_gate.guarded(
        lambda: posting("batch_destroy", key, body), requested_by_id, posted_at
    )


async def destroy_held(
    batch: Batch,
    held: Status,
    posted_at: datetime,
    reason: str,
    gate: Callable[[Decimal], Awaitable[None]] | None = None,
) -> BatchDestruction:
    """Inside the caller's transaction: every ``held`` stock of the batch to scrap, with its document, the
    write-off entry and the ObjectEvent DELETE / destroying. Rejected and expired stock (``batch_destroy``)
    and recalled, blocked stock (``domain.recall``) go this way. ``ValidationError`` when there is none.

    ``gate(total)`` runs once the quantity (base units) is known and before anything is written: the
    write-off approval of ``batch_destroy`` (it raises ``ApprovalRequired`` to hold the posting)."""
    await lock_skus([batch.sku_id])
    quants = (
        await StockQuant.filter(batch_id=batch.id, status=held, quantity__gt=0)
        .order_by("id")
        .prefetch_related("location")
    )
    if not quants:
        raise ValidationError(f"batch {batch.lot_code} has no {held} stock on hand", ("batchId",))
    total = sum((Decimal(q.quantity) for q in quants), Decimal(0))
    if gate is not None:
        await gate(total)
    doc = await BatchDestruction.create(batch=batch, quantity=total, reason=reason, posted_at=posted_at)
    doc.number = document_number("DS", doc.id)
    await doc.save(update_fields=["number"])
    scrap = await virtual_location(Kind.SCRAP)
    await apply_moves(
        [
            MoveRequest(batch.sku_id, batch.id, q.location, scrap, Decimal(q.quantity), from_status=held)
            for q in quants
        ],
        "batch_destruction",
        doc.id,
        posted_at,
    )
    await finance.book_write_off(doc.id, posted_at=posted_at)
    wh_id = quants[0].location.warehouse_id
    wh = await Warehouse.get_or_none(id=wh_id) if wh_id is not None else None
    sku = await Sku.get(id=batch.sku_id)
    await recording.record_lot_event(
        [recording.LotQuantity(batch, sku, total)],
        event_time=posted_at,
        action=vocabulary.Action.DELETE,
        biz_step="destroying",
        disposition="destroyed",
        read_point=recording.warehouse_place(wh) if wh else recording.place("LOTLINE"),
        doc_type="batch_destruction",
        doc_id=doc.id,
        biz_transactions=[identifiers.BizTransaction("urn:lotline:btt:destruction", doc.number or "")],
    )
    return doc
