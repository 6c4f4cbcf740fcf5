"""Recall use cases: open (block every affected lot wherever it is), destroy recalled stock, close.

One use case = one transaction with an idempotency key (``posting``). The lots a recall reaches are the
trace recall's (``domain.trace.recall``: the batch and everything made from it); customers and quantities
come from the same query, read again whenever they are asked for, so a customer return posted after the
recall opened (``domain.sales.returns``: a recalled lot comes back blocked) shows as returned.

* ``recall_open`` -- the recall document, its lots, and each available or quarantined lot blocked (its stock
  in every warehouse and in transit, through the ledger, with a ``holding`` / ``recalled`` event).
  ``Conflict`` when the batch already has an open recall.
* ``recall_destroy`` -- a recalled lot's blocked (or rejected, expired) stock written off to scrap
  (``destruction.destroy_held``: ledger, journal, event), remembered on the recall.
* ``recall_close`` -- the summary (``rules.summarize``) and an EPCIS ObjectEvent (``holding`` /
  ``recalled``) over the recalled lots; the lots stay blocked.
* ``recall_notice`` -- the document, its lots and its customers (with the notice rows of the CSV export).
* ``open_recall_of`` -- the recall notice a batch's public page shows, if any.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.catalog.models import Sku
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, document_number, posting
from domain.inventory import rules as stock_rules
from domain.inventory.ledger import lock_skus
from domain.inventory.models import Batch, StockQuant
from domain.inventory.services import set_batch_status
from domain.recall import rules
from domain.recall.models import RecallDisposal, RecallDocument, RecallLot
from domain.trace import builders, destruction, recorders, recording
from domain.trace import recall as trace_recall

MAX_NOTICE = 2000


@dataclass(frozen=True)
class RecallLotView:
    batch_id: int
    sku_code: str
    lot_code: str
    previous_status: str
    status: str


@dataclass(frozen=True)
class RecallNotice:
    id: int
    number: str
    batch_id: int
    status: str
    reason: str
    notice_zh: str
    notice_en: str
    opened_at: datetime
    closed_at: datetime | None
    lots: list[RecallLotView]
    customers: list[rules.CustomerLine]
    destroyed: list[tuple[int, str, Decimal]]  # (batch id, destruction number, quantity)
    summary: dict[str, object] | None

    def csv(self) -> bytes:
        """The customer notice export (``rules.notice_rows``), UTF-8 CSV."""
        rows = rules.notice_rows(self.number, self.notice_zh, self.notice_en, self.customers)
        return rules.to_csv(rows)


@dataclass(frozen=True)
class PublicRecall:
    """What a batch's public page says of its recall: number, day opened, notice, closed or not."""

    number: str
    opened_at: datetime
    notice_zh: str
    notice_en: str
    closed: bool


def _text(value: str, path: str) -> str:
    text = value.strip()
    if len(text) > MAX_NOTICE:
        raise ValidationError(f"at most {MAX_NOTICE} characters", (path,))
    return text


