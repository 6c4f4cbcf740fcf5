"""Provenance use cases: the public code of a batch, and the public facts a scan of it may show.

``provenance_of`` is the only door from a public code to our data, and it builds its answer field by field
from an allow-list: product, origin supplier (its name only), dates, the quality verdict (parameter names and
pass/fail), cold-chain readings, and the steps of the journey (business step, day, warehouse name, anchoring).
No prices, no customers, no users or inspectors, no quantities, no internal notes: an event body is never
passed through, only read for its place and its sensor reports.

Anchoring status comes from ``domain.anchoring.services`` (written separately); until that module
exists every step is reported "not anchored yet".
"""

import importlib
import inspect
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from types import ModuleType
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.asn import rules as asn_rules
from domain.catalog.models import Category, Sku
from domain.common import business_time
from domain.common.errors import NotFound
from domain.expiry import services as expiry
from domain.inventory.models import Batch, Warehouse
from domain.partners.models import Supplier
from domain.provenance import rules
from domain.provenance.models import BatchPublicCode
from domain.purchasing.models import GoodsReceiptLine
from domain.quality.models import QualityCheck
from domain.trace.models import BatchLineage, TraceEvent, TraceEventBatch

log = logging.getLogger(__name__)
ANCHORING_MODULE = "domain.anchoring.services"
MAX_DEPTH = 64  # generations of input lots walked at most (as the genealogy does)


@dataclass(frozen=True)
class Anchoring:
    anchored: bool
    block_number: int | None = None
    tx_hash: str | None = None  # 0x-hex
    root: str | None = None  # 0x-hex


NOT_ANCHORED = Anchoring(False)


@dataclass(frozen=True)
class Step:
    biz_step: str  # CBV business step (receiving, inspecting, shipping…)
    disposition: str | None
    day: date  # local to where it happened
    place: str  # the warehouse's name, "" when the place is not one of ours
    of_input_lot: bool  # about a lot this batch was made from, not the batch itself
    event_hash: str  # 0x-hex SHA-256 of the event's canonical JSON: the value anchored and verified
    readings: tuple[rules.Reading, ...]
    anchor: Anchoring
    proof: tuple[str, ...] | None = None  # sibling hashes, leaf to root, when the proof file is available
    contract: str | None = None  # the registry the proof file names
    certificate: str | None = (
        None  # hex SHA-256 of a supplier certificate the event carries (certificationInfo)
    )


@dataclass(frozen=True)
class Provenance:
    public_code: str
    lot_code: str
    product_zh: str
    product_en: str
    category_zh: str
    category_en: str
    origin: tuple[str, ...]  # supplier names (of the batch, else of the lots it was made from)
    production_date: date | None
    expiry_date: date | None
    best_before_date: date | None
    receipt_date: date | None
    expired: bool
    verdict: str  # rules.Verdict: pass | fail | pending | none
    verdict_date: date | None
    parameters: tuple[tuple[str, bool], ...]  # (parameter name, passed)
    cold_chain: tuple[rules.Reading, ...]
    steps: tuple[Step, ...]
    anchoring_available: bool  # the anchoring module is installed
    proofs_available: bool  # …and it hands out proof files
    checked_at: datetime
    # Public: the lot is within its SKU's alert days of its expiry date (the internal markdown never shows).
    near_expiry: bool = False


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


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def _anchor_statuses(module: ModuleType | None, event_ids: list[int]) -> dict[int, Anchoring]:
    fetch = getattr(module, "anchor_status_of_events", None)
    if fetch is None or not event_ids:
        return {}
    statuses = await _maybe_await(fetch(event_ids)) or {}
    out = {}
    for event_id, s in statuses.items():
        if getattr(s, "anchored", False):
            block = getattr(s, "block_number", None)
            out[int(event_id)] = Anchoring(
                True,
                int(block) if block is not None else None,
                rules.hex0x(getattr(s, "tx_hash", None)),
                rules.hex0x(getattr(s, "root", None)),
            )
    return out


async def _lineage(batch_id: int) -> list[int]:
    """The batch and every lot it was made from, one query per generation."""
    seen, frontier = [batch_id], [batch_id]
    for _ in range(MAX_DEPTH):
        if not frontier:
            break
        rows = await BatchLineage.filter(child_id__in=frontier).values("parent_id")
        frontier = sorted({int(r["parent_id"]) for r in rows} - set(seen))
        seen.extend(frontier)
    return seen


async def _batch_of(public_code: str) -> Batch | None:
    code = rules.normalise_code(public_code)
    if code is None:
        return None
    row = await BatchPublicCode.get_or_none(code=code)
    return None if row is None else await Batch.get(id=row.batch_id)


async def _events(batch_ids: list[int]) -> tuple[list[TraceEvent], set[int]]:
    """Events about these lots, oldest first, bookkeeping left out; and the ids of those about the first."""
    links = await TraceEventBatch.filter(batch_id__in=batch_ids).values_list("event_id", "batch_id")
    own = {int(e) for e, b in links if b == batch_ids[0]}
    rows = await TraceEvent.filter(id__in=list({int(e) for e, _ in links})).order_by("event_time", "id")
    return [e for e in rows if e.biz_step not in rules.HIDDEN_STEPS], own


