"""Builders make schema-valid EPCIS events whose eventID is their own hash ID."""

import copy
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from domain.trace import builders, epcis, errors, event_hash

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
AT = datetime(2024, 5, 1, 9, 15, 30, tzinfo=timezone(timedelta(hours=8)))
APPLES = builders.ProductLot("APL-01", "L2024-05", gtin="4012345123456")
FLOUR = builders.ProductLot("FLOUR/25", "B 7")  # no GTIN, characters that need escaping
WAREHOUSE = builders.Place("WH1")
DOCK = builders.Place("DOCK", gln="4012345000016", gln_extension="7")


def _receiving():
    return builders.object_event(
        event_time=AT,
        action=builders.Action.OBSERVE,
        biz_step="receiving",
        disposition="in_progress",
        read_point=DOCK,
        biz_location=WAREHOUSE,
        quantities=[builders.QuantityLine(APPLES, Decimal("12.500"), "kg")],
        biz_transactions=[
            builders.BizTransaction("po", "PO-0001"),
            builders.BizTransaction("desadv", "ASN 9"),
        ],
        sources=[
            builders.Party("owning_party", "SUP1"),
            builders.Party("location", "SUPWH", gln="4000001000005"),
        ],
        destinations=[builders.Party("owning_party", "US")],
        sensor_readings=[
            builders.SensorReading("temperature", Decimal("3.5"), time=AT, device_id="urn:lotline:device:T1"),
            builders.SensorReading("humidity", Decimal("85")),
        ],
    )


def _built_events():
    return {
        "receiving": _receiving(),
        "commissioning": builders.object_event(
            event_time=AT,
            action="ADD",
            biz_step="commissioning",
            disposition="active",
            read_point=WAREHOUSE,
            quantities=[builders.QuantityLine(FLOUR, Decimal(40), "box")],
            ilmd=builders.lot_ilmd("B 7", expiry=date(2025, 1, 31), best_before=date(2024, 12, 31)),
        ),
        "shipping": builders.object_event(
            event_time=AT,
            action="OBSERVE",
            biz_step="shipping",
            disposition="in_transit",
            read_point=WAREHOUSE,
            quantities=[builders.QuantityLine(APPLES, Decimal(3), "pcs")],
            biz_transactions=[builders.BizTransaction("inv", "INV-7")],
            destinations=[builders.Party("possessing_party", "CUST1", gln="4000001000005")],
        ),
        "destroying": builders.object_event(
            event_time=AT,
            action="DELETE",
            biz_step="destroying",
            disposition="destroyed",
            read_point=WAREHOUSE,
            quantities=[builders.QuantityLine(APPLES, Decimal("0.25"), "kg")],
        ),
        "recall inspection": builders.object_event(
            event_time=AT,
            action="OBSERVE",
            biz_step="inspecting",
            disposition="recalled",
            read_point=WAREHOUSE,
            epcs=["https://id.gs1.org/00/040123450000003338"],
        ),
        "transformation": builders.transformation_event(
            event_time=AT,
            inputs=[
                builders.QuantityLine(APPLES, Decimal(10), "kg"),
                builders.QuantityLine(FLOUR, Decimal(1), "XBX"),
            ],
            outputs=[builders.QuantityLine(builders.ProductLot("PIE", "P1"), Decimal(20), "pcs")],
            read_point=WAREHOUSE,
            transformation_id="urn:lotline:prodorder:MO-3",
            biz_transactions=[builders.BizTransaction("prodorder", "MO-3")],
            ilmd=builders.lot_ilmd("P1", expiry=date(2024, 5, 8)),
        ),
    }


BUILT = _built_events()


@pytest.mark.parametrize("name", BUILT)
def test_every_built_event_validates_in_a_document(name):
    epcis.validate_epcis_document(epcis.epcis_document([BUILT[name]], NOW))


@pytest.mark.parametrize("name", BUILT)
def test_the_event_id_is_the_hash_id_of_the_rest_of_the_event(name):
    event = BUILT[name]
    rest = {k: v for k, v in event.items() if k != "eventID"}
    assert event["eventID"] == event_hash.event_hash_id(rest)
    assert event["eventID"].startswith("ni:///sha-256;")
    assert event["eventID"] == event_hash.event_hash_id(event)


def test_all_built_events_together_validate_and_have_distinct_ids():
    epcis.validate_epcis_document(epcis.epcis_document(BUILT.values(), NOW, sender="urn:lotline:party:US"))
    assert len({e["eventID"] for e in BUILT.values()}) == len(BUILT)


def test_the_hash_id_is_stable_across_builds():
    assert _receiving() == _receiving()
    assert _receiving()["eventID"] == BUILT["receiving"]["eventID"]


