"""Recording trace events inside the posting that caused them.

Each recorder loads what its document moved (the ledger lines of that document), builds the EPCIS 2.0 event
with ``builders``, and stores it with its canonical JSON, hash ID, leaf digest, links to our batches and an
outbox row for the anchoring worker — all in the caller's transaction, so nothing is recorded half.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from tortoise import connections
from tortoise.models import Model

from domain.catalog.models import Sku
from domain.common import rows
from domain.common.dialect import is_postgres
from domain.common.digits import ascii_digits
from domain.inventory import rules as stock_rules
from domain.inventory.models import (
    Batch,
    StockMove,
    Warehouse,
)
from domain.trace import (
    builders,
    capture_meta,
    digital_link,
    epcis,
    errors,
    event_write,
    identifiers,
    integrity,
)
from domain.trace.models import BatchLineage, TraceEvent, TraceStream

ANCHOR_TOPIC = event_write.ANCHOR_TOPIC
Status = stock_rules.StockStatus


class _Line(identifiers.QuantityLine):
    # Our base units are free text; one without a UN/CEFACT code is written without ``uom`` (a count in
    # EPCIS terms would be wrong, so we say nothing rather than something false).
    def as_epcis(self) -> dict[str, Any]:
        try:
            return identifiers.QuantityLine.as_epcis(self)
        except errors.EventBuildError:
            return {"epcClass": self.product.epc_class, "quantity": _number(self.quantity)}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _gln(gln: str | None) -> str | None:
    # A GLN with a wrong check digit must not stop a posting: we fall back to our private URN.
    if gln and ascii_digits(gln) and len(gln) == 13 and digital_link.check_digit(gln[:-1]) == gln[-1]:
        return gln
    return None


def place(code: str, gln: str | None = None) -> identifiers.Place:
    return identifiers.Place(code, _gln(gln))


def party(kind: str, code: str, gln: str | None = None) -> identifiers.Party:
    return identifiers.Party(kind, code, _gln(gln))


def warehouse_place(wh: Warehouse) -> identifiers.Place:
    return place(wh.code, wh.gln)


def product_lot(batch: Batch, sku: Sku) -> identifiers.ProductLot:
    return identifiers.ProductLot(sku.code, batch.lot_code, sku.gtin)


@dataclass(frozen=True)
class LotLink:
    batch_id: int | None
    epc_class: str
    role: str  # object | input | output
    quantity: Decimal | None


@dataclass(frozen=True)
class LotQuantity:
    batch: Batch
    sku: Sku
    quantity: Decimal

    def line(self) -> identifiers.QuantityLine:
        return _Line(product_lot(self.batch, self.sku), self.quantity, self.sku.base_unit)

    def link(self, role: str = "object") -> LotLink:
        return LotLink(self.batch.id, product_lot(self.batch, self.sku).epc_class, role, self.quantity)


@dataclass(frozen=True)
class Recorded:
    """An event a posting recorded, with the lots it is about (what alerts are raised on)."""

    event: TraceEvent
    lots: Sequence[LotQuantity]


async def store_event(
    event: dict[str, Any],
    *,
    doc_type: str,
    doc_id: int | None,
    links: Sequence[LotLink],
    lineage: Sequence[tuple[int, int]] = (),
    origin: str = "internal",
    event_id: str | None = None,
    record_time: datetime | None = None,
    capture: Mapping[str, Any] | None = None,
) -> TraceEvent:
    """Writes one event with its canonical JSON, leaf, batch links, lineage edges and outbox row.

    The stored JSON is the event plus ``recordTime`` (now, ours) and ``lotline:chain`` (its number and
    predecessor's hash in each lot's chain, see ``integrity``), and for a captured event ``capture`` as
    ``lotline:capture`` (its document's context and ignoreFields, see ``capture_meta``): the exact bytes
    hashed into the leaf.
    The same event twice (same hash ID) is the same fact: the first row is returned and nothing is added.
    Raises ``errors.EventBeforeBatch`` when one of our own events would precede its lot's first event.
    """
    hash_id = event_id or str(event["eventID"])
    streams = sorted({k.epc_class for k in links}) or [integrity.REPOSITORY_STREAM]
    if is_postgres():
        # One statement for the hash-ID check and the heads' lock (``event_write``, issue 15).
        stored_id, heads, new_id = await event_write.claim(hash_id, streams)
        if stored_id is not None:
            return await TraceEvent.get(id=stored_id)
    else:
        existing = await TraceEvent.get_or_none(event_id=hash_id)
        if existing is not None:
            return existing
        heads = await _locked_heads(streams)
        new_id = None  # the insert draws it
    event_time = parse_time(str(event["eventTime"]))
    now = record_time or datetime.now(UTC)
    chain = _next_links(heads, event_time, now, refuse_early=origin == "internal")
    ours = (integrity.RECORD_TIME, integrity.CHAIN_KEY, capture_meta.CAPTURE_KEY)
    stored = {k: v for k, v in event.items() if k not in ours}
    if capture:
        stored[capture_meta.CAPTURE_KEY] = dict(capture)
    stored[integrity.RECORD_TIME] = epcis.format_time(now)
    stored[integrity.CHAIN_KEY] = integrity.chain_member(chain)
    canonical = epcis.canonical_json(stored)
    digest = hashlib.sha256(canonical).hexdigest()
    row = TraceEvent(
        event_id=hash_id,
        event_type=event["type"],
        biz_step=str(event.get("bizStep", "")),
        action=event.get("action"),
        disposition=event.get("disposition"),
        event_time=event_time,
        origin=origin,
        doc_type=doc_type,
        doc_id=doc_id,
        canonical=canonical.decode("utf-8"),
        leaf=digest,
        record_time=now,
    )
    if new_id is not None:
        row.id = new_id
    # PostgreSQL: the event, its links, the heads' advance and the outbox row in one statement (issue 15).
    await event_write.write(row, links, chain)
    if lineage:
        await BatchLineage.bulk_create(
            [BatchLineage(parent_id=p, child_id=c, event_id=row.id) for p, c in sorted(set(lineage))]
        )
    return row


def _next_links(
    heads: Sequence[tuple[str, int, str, datetime | None]],
    event_time: datetime,
    now: datetime,
    *,
    refuse_early: bool,
) -> list[integrity.Link]:
    """The next link of each locked head (``_locked_heads``, in stream order).

    Our own event dated before its lot's first event is refused; a first event dated after ``now`` (a
    receipt booked ahead, test worlds in 2030) cannot be judged yet and refuses nothing."""
    links = []
    for stream, seq, head_hash, first in heads:
        if refuse_early and first is not None and event_time < first <= now:
            raise errors.EventBeforeBatch(stream, event_time, first)
        links.append(integrity.Link(stream, seq + 1, head_hash or integrity.GENESIS))
    return links


async def _locked_heads(streams: list[str]) -> list[tuple[str, int, str, datetime | None]]:
    """(stream, head seq, head hash, first time) of each of the sorted ``streams``, created when missing,
    locked until the transaction ends, in stream order.

    PostgreSQL: one upsert, ``event_write.CLAIM`` (issue 15: a statement fewer per event than the insert,
    then the locking select, that SQLite still runs). Its no-op ``DO UPDATE`` (of an unindexed column, so
    the row version it leaves can be a HOT update) locks an existing head as ``FOR UPDATE`` would, a new
    head is the inserting transaction's own, and rows are taken in the order of the array (sorted), so
    two postings still never deadlock; ``tests/integration/trace/test_stream_heads.py`` pins it to the
    ORM path."""
    if is_postgres():
        return (await event_write.claim(None, streams)).heads
    conn = connections.get("default")
    values = ", ".join("(?, 0, '')" for _ in streams)
    await conn.execute_query(
        f"INSERT OR IGNORE INTO trace_stream (stream, head_seq, head_hash) VALUES {values}", list(streams)
    )
    return await orm_heads(streams)


async def orm_heads(streams: list[str]) -> list[tuple[str, int, str, datetime | None]]:
    """What ``_locked_heads`` returns, read through the ORM (existing heads only): SQLite's path."""
    heads = await TraceStream.select_for_update().filter(stream__in=streams).order_by("stream")
    return [(h.stream, h.head_seq, h.head_hash, h.first_time) for h in heads]


