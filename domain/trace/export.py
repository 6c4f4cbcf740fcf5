"""EPCIS 2.0 export and the FSMA 204 sortable spreadsheet (CSV and XLSX) of stored trace events."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook

from domain.catalog.models import Sku
from domain.common.errors import NotFound, ValidationError
from domain.inventory.models import Batch, Warehouse
from domain.partners.models import Customer, Supplier
from domain.trace import capture_meta, epcis, event_hash, fsma, recording
from domain.trace.models import TraceEvent, TraceEventBatch

MAX_EVENTS = 50_000


@dataclass(frozen=True)
class Selection:
    """Which events: those of one batch, and/or those in a time window [since, until)."""

    batch_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


async def select_events(sel: Selection) -> list[TraceEvent]:
    if sel.batch_id is None and (sel.since is None or sel.until is None):
        raise ValidationError("choose a batch or a time window (since and until)", ("batchId",))
    if sel.since is not None and sel.until is not None and sel.until <= sel.since:
        raise ValidationError("until must come after since", ("until",))
    query = TraceEvent.all()
    if sel.batch_id is not None:
        if not await Batch.exists(id=sel.batch_id):
            raise NotFound("batch", sel.batch_id, ("batchId",))
        ids = await TraceEventBatch.filter(batch_id=sel.batch_id).values_list("event_id", flat=True)
        query = query.filter(id__in=list(set(ids)))
    if sel.since is not None:
        query = query.filter(event_time__gte=sel.since)
    if sel.until is not None:
        query = query.filter(event_time__lt=sel.until)
    if await query.count() > MAX_EVENTS:
        raise ValidationError(f"more than {MAX_EVENTS} events: narrow the window", ("until",))
    return await query.order_by("event_time", "id")


def epcis_document_of(events: list[TraceEvent], now: datetime) -> dict[str, Any]:
    """An EPCISDocument of stored events, checked against the GS1 schema. Captured events bring back the
    prefixes their document declared (``epcis.export_contexts``) and its ``ignoreFields`` (once, at document
    level: ``capture_meta.export_ignore``), both read from the hashed JSON, so each hashes again to the Event
    Hash ID computed at capture; every event is exactly as stored.

    Raises ``ValidationError`` when events captured with different ``ignoreFields`` cannot share a document.
    """
    stored = [e.body for e in events]
    defaults = event_hash.default_namespaces()
    context, own = epcis.export_contexts([capture_meta.context_of(b) for b in stored], stored, defaults)
    terms = next((c for c in context if isinstance(c, dict)), None)
    try:
        ignore = capture_meta.export_ignore(stored, own, event_hash.namespaces_of(context, defaults))
    except capture_meta.IgnoreConflict as exc:
        raise ValidationError(
            f"{exc}: events captured with different ignoreFields cannot share one EPCIS document, "
            "export them separately",
            ("batchId",),
        ) from None
    if ignore is not None and ignore.binding:
        if terms is None:
            terms = {}
            context = [*context, terms]
        terms.update(ignore.binding)
    bodies = [b if c is None else {"@context": c, **b} for b, c in zip(stored, own, strict=True)]
    document = epcis.epcis_document(bodies, now, context=context)
    if ignore is not None:
        document[ignore.member] = ignore.fields
    epcis.validate_epcis_document(document)
    return document


async def epcis_export(sel: Selection, now: datetime) -> dict[str, Any]:
    """An EPCISDocument of the selected events (see :func:`epcis_document_of`)."""
    return epcis_document_of(await select_events(sel), now)


async def _names() -> tuple[dict[str, str], dict[str, str]]:
    """(product key -> description, location / party URI -> name) for the spreadsheet."""
    products: dict[str, str] = {}
    for sku in await Sku.all().only("code", "gtin", "name_zh", "name_en"):
        description = f"{sku.name_en} / {sku.name_zh}" if sku.name_en != sku.name_zh else sku.name_en
        products[sku.code] = description
        if sku.gtin:
            products[sku.gtin] = description
    places: dict[str, str] = {}
    for wh in await Warehouse.all():
        places[recording.warehouse_place(wh).uri] = wh.name
        places[recording.party("location", wh.code, wh.gln).uri] = wh.name
    for model in (Supplier, Customer):
        for p in await model.all():
            places[recording.party("owning_party", p.code, p.gln).uri] = p.name
    return products, places


async def fsma_rows(sel: Selection) -> list[dict[str, str]]:
    """FSMA 204 rows of the selected events, sorted by event date, lot code and event."""
    events = await select_events(sel)
    products, places = await _names()
    rows = fsma.fsma_rows([e.body for e in events], products, places)
    rows.sort(key=lambda r: (r["Event Date"], r["Traceability Lot Code"], r["Critical Tracking Event"]))
    return rows


def to_csv(rows: list[dict[str, str]]) -> bytes:
    """UTF-8 with a BOM, so spreadsheet programs read Chinese names right."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fsma.FSMA_COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[dict[str, str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "FSMA 204"
    sheet.append(list(fsma.FSMA_COLUMNS))
    for row in rows:
        sheet.append([row[c] for c in fsma.FSMA_COLUMNS])
    sheet.auto_filter.ref = sheet.dimensions
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