def test_a_receiving_event_carries_lot_quantity_places_documents_parties_and_sensors():
    event = BUILT["receiving"]
    assert event["eventTime"] == "2024-05-01T09:15:30.000+08:00"
    assert event["eventTimeZoneOffset"] == "+08:00"
    assert event["quantityList"] == [
        {"epcClass": "https://id.gs1.org/01/04012345123456/10/L2024-05", "quantity": 12.5, "uom": "KGM"}
    ]
    assert event["readPoint"] == {"id": "https://id.gs1.org/414/4012345000016/254/7"}
    assert event["bizLocation"] == {"id": "urn:lotline:loc:WH1"}
    assert event["bizTransactionList"] == [
        {"type": "po", "bizTransaction": "urn:lotline:bt:po:PO-0001"},
        {"type": "desadv", "bizTransaction": "urn:lotline:bt:desadv:ASN%209"},
    ]
    assert event["sourceList"][1] == {"type": "location", "source": "https://id.gs1.org/414/4000001000005"}
    assert event["sensorElementList"] == [
        {
            "sensorReport": [
                {
                    "type": "gs1:Temperature",
                    "value": 3.5,
                    "uom": "CEL",
                    "time": "2024-05-01T09:15:30.000+08:00",
                    "deviceID": "urn:lotline:device:T1",
                },
                {"type": "gs1:RelativeHumidity", "value": 85, "uom": "P1"},
            ]
        }
    ]


def test_a_sku_without_gtin_gets_a_private_class_urn_with_escaped_parts():
    assert FLOUR.epc_class == "urn:lotline:class:FLOUR%2F25:B%207"


def _changed(event, path, value):
    changed = copy.deepcopy(event)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("eventTime",), "2024-05-01T09:15:31.000+08:00"),
        (("eventTimeZoneOffset",), "+09:00"),
        (("action",), "ADD"),
        (("bizStep",), "arriving"),
        (("disposition",), "active"),
        (("readPoint", "id"), "urn:lotline:loc:OTHER"),
        (("bizLocation", "id"), "urn:lotline:loc:OTHER"),
        (("quantityList", 0, "quantity"), 12.51),
        (("quantityList", 0, "uom"), "GRM"),
        (("quantityList", 0, "epcClass"), "https://id.gs1.org/01/04012345123456/10/L2024-06"),
        (("bizTransactionList", 0, "bizTransaction"), "urn:lotline:bt:po:PO-0002"),
        (("bizTransactionList", 0, "type"), "inv"),
        (("sourceList", 0, "source"), "urn:lotline:party:SUP2"),
        (("destinationList", 0, "type"), "possessing_party"),
        (("sensorElementList", 0, "sensorReport", 0, "value"), 3.6),
        (("sensorElementList", 0, "sensorReport", 1, "uom"), "A93"),
    ],
)
def test_the_hash_id_changes_when_any_hashed_field_changes(path, value):
    event = BUILT["receiving"]
    assert event_hash.event_hash_id(_changed(event, path, value)) != event["eventID"]


def test_the_hash_id_ignores_key_order_and_list_order():
    event = BUILT["receiving"]
    shuffled = dict(reversed(list(event.items())))
    shuffled["bizTransactionList"] = list(reversed(event["bizTransactionList"]))
    assert event_hash.event_hash_id(shuffled) == event["eventID"]


@pytest.mark.parametrize(
    ("unit", "code"), [("kg", "KGM"), ("KG", "KGM"), ("pcs", "H87"), ("box", "XBX"), ("XPX", "XPX")]
)
def test_units_map_to_un_cefact_codes(unit, code):
    assert builders.uom_code(unit) == code


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"action": "MOVE"}, "unknown action 'MOVE'"),
        ({"biz_step": "teleporting"}, "unknown business step 'teleporting'"),
        ({"disposition": "lost"}, "unknown disposition 'lost'"),
        ({"quantities": []}, "an ObjectEvent needs at least one EPC or one quantity"),
        (
            {"quantities": [builders.QuantityLine(APPLES, Decimal(1), "furlong")]},
            "unknown unit of measure 'furlong'",
        ),
        (
            {"read_point": builders.Place("X", gln="4012345000017")},
            "GLN '4012345000017' has a wrong check digit",
        ),
        ({"ilmd": {"cbvmda:lotNumber": "L"}}, "ilmd is only allowed on ADD events"),
    ],
)
def test_bad_inputs_are_refused_with_a_typed_error(kwargs, message):
    arguments = {
        "event_time": AT,
        "action": "OBSERVE",
        "biz_step": "receiving",
        "read_point": WAREHOUSE,
        "quantities": [builders.QuantityLine(APPLES, Decimal(1), "kg")],
        **kwargs,
    }
    with pytest.raises(errors.EventBuildError) as caught:
        builders.object_event(**arguments)
    assert caught.value.message == message
    assert caught.value.code == errors.TraceErrorCode.EVENT_INVALID


def test_a_transformation_needs_inputs_and_outputs():
    with pytest.raises(errors.EventBuildError, match="needs inputs and outputs"):
        builders.transformation_event(event_time=AT, inputs=[], outputs=[], read_point=WAREHOUSE)