def parse_time(text: str) -> datetime:
    """An EPCIS ``dateTime`` (schema-valid) as an aware datetime; digits past microseconds are dropped."""
    head, dot, rest = text.replace("Z", "+00:00").partition(".")
    if dot:
        digits = len(rest) - len(rest.lstrip("0123456789"))
        rest = rest[: min(digits, 6)] + rest[digits:]
    return datetime.fromisoformat(head + dot + rest if dot else head)


M = TypeVar("M", bound=Model)


async def _by_ids(model: type[M], ids: Iterable[int]) -> list[M]:
    # Hand-written on PostgreSQL (issue 15: a shipment's event reads its lots); the same models as the
    # ORM's (tests/integration/trace/test_lot_reads.py).
    if is_postgres():
        return await rows.by_ids(model, ids)
    return await model.filter(id__in=list(ids)).order_by("id")


async def lot_quantities(
    pairs: Iterable[tuple[int, Decimal]],
    batches: Mapping[int, Batch] | None = None,
    skus: Mapping[int, Sku] | None = None,
) -> list[LotQuantity]:
    """Quantities summed per batch, in batch id order, with their batch and SKU loaded (only those not
    among the ``batches`` and ``skus`` the caller already has)."""
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for batch_id, qty in pairs:
        sums[batch_id] += Decimal(qty)
    found = {i: b for i in sums if (b := (batches or {}).get(i)) is not None}
    if len(found) < len(sums):
        found.update({b.id: b for b in await _by_ids(Batch, [i for i in sums if i not in found])})
    known = {b.sku_id: s for b in found.values() if (s := (skus or {}).get(b.sku_id)) is not None}
    wanted = {b.sku_id for b in found.values()} - set(known)
    if wanted:
        known.update({s.id: s for s in await _by_ids(Sku, wanted)})
    return [LotQuantity(found[i], known[found[i].sku_id], sums[i]) for i in sorted(sums)]


async def record_lot_event(
    lots: Sequence[LotQuantity],
    *,
    event_time: datetime,
    action: str,
    biz_step: str,
    read_point: identifiers.Place,
    doc_type: str,
    doc_id: int | None,
    disposition: str | None = None,
    biz_transactions: Sequence[builders.BizTransaction] = (),
    sources: Sequence[identifiers.Party] = (),
    destinations: Sequence[identifiers.Party] = (),
    sensor_readings: Sequence[builders.SensorReading] = (),
) -> TraceEvent | None:
    if not lots:
        return None
    event = builders.object_event(
        event_time=event_time,
        action=action,
        biz_step=biz_step,
        read_point=read_point,
        biz_location=read_point,
        quantities=[lot.line() for lot in lots],
        disposition=disposition,
        biz_transactions=biz_transactions,
        sources=sources,
        destinations=destinations,
        sensor_readings=sensor_readings,
    )
    return await store_event(event, doc_type=doc_type, doc_id=doc_id, links=[lot.link() for lot in lots])


async def moves_of(
    doc_type: str, doc_id: int, moves: Sequence[StockMove] | None = None
) -> Sequence[StockMove]:
    if moves is not None:
        return moves
    return await StockMove.filter(doc_type=doc_type, doc_id=doc_id).order_by("id")
