"""On PostgreSQL: a captured event's document context and ignoreFields are part of its hashed JSON, so an
insider who edits them in the database is caught, and an export declares them again as captured."""

import uuid
from decimal import Decimal

from tortoise import connections

from domain.anchoring import verification
from domain.trace import capture, capture_meta, event_hash, export
from domain.trace.integrity import State
from domain.trace.models import TraceEvent
from tests import factories
from tests.factories import NOW

GS1 = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


async def _captured(prefix: str, iri: str, ignore: bool) -> tuple[TraceEvent, int, dict]:
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    lot = await factories.receive(sku, wh, await factories.make_supplier(), Decimal(5))
    event = {
        "type": "ObjectEvent",
        "eventTime": "2030-06-04T08:00:00.000+08:00",
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "bizStep": "receiving",
        "readPoint": {"id": "urn:epc:id:sgln:4012345.00001.0"},
        "quantityList": [{"epcClass": f"urn:lotline:class:{sku.code}:{lot.lot_code}", "quantity": 4}],
        f"{prefix}:harvestPlot": "B-7",
        f"{prefix}:captureID": uuid.uuid4().hex,
    }
    document = {
        "@context": [GS1, {prefix: iri, "repository-x": event_hash.REPOSITORY_NS}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2030-06-04T08:00:00.000Z",
        "epcisBody": {"eventList": [event]},
    }
    if ignore:
        document["repository-x:ignoreFields"] = [f"{prefix}:captureID"]
    result = await capture.epcis_capture(document, NOW)
    return await TraceEvent.get(event_id=result.event_ids[0]), lot.batch_id, document


async def _state(row: TraceEvent) -> State:
    found = await verification.verify_event(row.event_id, None)
    assert found is not None
    return found.state


async def _edit(row: TraceEvent, old: str, new: str) -> None:
    # What an insider with write access does: change the stored JSON in place, leaving the leaf alone.
    await connections.get("default").execute_query(
        "UPDATE trace_event SET canonical = replace(canonical, $1, $2) WHERE id = $3", [old, new, row.id]
    )


async def test_editing_a_captured_events_document_prefix_in_the_database_is_detected(db):
    prefix = f"p{uuid.uuid4().hex[:8]}"
    iri = f"https://{prefix}.example.org/epcis/"
    row, _, _ = await _captured(prefix, iri, ignore=False)
    assert capture_meta.context_of(row.body) == [{prefix: iri, "repository-x": event_hash.REPOSITORY_NS}]
    assert await _state(row) == State.NOT_ANCHORED

    await _edit(row, f'"{iri}"', '"https://forged.example.org/epcis/"')

    edited = await TraceEvent.get(id=row.id)
    assert edited.context == [
        {prefix: "https://forged.example.org/epcis/", "repository-x": event_hash.REPOSITORY_NS}
    ]
    assert await _state(edited) == State.ALTERED


async def test_editing_a_captured_events_ignore_fields_in_the_database_is_detected(db):
    prefix = f"p{uuid.uuid4().hex[:8]}"
    row, _, _ = await _captured(prefix, f"https://{prefix}.example.org/", ignore=True)
    assert capture_meta.ignore_of(row.body) == [f"{prefix}:captureID"]

    await _edit(row, f'"{prefix}:captureID"]', f'"{prefix}:harvestPlot"]')

    assert capture_meta.ignore_of((await TraceEvent.get(id=row.id)).body) == [f"{prefix}:harvestPlot"]
    assert await _state(row) == State.ALTERED


async def test_an_export_declares_the_captured_documents_ignore_fields_and_hashes_to_the_capture_id(db):
    prefix = f"p{uuid.uuid4().hex[:8]}"
    row, batch_id, document = await _captured(prefix, f"https://{prefix}.example.org/", ignore=True)

    exported = await export.epcis_export(export.Selection(batch_id=batch_id), NOW)

    assert exported["repository-x:ignoreFields"] == [f"{prefix}:captureID"]
    assert row.event_id in event_hash.document_hash_ids(exported)
    assert row.event_id == event_hash.document_hash_ids(document)[0]