async def recall_open(
    batch_id: int, reason: str, notice_zh: str, notice_en: str, posted_at: datetime, key: str | None = None
) -> Posted:
    """Opens a recall of the batch and everything made from it, blocking each lot (see the module)."""
    reason, notice_zh, notice_en = (
        _text(reason, "reason"),
        _text(notice_zh, "noticeZh"),
        _text(notice_en, "noticeEn"),
    )
    if not notice_zh or not notice_en:
        raise ValidationError("a recall notice needs its Chinese and English text", ("noticeZh",))

    async def body() -> Posted:
        found = await trace_recall.recall(batch_id)  # NotFound for an unknown batch
        ids = [b.id for b in found.affected_batches]
        batches = {b.id: b for b in await Batch.filter(id__in=ids)}
        await lock_skus(b.sku_id for b in batches.values())  # every SKU first, in id order: no deadlock
        if await RecallDocument.exists(batch_id=batch_id, status=rules.RecallStatus.OPEN):
            raise Conflict(f"batch {found.batch.lot_code} already has an open recall", ("batchId",))
        doc = await RecallDocument.create(
            batch_id=batch_id,
            reason=reason,
            notice_zh=notice_zh,
            notice_en=notice_en,
            opened_at=posted_at,
        )
        doc.number = document_number("RC", doc.id)
        await doc.save(update_fields=["number"])
        await RecallLot.bulk_create(
            [
                RecallLot(recall_id=doc.id, batch_id=i, previous_status=batches[i].status)
                for i in sorted(batches)
            ]
        )
        transaction = builders.BizTransaction("urn:lotline:btt:recall", doc.number)
        for i in rules.lots_to_block({i: b.status for i, b in batches.items()}):
            blocked = await set_batch_status(i, stock_rules.StockStatus.BLOCKED, posted_at, "recall_block")
            await recorders.record_batch_status(blocked, "recall_block", posted_at, doc.id, [transaction])
        return Posted("recall_document", doc.id, doc.number)

    return await posting("recall_open", key, body)


async def _open(recall_id: int) -> RecallDocument:
    doc = await RecallDocument.get_or_none(id=recall_id)
    if doc is None:
        raise NotFound("recall", recall_id, ("recallId",))
    if doc.status != rules.RecallStatus.OPEN:
        raise Conflict(f"recall {doc.number} is {doc.status}", ("recallId",))
    return doc


async def recall_destroy(
    recall_id: int, batch_id: int, posted_at: datetime, reason: str = "", key: str | None = None
) -> Posted:
    """Writes a recalled lot's blocked (or rejected, expired) stock off to scrap, under the recall."""

    async def body() -> Posted:
        doc = await _open(recall_id)
        if not await RecallLot.exists(recall_id=doc.id, batch_id=batch_id):
            raise NotFound("batch", batch_id, ("batchId",))  # not one of this recall's lots
        batch = await Batch.get(id=batch_id)
        if batch.status not in rules.DESTROYABLE:
            raise Conflict(f"batch {batch.lot_code} is {batch.status}, not held by the recall", ("batchId",))
        why = reason.strip() or f"recall {doc.number}"
        destroyed = await destruction.destroy_held(
            batch, stock_rules.StockStatus(batch.status), posted_at, why
        )
        await RecallDisposal.create(
            recall_id=doc.id,
            destruction_id=destroyed.id,
            batch_id=batch.id,
            quantity=destroyed.quantity,
            posted_at=posted_at,
        )
        return Posted("batch_destruction", destroyed.id, destroyed.number or "")

    return await posting("recall_destroy", key, body)


async def _customers(batch_id: int) -> list[rules.CustomerLine]:
    found = await trace_recall.recall(batch_id)
    return [
        rules.CustomerLine(c.customer.code, c.customer.name, tuple(c.lots), dict(c.shipped), dict(c.returned))
        for c in found.customers
    ]


async def _held(batch_ids: list[int]) -> list[tuple[str, Decimal]]:
    owned = [k.value for k in stock_rules.OWNED_KINDS]
    quants = await StockQuant.filter(batch_id__in=batch_ids, quantity__gt=0, location__kind__in=owned)
    units = {s.id: s.base_unit for s in await Sku.filter(id__in={q.sku_id for q in quants})}
    return [(units[q.sku_id], Decimal(q.quantity)) for q in quants]


