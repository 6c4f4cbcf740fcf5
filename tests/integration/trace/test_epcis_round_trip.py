"""Captured EPCIS documents come back out hashing to the IDs computed at capture (their own prefixes
declared again), and an eventID that is not the hash of its event is kept and flagged, never replaced."""

import copy
import json
import uuid
from decimal import Decimal
from pathlib import Path

from api import relay as rl
from domain.partners.rules import Role
from domain.trace import capture, event_hash, export
from domain.trace.models import TraceEvent
from tests import factories
from tests.factories import NOW
from tests.integration.trace.test_api import SCHEMA, _context

GS1 = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
EXAMPLES = sorted((Path(__file__).parents[2] / "data" / "epcis" / "examples").glob("*.jsonld"))


def _document(epc_class: str, prefix: str, iri: str, event_id: str | None = None) -> dict:
    event = {
        "type": "ObjectEvent",
        "eventTime": "2030-06-04T08:00:00.000+08:00",
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "bizStep": "receiving",
        "readPoint": {"id": "urn:epc:id:sgln:4012345.00001.0"},
        "quantityList": [{"epcClass": epc_class, "quantity": 4, "uom": "KGM"}],
        f"{prefix}:harvestPlot": "B-7",
        f"{prefix}:sensor": {f"{prefix}:probe": "P1", f"{prefix}:reading": 4.5},
    }
    if event_id is not None:
        event["eventID"] = event_id
    return {
        "@context": [GS1, {prefix: iri}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2030-06-04T08:00:00.000Z",
        "epcisBody": {"eventList": [event]},
    }


async def _lot():
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    lot = await factories.receive(sku, wh, await factories.make_supplier(), Decimal(5))
    return f"urn:lotline:class:{sku.code}:{lot.lot_code}", lot.batch_id


async def test_an_exported_captured_event_declares_its_documents_prefixes_and_hashes_to_the_same_id(db):
    epc_class, batch_id = await _lot()
    prefix = f"p{uuid.uuid4().hex[:8]}"
    iri = f"https://{prefix}.example.org/epcis/"
    document = _document(epc_class, prefix, iri)
    # The prefix matters to the hash: without its declaration the same event hashes otherwise.
    bare = copy.deepcopy(document) | {"@context": [GS1]}
    assert event_hash.document_hash_ids(bare) != event_hash.document_hash_ids(document)

    result = await capture.epcis_capture(document, NOW)
    exported = await export.epcis_export(export.Selection(batch_id=batch_id), NOW)

    assert result.warnings == []
    assert {prefix: iri} in exported["@context"]
    assert exported["@context"][0] == GS1
    hashes = dict(
        zip(
            event_hash.document_hash_ids(exported),
            [e.get("bizStep") for e in exported["epcisBody"]["eventList"]],
            strict=True,
        )
    )
    assert result.event_ids[0] in hashes  # the captured event, re-exported, has the same Event Hash ID
    assert len(hashes) == 2  # and our own receipt event still hashes to its own ID beside it
    row = await TraceEvent.get(event_id=result.event_ids[0])
    assert row.context == [{prefix: iri}]
    assert row.declared_event_id is None


async def test_every_gs1_example_captured_and_exported_together_hashes_to_its_capture_ids(db):
    captured: list[str] = []
    for path in EXAMPLES:
        result = await capture.epcis_capture(json.loads(path.read_text("utf-8")), NOW)
        captured += result.event_ids
    rows = await TraceEvent.filter(event_id__in=captured).order_by("id")

    document = export.epcis_document_of(list(rows), NOW)  # one document, every example's prefixes merged

    # (aggregation_event_all_possible_fields rebinds the GS1 context's own ``cbvmda`` prefix: its event
    # carries that binding itself, so the other examples keep the standard meaning)

    assert len(EXAMPLES) >= 30
    assert len(rows) == len(set(captured))
    assert event_hash.document_hash_ids(document) == [r.event_id for r in rows]


async def test_two_documents_giving_one_prefix_two_meanings_export_together_each_event_with_its_own(db):
    epc_class, batch_id = await _lot()
    prefix = f"p{uuid.uuid4().hex[:8]}"
    first = await capture.epcis_capture(_document(epc_class, prefix, "https://one.example.org/"), NOW)
    second = await capture.epcis_capture(_document(epc_class, prefix, "https://two.example.org/"), NOW)

    exported = await export.epcis_export(export.Selection(batch_id=batch_id), NOW)

    events = exported["epcisBody"]["eventList"]
    assert {prefix: "https://one.example.org/"} in exported["@context"]
    assert [e.get("@context") for e in events if prefix + ":harvestPlot" in e] == [
        None,
        {prefix: "https://two.example.org/"},  # only the event whose prefix means something else
    ]
    assert {*first.event_ids, *second.event_ids} <= set(event_hash.document_hash_ids(exported))


async def test_a_declared_event_id_that_is_not_the_hash_is_kept_and_flagged(db):
    epc_class, batch_id = await _lot()
    declared = "ni:///sha-256;" + "ab" * 32 + "?ver=CBV2.0"
    document = _document(epc_class, "acme", "https://acme.example.org/", event_id=declared)
    [computed] = event_hash.document_hash_ids(document)

    result = await capture.epcis_capture(document, NOW)

    [warning] = result.warnings
    assert (warning.index, warning.code, warning.declared, warning.computed) == (
        0,
        "event_id_mismatch",
        declared,
        computed,
    )
    row = await TraceEvent.get(event_id=computed)
    assert row.declared_event_id == declared
    assert row.body["eventID"] == declared  # kept as sent, not replaced
    read = await SCHEMA.execute(
        "query($b: ID!) { batchEvents(batchId: $b) { nodes { eventId declaredEventId eventIdMismatch } } }",
        variable_values={"b": rl.encode_id("Batch", batch_id)},
        context_value=_context(Role.AUDITOR),
    )
    assert read.errors is None
    nodes = {n["eventId"]: n for n in read.data["batchEvents"]["nodes"]}
    assert nodes[computed] == {"eventId": computed, "declaredEventId": declared, "eventIdMismatch": True}
    assert [n["eventIdMismatch"] for i, n in nodes.items() if i != computed] == [False]


async def test_a_matching_hash_id_in_another_version_spelling_is_not_flagged(db):
    epc_class, _ = await _lot()
    document = _document(epc_class, "acme", "https://acme.example.org/")
    [computed] = event_hash.document_hash_ids(document)
    digest = computed.split(";")[1].split("?")[0]
    document["epcisBody"]["eventList"][0]["eventID"] = f"ni:///sha-256;{digest.upper()}?ver=CBV2"

    result = await capture.epcis_capture(document, NOW)

    assert result.warnings == []
    assert (await TraceEvent.get(event_id=computed)).declared_event_id is None
