"""EPCIS capture: validate a partner's EPCIS 2.0 document and store its events as external trace events.

A captured TransformationEvent creates lineage edges between the lots of ours it names
(``captured_lineage``), as our own transformations do, so genealogy and recall walk through it.

All or nothing: an invalid document (or an invalid event in it) stores nothing and raises
:class:`EpcisInvalid` listing every problem. Each event is stored under its own EPCIS Event Hash ID
(computed with the document's own ``@context``), and linked to our batches through the lot identifiers in
its quantity lists (``epcClass``: an LGTIN of one of our GTINs, or our private class URN).

The document's own ``@context`` prefixes and ``ignoreFields`` are kept inside each stored event, in the
hashed JSON (``capture_meta``), so an export declares them again and the event hashes to the same ID.
An event whose own ``eventID`` is an Event Hash ID that does not match the hash we compute is stored as
sent, its ``eventID`` kept in the body and in ``declared_event_id``, and reported as a
:class:`CaptureWarning`: never silently replaced.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

from tortoise import fields
from tortoise.transactions import in_transaction

from domain.catalog.models import Sku
from domain.common.decimal_fit import decimal_problem
from domain.common.errors import ValidationError
from domain.inventory.models import Batch
from domain.trace import capture_meta, digital_link, epcis, errors, event_hash, event_prehash, recording
from domain.trace.models import TraceEvent, TraceEventBatch

MAX_EVENTS = 10_000
_LGTIN = re.compile(r"https://id\.gs1\.org/01/(\d{14})/10/([^/?#]+)")
_PRIVATE = re.compile(r"urn:lotline:class:([^:]+):(.+)")
#: Quantity lists of EPCIS 2.0 events and the role their lots play.
QUANTITY_LISTS = (
    ("quantityList", "object"),
    ("childQuantityList", "object"),
    ("inputQuantityList", "input"),
    ("outputQuantityList", "output"),
)


class EpcisInvalid(ValidationError):
    """A captured document breaks EPCIS 2.0; ``problems`` lists each violation with its JSON path."""

    def __init__(self, problems: list[errors.Problem]) -> None:
        summary = "; ".join(f"{p.path or '/'}: {p.message}" for p in problems[:5])
        more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(
            f"EPCIS document invalid: {len(problems)} problem(s): {summary}{more}", ("document",)
        )
        self.problems = problems


@dataclass(frozen=True)
class CaptureWarning:
    """Something stored as sent but worth a look; ``code`` is stable (``event_id_mismatch``)."""

    index: int  # of the event in the document
    code: str
    message: str
    declared: str
    computed: str


@dataclass(frozen=True)
class CaptureResult:
    captured: int
    duplicates: int
    event_ids: list[str]  # hash IDs, in document order
    linked_batch_ids: list[int]
    warnings: list[CaptureWarning] = field(default_factory=list)


_HASH_ID = re.compile(r"ni:///sha-256;([0-9a-fA-F]{64})(\?.*)?")


def declared_mismatch(event: dict[str, Any], computed: str) -> str | None:
    """The event's own ``eventID`` when it is an Event Hash ID other than ``computed``; else None.

    Only the digests are compared (``?ver=CBV2`` and ``?ver=CBV2.0`` name the same hash); an ``eventID``
    that is no hash ID (``urn:uuid:…``) claims nothing about the content and is not flagged.
    """
    declared = event.get("eventID")
    match = _HASH_ID.fullmatch(declared) if isinstance(declared, str) else None
    wanted = _HASH_ID.fullmatch(computed)
    if match is None or wanted is None or match.group(1).lower() == wanted.group(1).lower():
        return None
    return str(declared)


def lot_key(epc_class: str) -> tuple[str, str, str] | None:
    """("gtin" | "sku", key, lot) of a lot-level class identifier, or None for anything else."""
    canonical = digital_link.normalise(epc_class) or epc_class
    if match := _LGTIN.fullmatch(canonical):
        return "gtin", match.group(1), unquote(match.group(2))
    if match := _PRIVATE.fullmatch(epc_class):
        return "sku", unquote(match.group(1)), unquote(match.group(2))
    return None


def check_document(document: Any) -> list[dict[str, Any]]:
    """The events of a valid document; raises :class:`EpcisInvalid` otherwise."""
    if not isinstance(document, dict):
        raise EpcisInvalid([errors.Problem("", "an EPCIS document is a JSON object")])
    if outside := epcis.ijson_problems(document):
        raise EpcisInvalid(outside)
    try:
        epcis.validate_epcis_document(document)
    except errors.EpcisValidationError as exc:
        raise EpcisInvalid(exc.problems) from None
    events = event_hash.document_events(document)
    if not events:
        raise EpcisInvalid([errors.Problem("/epcisBody/eventList", "the document holds no event")])
    if len(events) > MAX_EVENTS:
        raise EpcisInvalid([errors.Problem("/epcisBody/eventList", f"more than {MAX_EVENTS} events")])
    problems = []
    for i, event in enumerate(events):
        try:
            recording.parse_time(str(event.get("eventTime", "")))
        except ValueError:
            problems.append(errors.Problem(f"/epcisBody/eventList/{i}/eventTime", "not a readable time"))
        problems += _quantity_problems(event, f"/epcisBody/eventList/{i}")
    if problems:
        raise EpcisInvalid(problems)
    return events


async def _batch_of(key: tuple[str, str, str], cache: dict[tuple[str, str, str], int | None]) -> int | None:
    if key not in cache:
        kind, ref, lot = key
        sku = await (Sku.get_or_none(gtin=ref) if kind == "gtin" else Sku.get_or_none(code=ref))
        batch = await Batch.get_or_none(sku_id=sku.id, lot_code=lot) if sku else None
        cache[key] = batch.id if batch else None
    return cache[key]


async def epcis_capture(document: Any, now: datetime) -> CaptureResult:
    """Validates then stores every event of the document in one transaction (see the module docstring).

    An event we already hold (same hash ID) is counted as a duplicate and not stored again.
    """
    events = check_document(document)
    hash_ids = event_hash.document_hash_ids(document)
    extras = epcis.context_extras(document.get("@context", [])) or None
    capture = capture_meta.capture_member(extras, event_prehash.document_ignore_fields(document))
    cache: dict[tuple[str, str, str], int | None] = {}
    captured = duplicates = 0
    linked: set[int] = set()
    warnings: list[CaptureWarning] = []
    async with in_transaction():
        for index, (event, hash_id) in enumerate(zip(events, hash_ids, strict=True)):
            declared = declared_mismatch(event, hash_id)
            if declared is not None:
                warnings.append(
                    CaptureWarning(
                        index,
                        "event_id_mismatch",
                        f"eventID {declared} is not the hash of the event ({hash_id}): kept and flagged",
                        declared,
                        hash_id,
                    )
                )
            if await TraceEvent.exists(event_id=hash_id):
                duplicates += 1
                continue
            links: list[recording.LotLink] = []
            for list_name, role in QUANTITY_LISTS:
                for q in event.get(list_name) or []:
                    epc_class = str(q.get("epcClass", ""))
                    key = lot_key(epc_class)
                    batch_id = await _batch_of(key, cache) if key else None
                    quantity = q.get("quantity")
                    links.append(
                        recording.LotLink(
                            batch_id, epc_class[:255], role, None if quantity is None else _decimal(quantity)
                        )
                    )
                    if batch_id is not None:
                        linked.add(batch_id)
            row = await recording.store_event(
                event,
                doc_type="epcis_capture",
                doc_id=None,
                links=links,
                lineage=captured_lineage(links),
                origin="external",
                event_id=hash_id,
                capture=capture,
            )
            if declared is not None:
                await TraceEvent.filter(id=row.id).update(declared_event_id=declared)
            captured += 1
    return CaptureResult(captured, duplicates, hash_ids, sorted(linked), warnings)


def captured_lineage(links: list[recording.LotLink]) -> list[tuple[int, int]]:
    """A partner's TransformationEvent links our lots as our own do: every input lot we know is a parent
    of every output lot we know (lots we do not hold stay in the event, without an edge)."""
    inputs = {k.batch_id for k in links if k.role == "input" and k.batch_id is not None}
    outputs = {k.batch_id for k in links if k.role == "output" and k.batch_id is not None}
    return sorted((p, c) for p in inputs for c in outputs if p != c)


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def _quantity_problems(event: dict[str, Any], path: str) -> list[errors.Problem]:
    """A lot's quantity is kept with its link (``TraceEventBatch.quantity``) as well as in the event: one that
    column cannot hold exactly is refused, not rounded (the schema already asked for a number)."""
    column = TraceEventBatch._meta.fields_map["quantity"]
    assert isinstance(column, fields.DecimalField)
    out = []
    for list_name, _ in QUANTITY_LISTS:
        items = event.get(list_name)
        for j, q in enumerate(items if isinstance(items, list) else []):
            quantity = q.get("quantity") if isinstance(q, dict) else None
            if isinstance(quantity, int | float) and not isinstance(quantity, bool):
                problem = decimal_problem(_decimal(quantity), column.max_digits, column.decimal_places)
                if problem is not None:
                    out.append(errors.Problem(f"{path}/{list_name}/{j}/quantity", problem))
    return out