async def recall_close(recall_id: int, posted_at: datetime, key: str | None = None) -> Posted:
    """Closes the recall with its summary and an EPCIS record over its lots; they stay blocked."""

    async def body() -> Posted:
        doc = await _open(recall_id)
        rows = await RecallLot.filter(recall_id=doc.id).values_list("batch_id", flat=True)
        lot_ids = sorted(int(str(i)) for i in rows)
        customers = await _customers(doc.batch_id)
        disposals = await RecallDisposal.filter(recall_id=doc.id)
        batches = {b.id: b for b in await Batch.filter(id__in=lot_ids)}
        skus = {s.id: s for s in await Sku.filter(id__in={b.sku_id for b in batches.values()})}
        destroyed = [(skus[batches[d.batch_id].sku_id].base_unit, Decimal(d.quantity)) for d in disposals]
        held = await _held(lot_ids)
        summary = rules.summarize(customers, destroyed, held, len(lot_ids))
        # The EPCIS record: every recalled lot, with what we still hold of it (zero once all is gone).
        on_hand: dict[int, Decimal] = {i: Decimal(0) for i in lot_ids}
        for q in await StockQuant.filter(batch_id__in=lot_ids, quantity__gt=0):
            on_hand[q.batch_id] += Decimal(q.quantity)
        lots = [recording.LotQuantity(batches[i], skus[batches[i].sku_id], on_hand[i]) for i in lot_ids]
        event = await recording.record_lot_event(
            lots,
            event_time=posted_at,
            action=builders.Action.OBSERVE,
            biz_step="holding",
            disposition="recalled",
            read_point=recording.place("LOTLINE"),
            doc_type="recall_close",
            doc_id=doc.id,
            biz_transactions=[builders.BizTransaction("urn:lotline:btt:recall", doc.number or "")],
        )
        doc.status = rules.RecallStatus.CLOSED
        doc.closed_at = posted_at
        doc.summary = summary.as_dict()
        doc.close_event_id = event.id if event is not None else None
        await doc.save(update_fields=["status", "closed_at", "summary", "close_event_id"])
        return Posted("recall_document", doc.id, doc.number or "")

    return await posting("recall_close", key, body)


async def recall_notice(recall_id: int) -> RecallNotice:
    """The recall document with its lots (status now), customers (returns as posted now) and disposals."""
    doc = await RecallDocument.get_or_none(id=recall_id)
    if doc is None:
        raise NotFound("recall", recall_id, ("recallId",))
    lots = await RecallLot.filter(recall_id=doc.id).order_by("batch_id")
    batches = {b.id: b for b in await Batch.filter(id__in=[r.batch_id for r in lots])}
    skus = {s.id: s for s in await Sku.filter(id__in={b.sku_id for b in batches.values()})}
    views = [
        RecallLotView(
            r.batch_id,
            skus[batches[r.batch_id].sku_id].code,
            batches[r.batch_id].lot_code,
            r.previous_status,
            batches[r.batch_id].status,
        )
        for r in lots
    ]
    disposals = await RecallDisposal.filter(recall_id=doc.id).order_by("id").prefetch_related("destruction")
    return RecallNotice(
        doc.id,
        doc.number or "",
        doc.batch_id,
        doc.status,
        doc.reason,
        doc.notice_zh,
        doc.notice_en,
        doc.opened_at,
        doc.closed_at,
        views,
        await _customers(doc.batch_id),
        [(d.batch_id, d.destruction.number or "", Decimal(d.quantity)) for d in disposals],
        doc.summary,
    )


async def open_recall_of(batch_id: int) -> PublicRecall | None:
    """The latest recall reaching this batch (open first), as its public page shows it; None if none."""
    rows = await RecallLot.filter(batch_id=batch_id).prefetch_related("recall")
    if not rows:
        return None
    doc = max(
        (r.recall for r in rows), key=lambda d: (d.status == rules.RecallStatus.OPEN, d.opened_at, d.id)
    )
    return PublicRecall(
        doc.number or "", doc.opened_at, doc.notice_zh, doc.notice_en, doc.status == rules.RecallStatus.CLOSED
    )


async def under_open_recall(batch_id: int) -> str | None:
    """The number of an open recall holding this batch, if any (a release must not take it back to sale)."""
    row = (
        await RecallLot.filter(batch_id=batch_id, recall__status=rules.RecallStatus.OPEN)
        .prefetch_related("recall")
        .first()
    )
    return row.recall.number if row is not None else None
