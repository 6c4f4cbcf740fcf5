"""Provenance use cases: the public code of a batch, and the public facts a scan of it may show.

``provenance_of`` is the only door from a public code to our data, and it builds its answer field by field
from an allow-list: product, origin supplier (its name only), dates, the quality verdict (parameter names and
pass/fail), cold-chain readings, and the steps of the journey (business step, day, warehouse name, anchoring).
No prices, no customers, no users or inspectors, no quantities, no internal notes: an event body is never
passed through, only read for its place and its sensor reports.

Every step is checked when the page is built (``domain.anchoring.verification``): its stored JSON -- the
one copy, which is also what the step shows -- is re-hashed, its proof followed to a root read from the
chain through the caller's ``roots``, and its lot's hash chain walked, so a step altered, removed or slipped
in after anchoring shows as such. Proof files still come from ``domain.anchoring.services``.

The page's value types and steps live in ``page``, the batch's facts in ``facts``, what the anchoring module
says of them in ``proofs``; the value types are re-exported here.
"""

import importlib
import logging
import secrets
from datetime import datetime
from types import ModuleType
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.anchoring import verification
from domain.catalog.models import Category, Sku
from domain.common import business_time
from domain.common.errors import NotFound
from domain.expiry import services as expiry
from domain.inventory.models import Batch
from domain.provenance import facts, proofs, rules
from domain.provenance.facts import MAX_DEPTH
from domain.provenance.models import BatchPublicCode
from domain.provenance.page import NOT_ANCHORED, Anchoring, Provenance, Step, step_of
from domain.quality.models import QualityCheck
from domain.recall import services as recalls
from domain.trace.integrity import State
from domain.trace.models import TraceEvent, TraceEventBatch

__all__ = [
    "ANCHORING_MODULE",
    "MAX_DEPTH",
    "NOT_ANCHORED",
    "Anchoring",
    "Provenance",
    "Step",
    "anchoring_module",
    "proof_file_of",
    "provenance_of",
    "public_code_for",
    "public_code_for_lot",
]

log = logging.getLogger(__name__)
ANCHORING_MODULE = "domain.anchoring.services"


async def public_code_for(batch_id: int) -> str:
    """The batch's public code, created on first call (the same code every call after)."""
    existing = await BatchPublicCode.get_or_none(batch_id=batch_id)
    if existing is not None:
        return existing.code
    if not await Batch.exists(id=batch_id):
        raise NotFound("batch", batch_id, ("batchId",))
    for _ in range(3):
        try:
            async with in_transaction():  # a savepoint when the caller has a transaction open
                row = await BatchPublicCode.create(
                    batch_id=batch_id, code=rules.code_from_bytes(secrets.token_bytes(rules.CODE_BYTES))
                )
            return row.code
        except IntegrityError:
            # Another request created the batch's code first (or, once in 2^80, the same code): reuse it.
            raced = await BatchPublicCode.get_or_none(batch_id=batch_id)
            if raced is not None:
                return raced.code
    raise RuntimeError(f"could not create a public code for batch {batch_id}")


async def public_code_for_lot(sku_code: str, lot_code: str) -> tuple[int, str]:
    """(batch id, public code) of a batch named by SKU and lot code, as printed on the box."""
    batch = await Batch.get_or_none(sku__code=sku_code, lot_code=lot_code)
    if batch is None:
        raise NotFound("batch", f"{sku_code}/{lot_code}", ("lotCode",))
    return batch.id, await public_code_for(batch.id)


def anchoring_module() -> ModuleType | None:
    """The anchoring services, or None while they are not installed."""
    try:
        return importlib.import_module(ANCHORING_MODULE)
    except ImportError as exc:
        if not (exc.name and ANCHORING_MODULE.startswith(exc.name)):
            log.warning("anchoring services failed to import; steps shown as not anchored", exc_info=True)
        return None


async def provenance_of(
    public_code: str, now: datetime, roots: verification.Roots | None = None
) -> Provenance | None:
    """What a scan of ``public_code`` shows, or None for a code we never issued. ``roots`` reads which
    Merkle roots the registry holds (None: no chain configured, anchored steps are unverifiable)."""
    batch = await facts.batch_of(public_code)
    if batch is None:
        return None
    code = await BatchPublicCode.get(batch_id=batch.id)
    sku = await Sku.get(id=batch.sku_id)
    category = await Category.get_or_none(id=sku.category_id) if sku.category_id else None
    lots = await facts.lineage(batch.id)
    origin, receipt_date = await facts.origin(lots)
    checks = await QualityCheck.filter(batch_id=batch.id).order_by("id")
    verdict, verdict_date, parameters = rules.verdict_of(
        [rules.CheckFacts(c.status, c.decided_at, list(c.results)) for c in checks]
    )
    events, own, streams = await facts.events(lots)
    checked = await verification.verify_events(events, streams, roots)
    shown = [c for c in checked.events if str(c.body.get("bizStep", "")) not in rules.HIDDEN_STEPS]
    places = await facts.place_names(c.body for c in shown)
    module = anchoring_module()
    steps = [step_of(c, places, c.pk not in own) for c in shown]
    counts = {str(st): checked.count(st) for st in State}
    today = business_time.business_today(now)
    alert_days = (await expiry.load_policies()).of(sku.id, sku.category_id).alert_days
    near_expiry = batch.expiry_date is not None and 0 <= (batch.expiry_date - today).days <= alert_days
    return Provenance(
        public_code=code.code,
        lot_code=batch.lot_code,
        product_zh=sku.name_zh,
        product_en=sku.name_en,
        category_zh=category.name_zh if category else "",
        category_en=category.name_en if category else "",
        origin=origin,
        production_date=batch.production_date,
        expiry_date=batch.expiry_date,
        best_before_date=batch.best_before_date,
        receipt_date=receipt_date,
        expired=batch.expiry_date is not None and batch.expiry_date < today,
        verdict=verdict,
        verdict_date=verdict_date,
        parameters=tuple(parameters),
        cold_chain=tuple(r for s in steps for r in s.readings),
        steps=tuple(steps),
        anchoring_available=module is not None,
        proofs_available=callable(getattr(module, "proof_of", None)),
        checked_at=now,
        near_expiry=near_expiry,
        state=checked.state,
        missing=tuple((g.stream, g.seq) for g in checked.missing),
        counts=tuple((k, v) for k, v in counts.items() if v),
        recall=await recalls.open_recall_of(batch.id),
    )


async def proof_file_of(public_code: str, event_hash: str) -> dict[str, Any] | None:
    """The proof file (chain/proof.py format) of one step of a batch's page, or None.

    Only events on the page are served: a public code does not open other batches' proofs.
    """
    batch = await facts.batch_of(public_code)
    digest = event_hash.lower().removeprefix("0x")
    if batch is None or not rules.is_event_hash(digest):
        return None
    linked = await TraceEventBatch.filter(batch_id__in=await facts.lineage(batch.id)).values_list(
        "event_id", flat=True
    )
    event = await TraceEvent.filter(id__in=list(set(linked)), leaf=digest).first()
    if event is None or event.biz_step in rules.HIDDEN_STEPS:
        return None
    module = anchoring_module()
    if not (await proofs.anchor_statuses(module, [event.id])).get(event.id, NOT_ANCHORED).anchored:
        return None  # as the page says: no proof until its anchor is confirmed
    return await proofs.proof(module, event.id)
