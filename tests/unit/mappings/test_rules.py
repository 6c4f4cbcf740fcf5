"""Partner field mappings, pure, on real payloads: a GS1 EPCIS shipping event and an Ele.me order push."""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.mappings import rules

EPCIS = json.loads(Path("/work/shared/epcis/examples/object_event_all_possible_fields.jsonld").read_text())
ELEME = json.loads(Path("/work/shared/fixtures/eleme/sample_push_type10.json").read_text())
PO_URN = "urn:epc:id:gdti:0614141.00001.1618034"

ASN_SPEC: dict[str, Any] = {
    "target": "asn",
    "root": "epcisBody.eventList[?type=='ObjectEvent'] | [0]",
    "fields": {
        "purchaseOrderNumber": {
            "path": "bizTransactionList[?type=='po'] | [0].bizTransaction",
            "transforms": [{"op": "lookup", "table": "orders"}],
        },
        "expectedArrival": {"path": "eventTime", "transforms": [{"op": "datetime"}]},
        "note": {"path": "eventID"},
    },
    "lines": {
        "path": "quantityList",
        "fields": {
            "gtin": {"path": "epcClass", "transforms": [{"op": "gtin"}]},
            "lotCode": {"path": "epcClass", "transforms": [{"op": "lot"}]},
            "quantity": {
                "path": "quantity",
                "transforms": [{"op": "convert", "unitPath": "uom", "factors": {"KGM": "0.1"}}],
            },
            "expiryDate": {"path": "ilmd.itemExpirationDate", "transforms": [{"op": "date"}]},
        },
    },
    "tables": {"orders": {PO_URN: "PO000042"}},
}

ORDER_SPEC: dict[str, Any] = {
    "target": "sales_order",
    "decode": ["message"],
    "fields": {
        "customerCode": {"value": "ELEME-CONSUMER"},
        "warehouseCode": {"path": "shopId", "transforms": [{"op": "lookup", "table": "shops"}]},
        "requestedDate": {"path": "message.activeAt", "transforms": [{"op": "date"}]},
        "note": {"path": "message.orderId"},
    },
    "lines": {
        "path": "message.groups[?type=='normal'].items[]",
        "fields": {
            "skuCode": {"path": "skuId", "transforms": [{"op": "lookup", "table": "skus"}]},
            "quantity": {"path": "quantity", "transforms": [{"op": "decimal"}]},
            "unitPrice": {"path": "price", "transforms": [{"op": "decimal"}]},
        },
    },
    "tables": {"shops": {"150128203": "WH-SH"}, "skus": {"238364002730": "TEA-LEMON-S"}},
}


def test_a_gs1_epcis_object_event_maps_to_an_asn_with_gtin_lot_and_converted_quantity() -> None:
    assert rules.spec_problems(ASN_SPEC) == []

    mapped = rules.apply(ASN_SPEC, EPCIS)

    assert mapped.problems == []
    assert mapped.values == {
        "purchaseOrderNumber": "PO000042",
        "expectedArrival": "2005-04-05T02:33:31.116000+00:00",
        "note": "urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8",
    }
    assert mapped.lines == [
        {"gtin": "04012345123456", "lotCode": "998877", "quantity": "20", "expiryDate": None}
    ]


def test_the_eleme_push_maps_to_a_sales_order_and_names_the_one_unmapped_sku() -> None:
    mapped = rules.apply(ORDER_SPEC, ELEME)

    assert mapped.values == {
        "customerCode": "ELEME-CONSUMER",
        "warehouseCode": "WH-SH",
        "requestedDate": "2017-09-27",
        "note": "3012966986714717290",
    }
    assert mapped.lines == [
        {"skuCode": "TEA-LEMON-S", "quantity": "1", "unitPrice": "0.01"},
        {"skuCode": None, "quantity": "2", "unitPrice": "20.09"},
    ]
    assert mapped.problems == [
        rules.Problem(("lines", "1", "skuCode"), "skuCode (transform 0) '238366100906' is not in table skus")
    ]


def test_a_dry_run_reports_every_field_that_fails_not_just_the_first() -> None:
    spec = {**ASN_SPEC, "tables": {}}
    spec["lines"] = {**ASN_SPEC["lines"], "fields": {**ASN_SPEC["lines"]["fields"]}}
    spec["lines"]["fields"]["quantity"] = {
        "path": "quantity",
        "transforms": [{"op": "convert", "unitPath": "uom", "factors": {"GRM": "0.001"}}],
    }

    mapped = rules.apply(spec, EPCIS)

    assert [(p.path, p.message) for p in mapped.problems] == [
        (("purchaseOrderNumber",), f"purchaseOrderNumber (transform 0) '{PO_URN}' is not in table orders"),
        (("lines", "0", "quantity"), "quantity (transform 0) unit 'KGM' has no factor"),
    ]


@pytest.mark.parametrize(
    ("spec", "path"),
    [
        ({"target": "invoice"}, ("target",)),
        ({"target": "asn", "fields": {"colour": {"path": "x"}}}, ("fields", "colour")),
        ({"target": "asn", "fields": {"note": {"path": "a[?"}}}, ("fields", "note", "path")),
        ({"target": "asn", "fields": {}, "lines": {"path": "", "fields": {}}}, ("lines", "path")),
    ],
)
def test_a_bad_spec_is_refused_with_the_path_of_its_mistake(
    spec: dict[str, Any], path: tuple[str, ...]
) -> None:
    assert rules.spec_problems(spec)[0].path == path


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-(10**9), max_value=10**9))
def test_the_decimal_transform_is_exact_for_strings_and_for_the_floats_json_gives(amount: Decimal) -> None:
    assert Decimal(rules.transform(str(amount), {"op": "decimal"}, {}, {})) == amount
    as_float = float(amount)
    assert rules.transform(as_float, {"op": "decimal"}, {}, {}) == rules.transform(
        repr(as_float), {"op": "decimal"}, {}, {}
    )


def test_dates_times_and_epoch_milliseconds_are_read_as_written() -> None:
    assert rules.transform("27/09/2017", {"op": "date", "format": "%d/%m/%Y"}, {}, {}) == "2017-09-27"
    assert rules.transform("2017-09-27T18:12:10", {"op": "datetime", "zone": "+08:00"}, {}, {}) == (
        "2017-09-27T18:12:10+08:00"
    )
    assert (
        rules.transform(ELEME["timestamp"], {"op": "epoch_ms"}, {}, {}) == "2017-09-27T10:12:10.645000+00:00"
    )
    with pytest.raises(rules.TransformError, match="has no zone"):
        rules.transform("2017-09-27T18:12:10", {"op": "datetime"}, {}, {})
