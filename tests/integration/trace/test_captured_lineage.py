"""A partner's captured TransformationEvent links our lots in the genealogy as our own transformations do."""

from decimal import Decimal

from domain.trace import capture, genealogy
from domain.trace.models import BatchLineage
from tests import factories
from tests.factories import NOW


def _transformation(inputs: list[str], outputs: list[str]) -> dict:
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2030-06-04T08:00:00.000Z",
        "epcisBody": {
            "eventList": [
                {
                    "type": "TransformationEvent",
                    "eventTime": "2030-06-04T08:00:00.000+08:00",
                    "eventTimeZoneOffset": "+08:00",
                    "bizStep": "commissioning",
                    "readPoint": {"id": "urn:epc:id:sgln:4012345.00001.0"},
                    "inputQuantityList": [{"epcClass": c, "quantity": 2, "uom": "KGM"} for c in inputs],
                    "outputQuantityList": [{"epcClass": c, "quantity": 3, "uom": "KGM"} for c in outputs],
                }
            ]
        },
    }


async def test_a_captured_transformation_creates_lineage_from_each_known_input_to_each_known_output(db):
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    raw_a, raw_b, made = await factories.make_sku(), await factories.make_sku(), await factories.make_sku()
    a = await factories.receive(raw_a, wh, supplier, Decimal(5))
    b = await factories.receive(raw_b, wh, supplier, Decimal(5))
    out = await factories.receive(made, wh, supplier, Decimal(5))
    unknown = "urn:lotline:class:NOT-OURS:L1"
    document = _transformation(
        [
            f"urn:lotline:class:{raw_a.code}:{a.lot_code}",
            f"urn:lotline:class:{raw_b.code}:{b.lot_code}",
            unknown,
        ],
        [f"urn:lotline:class:{made.code}:{out.lot_code}"],
    )

    result = await capture.epcis_capture(document, NOW)
    again = await capture.epcis_capture(document, NOW)

    assert (result.captured, again.duplicates) == (1, 1)
    edges = await BatchLineage.filter(child_id=out.batch_id).values_list("parent_id", flat=True)
    assert sorted(edges) == sorted([a.batch_id, b.batch_id])
    tree = await genealogy.trace_backward(out.batch_id)
    assert {n.batch.lot_code for n in tree.inputs} == {a.lot_code, b.lot_code}


async def test_a_captured_object_event_creates_no_lineage(db):
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    sku = await factories.make_sku()
    lot = await factories.receive(sku, wh, supplier, Decimal(5))
    document = _transformation([], [])
    event = document["epcisBody"]["eventList"][0]
    for k in ("inputQuantityList", "outputQuantityList"):
        del event[k]
    event.update(
        type="ObjectEvent",
        action="OBSERVE",
        quantityList=[
            {"epcClass": f"urn:lotline:class:{sku.code}:{lot.lot_code}", "quantity": 1, "uom": "KGM"}
        ],
    )

    await capture.epcis_capture(document, NOW)

    assert await BatchLineage.filter(parent_id=lot.batch_id).count() == 0
    assert await BatchLineage.filter(child_id=lot.batch_id).count() == 0
