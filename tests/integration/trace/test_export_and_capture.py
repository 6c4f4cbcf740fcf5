"""EPCIS export validates; capture stores partner events under their own hash IDs, or nothing at all."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest

from domain.sales import shipments
from domain.trace import capture, epcis, event_hash, export
from domain.trace.models import TraceEvent, TraceEventBatch
from tests import factories
from tests.factories import NOW


async def _shipped_lot():
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    customer = await factories.make_customer()
    lot = await factories.receive(sku, wh, await factories.make_supplier(), Decimal(10))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(4))
    await shipments.shipment_post(order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(4))], NOW)
    return sku, lot


async def test_the_export_of_a_batch_is_a_valid_epcis_document_of_its_events(db):
    _, lot = await _shipped_lot()

    document = await export.epcis_export(export.Selection(batch_id=lot.batch_id), NOW)

    epcis.validate_epcis_document(document)
    steps = [e["bizStep"] for e in document["epcisBody"]["eventList"]]
    assert steps == ["receiving", "shipping"]
    assert event_hash.document_hash_ids(document) == [
        e["eventID"] for e in document["epcisBody"]["eventList"]
    ]


async def test_a_window_export_holds_only_events_inside_it(db):
    await _shipped_lot()

    document = await export.epcis_export(
        export.Selection(since=NOW, until=NOW + timedelta(microseconds=1)), NOW
    )

    times = {e["eventTime"] for e in document["epcisBody"]["eventList"]}
    assert times == {"2030-06-03T09:00:00.000Z"}


async def test_the_fsma_spreadsheet_lists_receiving_and_shipping_of_the_lot_as_csv_and_xlsx(db):
    _sku, lot = await _shipped_lot()

    rows = await export.fsma_rows(export.Selection(batch_id=lot.batch_id))
    table = list(csv.DictReader(io.StringIO(export.to_csv(rows).decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(rows))).active

    assert [(r["Critical Tracking Event"], r["Quantity"]) for r in table] == [
        ("Receiving", "10"),
        ("Shipping", "4"),
    ]
    assert {r["Traceability Lot Code"] for r in table} == {lot.lot_code}
    assert table[0]["Product Description"].startswith("Highland blueberries")
    assert table[0]["Reference Document Type"] == "Purchase Order"
    assert sheet.max_row == 3
    assert sheet.cell(2, 7).value == "Receiving"


def _partner_document(epc_class: str, when: str = "2030-06-04T08:00:00.000+08:00") -> dict:
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
                    "action": "OBSERVE",
                    "bizStep": "receiving",
                    "readPoint": {"id": "urn:epc:id:sgln:4012345.00001.0"},
                    "quantityList": [{"epcClass": epc_class, "quantity": 4, "uom": "KGM"}],
                }
            ]
        },
    }


async def test_capture_stores_partner_events_linked_to_our_lot_and_ignores_repeats(db):
    sku, lot = await _shipped_lot()
    document = _partner_document(f"urn:lotline:class:{sku.code}:{lot.lot_code}")

    first = await capture.epcis_capture(document, NOW)
    again = await capture.epcis_capture(document, NOW)

    assert (first.captured, first.duplicates, first.linked_batch_ids) == (1, 0, [lot.batch_id])
    assert (again.captured, again.duplicates) == (0, 1)
    [row] = await TraceEvent.filter(event_id=first.event_ids[0])
    assert row.origin == "external"
    assert row.event_id == event_hash.document_hash_ids(document)[0]
    assert await TraceEventBatch.filter(event_id=row.id, batch_id=lot.batch_id).count() == 1


async def test_an_invalid_document_stores_nothing_and_lists_its_problems(db):
    good = _partner_document("urn:lotline:class:X:Y", when="2030-06-04T09:00:00.000Z")
    bad = _partner_document("urn:lotline:class:X:Z")
    del bad["epcisBody"]["eventList"][0]["action"]
    bad["epcisBody"]["eventList"].insert(0, good["epcisBody"]["eventList"][0])
    before = await TraceEvent.all().count()

    with pytest.raises(capture.EpcisInvalid) as exc:
        await capture.epcis_capture(bad, NOW)

    assert exc.value.problems
    assert all(p.path.startswith("/epcisBody/eventList/1") for p in exc.value.problems)
    assert exc.value.path == ("document",)
    assert await TraceEvent.all().count() == before
