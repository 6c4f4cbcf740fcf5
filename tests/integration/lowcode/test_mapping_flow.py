"""Done-when flow, through GraphQL: map a partner's ASN (GS1's EPCIS example) and an Ele.me order push."""

import copy
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from domain.asn.models import AdvanceShippingNotice, AsnLine
from domain.catalog import services as catalog
from domain.partners.rules import Role
from domain.purchasing import services as purchasing
from domain.sales.models import SalesOrder, SalesOrderLine
from tests import factories
from tests.integration.lowcode.conftest import gql
from tests.unit.mappings.test_rules import ASN_SPEC, ORDER_SPEC, PO_URN

EPCIS = json.loads(Path("/work/shared/epcis/examples/object_event_all_possible_fields.jsonld").read_text())
ELEME = json.loads(Path("/work/shared/fixtures/eleme/sample_push_type10.json").read_text())
GTIN = "04012345123456"  # the example's urn:epc:class:lgtin:4012345.012345.998877

SAVE = """
mutation($input: PartnerMappingSaveInput!) {
  partnerMappingSave(input: $input) {
    __typename ... on Posted { number } ... on UserError { code message path }
  }
}"""
DRY_RUN = """
query($kind: PartnerKind!, $code: String!, $target: MappingTarget!, $payload: JSON!, $version: Int) {
  partnerMappingDryRun(
    partnerKind: $kind, partnerCode: $code, target: $target, payload: $payload, version: $version
  ) { version values lines problems { path message } }
}"""
APPLY = """
mutation($input: PartnerMappingApplyInput!) {
  partnerMappingApply(input: $input) {
    __typename
    ... on MappingApplied { dryRun { problems { path message } } posted { documentType number } }
    ... on UserError { code message path }
  }
}"""


def _sku(gtin: str | None = None) -> catalog.SkuInput:
    return catalog.SkuInput(factories.code("SKU"), "柠檬", "Lemons", "kg", gtin=gtin)


async def test_a_suppliers_epcis_shipping_event_becomes_an_asn_in_four_calls(fields_db: object) -> None:
    supplier, wh = await factories.make_supplier(), await factories.make_warehouse()
    sku = await catalog.create_sku(_sku(GTIN if not await _gtin_taken() else None))
    order = await purchasing.purchase_order_create(
        supplier.code, wh.code, [catalog.OrderLineInput(sku.code, Decimal(50), "kg", Decimal(8))]
    )
    await purchasing.purchase_order_confirm(order.document_id, factories.NOW)
    spec = copy.deepcopy(ASN_SPEC)
    spec["tables"] = {"orders": {PO_URN: order.number}}
    if sku.gtin is None:  # another test of the session owns the GTIN: map the lot to our SKU by code
        spec["lines"]["fields"].pop("gtin")
        spec["lines"]["fields"]["skuCode"] = {"value": sku.code}
    arriving = copy.deepcopy(EPCIS)  # GS1's example is dated 2005: the same event, shipped today
    event = arriving["epcisBody"]["eventList"][0]
    event["eventTime"] = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    kind = {"partnerKind": "SUPPLIER", "partnerCode": supplier.code}

    saved = await gql(Role.BUYER, SAVE, input={**kind, "spec": spec, "note": "GS1 EPCIS 2.0"})
    dry = await gql(Role.BUYER, DRY_RUN, kind="SUPPLIER", code=supplier.code, target="ASN", payload=arriving)
    applied = await gql(Role.BUYER, APPLY, input={**kind, "target": "ASN", "payload": arriving})
    stale = await gql(Role.BUYER, APPLY, input={**kind, "target": "ASN", "payload": EPCIS})

    assert saved["partnerMappingSave"] == {"__typename": "Posted", "number": f"{supplier.code}/asn/v1"}
    assert dry["partnerMappingDryRun"]["problems"] == []
    assert dry["partnerMappingDryRun"]["lines"][0]["lotCode"] == "998877"
    assert dry["partnerMappingDryRun"]["lines"][0]["quantity"] == "20"  # 200 KGM x 0.1 (the spec's factor)
    posted = applied["partnerMappingApply"]["posted"]
    assert posted["documentType"] == "advance_shipping_notice"
    asn = await AdvanceShippingNotice.get(number=posted["number"])
    lines = await AsnLine.filter(asn_id=asn.id).values_list("lot_code", "quantity")
    assert asn.note == "urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8"
    assert [(lot, Decimal(q)) for lot, q in lines] == [("998877", Decimal(20))]
    assert stale["partnerMappingApply"] == {
        "__typename": "ValidationError",
        "code": "VALIDATION",
        "message": "the expected arrival is in the past",
        "path": ["expectedArrival"],
    }


