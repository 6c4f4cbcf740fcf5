"""POST /epcis/capture over HTTP with real tokens: stored whole, refused whole, or not let in at all."""

import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from domain.trace import event_hash, recording
from domain.trace.models import TraceEvent, TraceEventBatch
from tests import factories
from tests.e2e.api.conftest import Gql

EXAMPLES = {
    p.name: json.loads(p.read_text(encoding="utf-8"))
    for p in sorted((Path(__file__).parents[2] / "data" / "epcis" / "examples").glob("*.jsonld"))
}
assert len(EXAMPLES) >= 30, "the GS1 examples are missing from tests/data/epcis/examples"
TokenFor = Callable[..., Awaitable[str]]


def _document(
    epc_class: str, when: str = "2030-06-04T08:00:00.000+08:00", action: str = "OBSERVE"
) -> dict[str, Any]:
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2030-06-04T08:00:00.000Z",
        "epcisBody": {
            "eventList": [
                {
                    "type": "ObjectEvent",
                    "eventTime": when,
                    "eventTimeZoneOffset": "+08:00",
                    "action": action,
                    "bizStep": "receiving",
                    "readPoint": {"id": "urn:epc:id:sgln:4012345.00001.0"},
                    "quantityList": [{"epcClass": epc_class, "quantity": 4, "uom": "KGM"}],
                }
            ]
        },
    }