async def _place_names(events: Iterable[TraceEvent]) -> dict[tuple[str, str], str]:
    keys = {k for e in events if (k := rules.event_place(e.body)) is not None}
    codes = [v for kind, v in keys if kind == "code"]
    glns = [v for kind, v in keys if kind == "gln"]
    names: dict[tuple[str, str], str] = {}
    if codes:
        names.update({("code", w.code): w.name for w in await Warehouse.filter(code__in=codes)})
    if glns:
        names.update({("gln", w.gln): w.name for w in await Warehouse.filter(gln__in=glns) if w.gln})
    return names


async def _origin(batch_ids: list[int]) -> tuple[tuple[str, ...], date | None]:
    """Supplier names and first receipt day of the batch, else of the lots it was made from."""
    batches = {b.id: b for b in await Batch.filter(id__in=batch_ids)}
    receipts = await GoodsReceiptLine.filter(batch_id__in=batch_ids).prefetch_related("receipt")
    for group in ([batch_ids[0]], batch_ids[1:]):
        supplier_ids = {batches[i].supplier_id for i in group if i in batches and batches[i].supplier_id}
        days = [
            business_time.business_date(ln.receipt.received_at) for ln in receipts if ln.batch_id in group
        ]
        if supplier_ids or days:
            names = sorted({s.name for s in await Supplier.filter(id__in=list(supplier_ids))})
            return tuple(names), min(days) if days else None
    return (), None


async def _proof(module: ModuleType | None, event_id: int) -> dict[str, Any] | None:
    proof_of = getattr(module, "proof_of", None)
    if not callable(proof_of):
        return None
    found = await _maybe_await(proof_of(event_id))
    # The anchoring service answers an ``EventProof`` whose ``proof_file`` (chain/proof.py) is all we hand
    # out: its other fields include the event's canonical JSON, which names customers and quantities.
    proof = getattr(found, "proof_file", found)
    data = proof.to_dict() if hasattr(proof, "to_dict") else proof
    return dict(data) if isinstance(data, dict) else None


def _proof_hashes(proof: dict[str, Any] | None) -> tuple[str, ...] | None:
    hashes = proof.get("proof") if proof else None
    return tuple(h for h in map(rules.hex0x, hashes) if h) if isinstance(hashes, list) else None


def _proof_contract(proof: dict[str, Any] | None) -> str | None:
    anchor = proof.get("anchor") if proof else None
    contract = anchor.get("contract") if isinstance(anchor, dict) else None
    return contract if isinstance(contract, str) else None


async def provenance_of(public_code: str, now: datetime) -> Provenance | None:
    """What a scan of ``public_code`` shows, or None for a code we never issued."""
    batch = await _batch_of(public_code)
    if batch is None:
        return None
    code = await BatchPublicCode.get(batch_id=batch.id)
    sku = await Sku.get(id=batch.sku_id)
    category = await Category.get_or_none(id=sku.category_id) if sku.category_id else None
    lots = await _lineage(batch.id)
    origin, receipt_date = await _origin(lots)
    checks = await QualityCheck.filter(batch_id=batch.id).order_by("id")
    verdict, verdict_date, parameters = rules.verdict_of(
        [rules.CheckFacts(c.status, c.decided_at, list(c.results)) for c in checks]
    )
    events, own = await _events(lots)
    places = await _place_names(events)
    module = anchoring_module()
    anchors = await _anchor_statuses(module, [e.id for e in events])
    steps = []
    for e in events:
        key = rules.event_place(e.body)
        anchor = anchors.get(e.id, NOT_ANCHORED)
        proof = await _proof(module, e.id) if anchor.anchored else None
        steps.append(
            Step(
                biz_step=e.biz_step,
                disposition=e.disposition,
                day=rules.local_date(e.event_time, e.body.get("eventTimeZoneOffset")),
                place=places.get(key, "") if key else "",
                of_input_lot=e.id not in own,
                event_hash="0x" + e.leaf,
                readings=tuple(rules.sensor_readings(e.body, e.event_time)),
                anchor=anchor,
                proof=_proof_hashes(proof),
                contract=_proof_contract(proof),
                certificate=asn_rules.sha256_of_certification(e.body.get("certificationInfo")),
            )
        )
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
    )


async def proof_file_of(public_code: str, event_hash: str) -> dict[str, Any] | None:
    """The proof file (chain/proof.py format) of one step of a batch's page, or None.

    Only events on the page are served: a public code does not open other batches' proofs.
    """
    batch = await _batch_of(public_code)
    digest = event_hash.lower().removeprefix("0x")
    if batch is None or not rules.is_event_hash(digest):
        return None
    linked = await TraceEventBatch.filter(batch_id__in=await _lineage(batch.id)).values_list(
        "event_id", flat=True
    )
    event = await TraceEvent.filter(id__in=list(set(linked)), leaf=digest).first()
    if event is None or event.biz_step in rules.HIDDEN_STEPS:
        return None
    module = anchoring_module()
    if not (await _anchor_statuses(module, [event.id])).get(event.id, NOT_ANCHORED).anchored:
        return None  # as the page says: no proof until its anchor is confirmed
    return await _proof(module, event.id)