async def test_mappings_are_versioned_and_a_dry_run_shows_every_fields_error(fields_db: object) -> None:
    supplier = await factories.make_supplier()
    kind = {"partnerKind": "SUPPLIER", "partnerCode": supplier.code}
    v1 = copy.deepcopy(ASN_SPEC)
    v2 = copy.deepcopy(ASN_SPEC)
    v2["lines"]["fields"]["quantity"]["transforms"][0]["factors"] = {"GRM": "0.001"}
    for spec in (v1, v2):
        assert (await gql(Role.BUYER, SAVE, input={**kind, "spec": spec}))["partnerMappingSave"][
            "__typename"
        ] == "Posted"
    bad = await gql(Role.BUYER, SAVE, input={**kind, "spec": {**v1, "root": "a[?"}})

    latest = await gql(Role.BUYER, DRY_RUN, kind="SUPPLIER", code=supplier.code, target="ASN", payload=EPCIS)
    first = await gql(
        Role.BUYER, DRY_RUN, kind="SUPPLIER", code=supplier.code, target="ASN", payload=EPCIS, version=1
    )

    listed = await gql(
        Role.BUYER,
        "query($c: String) { partnerMappings(partnerKind: SUPPLIER, partnerCode: $c) { target version } }",
        c=supplier.code,
    )
    assert listed["partnerMappings"] == [{"target": "ASN", "version": 2}, {"target": "ASN", "version": 1}]
    assert bad["partnerMappingSave"]["path"] == ["spec", "root"]
    assert latest["partnerMappingDryRun"]["version"] == 2
    assert latest["partnerMappingDryRun"]["problems"] == [  # the mapping's, then what did not resolve
        {"path": ["lines", "0", "quantity"], "message": "quantity (transform 0) unit 'KGM' has no factor"},
        {"path": ["purchaseOrderNumber"], "message": f"purchase order PO000042 of {supplier.code} not found"},
    ]
    assert first["partnerMappingDryRun"]["problems"] == [
        {"path": ["purchaseOrderNumber"], "message": f"purchase order PO000042 of {supplier.code} not found"}
    ]


async def test_an_eleme_order_push_becomes_a_sales_order(fields_db: object) -> None:
    customer, wh = await factories.make_customer(), await factories.make_warehouse()
    small, green = await catalog.create_sku(_sku()), await catalog.create_sku(_sku())
    spec = copy.deepcopy(ORDER_SPEC)
    spec["fields"]["customerCode"] = {"value": customer.code}
    spec["tables"] = {
        "shops": {"150128203": wh.code},
        "skus": {"238364002730": small.code, "238366100906": green.code},
    }
    kind = {"partnerKind": "CUSTOMER", "partnerCode": customer.code}

    await gql(Role.SALES, SAVE, input={**kind, "spec": spec})
    applied = await gql(Role.SALES, APPLY, input={**kind, "target": "SALES_ORDER", "payload": ELEME})
    by_buyer = await gql(Role.BUYER, APPLY, input={**kind, "target": "SALES_ORDER", "payload": ELEME})

    order = await SalesOrder.get(number=applied["partnerMappingApply"]["posted"]["number"])
    lines = (
        await SalesOrderLine.filter(order_id=order.id)
        .order_by("id")
        .values_list("sku_id", "quantity", "unit_price")
    )
    assert order.note == "3012966986714717290"
    assert [(s, Decimal(q), Decimal(p)) for s, q, p in lines] == [
        (small.id, Decimal(1), Decimal("0.01")),
        (green.id, Decimal(2), Decimal("20.09")),
    ]
    assert by_buyer["partnerMappingApply"]["__typename"] == "Forbidden"


async def _gtin_taken() -> bool:
    from domain.catalog.models import Sku

    return await Sku.exists(gtin=GTIN)