async def _post(client: httpx.AsyncClient, document: Any, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await client.post("/epcis/capture", content=json.dumps(document), headers=headers)


async def test_a_partner_document_is_stored_and_linked_to_our_lot(
    client: httpx.AsyncClient, token_for: TokenFor
) -> None:
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    lot = await factories.receive(sku, wh, await factories.make_supplier(), Decimal(5))
    document = _document(f"urn:lotline:class:{sku.code}:{lot.lot_code}")
    token = await token_for("warehouse")

    first = await _post(client, document, token)
    again = await _post(client, document, token)

    assert first.status_code == 201, first.text
    [hash_id] = event_hash.document_hash_ids(document)
    assert first.json() == {
        "captured": 1,
        "duplicates": 0,
        "eventIds": [hash_id],
        "linkedBatchCount": 1,
        "warnings": [],
    }
    assert again.status_code == 201
    assert (again.json()["captured"], again.json()["duplicates"]) == (0, 1)
    [row] = await TraceEvent.filter(event_id=hash_id)
    assert row.origin == "external"
    assert await TraceEventBatch.filter(event_id=row.id, batch_id=lot.batch_id).count() == 1


async def test_an_event_id_that_is_not_the_hash_is_stored_as_sent_with_a_warning(
    client: httpx.AsyncClient, token_for: TokenFor
) -> None:
    document = _document(f"urn:lotline:class:X:{uuid.uuid4().hex[:8]}")
    declared = "ni:///sha-256;" + "0f" * 32 + "?ver=CBV2.0"
    document["epcisBody"]["eventList"][0]["eventID"] = declared

    response = await _post(client, document, await token_for("warehouse"))

    assert response.status_code == 201, response.text
    [hash_id] = event_hash.document_hash_ids(document)
    [warning] = response.json()["warnings"]
    assert warning["code"] == "EVENT_ID_MISMATCH"
    assert (warning["index"], warning["declaredEventId"], warning["computedEventId"]) == (
        0,
        declared,
        hash_id,
    )
    assert "eventID" in warning["message"]
    row = await TraceEvent.get(event_id=hash_id)
    assert (row.declared_event_id, row.body["eventID"]) == (declared, declared)


async def test_an_invalid_document_is_a_400_listing_its_problems_and_stores_nothing(
    client: httpx.AsyncClient, token_for: TokenFor
) -> None:
    good = _document("urn:lotline:class:X:GOOD", when="2030-06-05T09:00:00.000Z")
    bad = _document("urn:lotline:class:X:BAD", action="LOOK")
    bad["epcisBody"]["eventList"].insert(0, good["epcisBody"]["eventList"][0])
    before = await TraceEvent.all().count()

    response = await _post(client, bad, await token_for("warehouse"))

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "EPCIS_INVALID"
    assert body["problems"]
    assert all(p["path"].startswith("/epcisBody/eventList/1") for p in body["problems"])
    assert any(p["path"] == "/epcisBody/eventList/1/action" for p in body["problems"])
    assert await TraceEvent.all().count() == before


async def test_a_body_that_is_not_json_is_a_400(client: httpx.AsyncClient, token_for: TokenFor) -> None:
    response = await client.post(
        "/epcis/capture",
        content=b"{not json",
        headers={"Authorization": f"Bearer {await token_for('warehouse')}"},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "EPCIS_INVALID"
    assert len(response.json()["problems"]) == 1


async def test_without_a_token_the_route_answers_401_and_stores_nothing(client: httpx.AsyncClient) -> None:
    before = await TraceEvent.all().count()

    anonymous = await _post(client, _document("urn:lotline:class:X:ANON"), None)
    forged = await _post(client, _document("urn:lotline:class:X:ANON"), "not-a-token")

    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "UNAUTHENTICATED"
    assert forged.status_code == 401
    assert await TraceEvent.all().count() == before


@pytest.mark.parametrize("role", ["sales", "finance", "auditor"])
async def test_a_role_without_receiving_gets_403_and_stores_nothing(
    client: httpx.AsyncClient, token_for: TokenFor, role: str
) -> None:
    before = await TraceEvent.all().count()

    response = await _post(client, _document("urn:lotline:class:X:NOPE"), await token_for(role))

    assert response.status_code == 403
    assert response.json() == {"code": "FORBIDDEN", "message": f"the {role} role lacks receiving"}
    assert await TraceEvent.all().count() == before


EXPORT = """query($since: DateTime, $until: DateTime) { epcisExport(since: $since, until: $until) }"""


@pytest.mark.parametrize("name", sorted(EXAMPLES))
async def test_every_gs1_example_is_accepted_and_comes_back_in_the_export(
    client: httpx.AsyncClient, gql: Gql, token_for: TokenFor, name: str
) -> None:
    document = EXAMPLES[name]
    events = event_hash.document_events(document)
    token = await token_for("warehouse")

    response = await _post(client, document, token)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["captured"] + body["duplicates"] == len(events)
    assert body["eventIds"] == event_hash.document_hash_ids(document)
    assert await TraceEvent.filter(event_id__in=body["eventIds"]).count() == len(set(body["eventIds"]))
    times = [recording.parse_time(str(e["eventTime"])) for e in events]
    window = {
        "since": min(times).isoformat(),
        "until": (max(times) + timedelta(microseconds=1)).isoformat(),
    }
    exported = await gql(EXPORT, window, token=token)
    assert "errors" not in exported, exported
    out = exported["data"]["epcisExport"]
    assert out["type"] == "EPCISDocument"
    back = out["epcisBody"]["eventList"]
    # An event whose hash ID we already held (another example with the same content under another eventID)
    # was counted as a duplicate: the export gives back the stored event of that hash ID.
    stored = {e.event_id: e.body for e in await TraceEvent.filter(event_id__in=body["eventIds"])}
    for event, hash_id in zip(events, body["eventIds"], strict=True):
        assert stored[hash_id] in [{k: v for k, v in e.items() if k != "@context"} for e in back]
        if stored[hash_id].get("eventID") == event.get("eventID"):
            # Stored as sent, plus our recordTime (set at capture, the sender's is not kept), chain link and
            # capture metadata (the document's own @context prefixes and ignoreFields, hashed with the event).
            ours_keys = ("recordTime", "lotline:chain", "lotline:capture")
            ours = {k: v for k, v in stored[hash_id].items() if k not in ours_keys}
            assert ours == {k: v for k, v in event.items() if k != "recordTime"}
            assert recording.parse_time(stored[hash_id]["recordTime"]) > max(times)
    # Re-exported, each event hashes to the ID computed at capture (its document's prefixes came along).
    assert set(body["eventIds"]) <= set(event_hash.document_hash_ids(out))
    # An eventID that is not the hash of its event is reported, and kept as sent.
    for warning in body["warnings"]:
        assert warning["code"] == "EVENT_ID_MISMATCH"
        assert warning["declaredEventId"] == events[warning["index"]]["eventID"]
        assert warning["computedEventId"] == body["eventIds"][warning["index"]]
