"""ASN, acknowledgement and receipt-from-ASN over GraphQL, with the supplier scope of the rest of the API."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from api.relay import encode_id
from domain.asn.models import AdvanceShippingNotice, PurchaseOrderLineAck
from tests.e2e.api.conftest import Gql
from tests.integration.asn.conftest import make_story

TokenFor = Callable[..., Awaitable[str]]
TOMORROW = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)

ACK = """mutation($input: PurchaseOrderAcknowledgeInput!) { purchaseOrderAcknowledge(input: $input) {
  __typename ... on Posted { number } ... on UserError { code message path } } }"""
ASN = """mutation($input: AsnCreateInput!) { asnCreate(input: $input) {
  __typename ... on Posted { number documentId document { ... on AdvanceShippingNotice { id status
    lines { id lotCode quantity { value unit } } } } }
  ... on UserError { code message path } } }"""
RECEIVE = """mutation($input: GoodsReceiptPostFromAsnInput!) { goodsReceiptPostFromAsn(input: $input) {
  __typename ... on Posted { documentType document { ... on GoodsReceipt {
    lines { batch { lotCode } quantity { value } } } } }
  ... on UserError { code message path } } }"""
ASNS = """{ advanceShippingNotices(first: 50) { totalCount nodes { id number
  differences { field expected received } } } }"""
ACKS = """query($po: ID!) { purchaseOrderAcknowledgements(purchaseOrderId: $po) {
  decision promisedDate promisedQuantity { value unit } } }"""


def _asn_input(story, po: str) -> dict:
    return {
        "purchaseOrderId": po,
        "expectedArrival": TOMORROW.isoformat(),
        "lines": [
            {
                "orderLineId": encode_id("PurchaseOrderLine", story.line_ids[0]),
                "lotCode": "L-1",
                "quantity": "6",
            },
            {
                "orderLineId": encode_id("PurchaseOrderLine", story.line_ids[0]),
                "lotCode": "L-2",
                "quantity": "4",
            },
        ],
    }


async def test_a_supplier_acknowledges_and_announces_and_the_warehouse_receives_from_the_asn(
    gql: Gql, token_for: TokenFor
) -> None:
    story = await make_story()
    po = encode_id("PurchaseOrder", story.order_id)
    me = await token_for("supplier", supplier_code=story.supplier.code)
    warehouse = await token_for("warehouse")
    promised = (TOMORROW + timedelta(days=1)).date().isoformat()

    ack = await gql(
        ACK,
        {
            "input": {
                "purchaseOrderId": po,
                "lines": [
                    {
                        "orderLineId": encode_id("PurchaseOrderLine", story.line_ids[0]),
                        "decision": "ACCEPTED",
                        "promisedDate": promised,
                    },
                    {
                        "orderLineId": encode_id("PurchaseOrderLine", story.line_ids[1]),
                        "decision": "DECLINED",
                    },
                ],
            }
        },
        token=me,
    )
    assert ack["data"]["purchaseOrderAcknowledge"]["__typename"] == "Posted"
    acks = (await gql(ACKS, {"po": po}, token=me))["data"]["purchaseOrderAcknowledgements"]
    assert acks == [
        {
            "decision": "accepted",
            "promisedDate": promised,
            "promisedQuantity": {"value": "10", "unit": "box"},
        },
        {"decision": "declined", "promisedDate": None, "promisedQuantity": {"value": "0", "unit": "kg"}},
    ]

    created = (await gql(ASN, {"input": _asn_input(story, po)}, token=me))["data"]["asnCreate"]
    assert created["__typename"] == "Posted", created
    asn = created["document"]
    assert asn["status"] == "open"
    assert [(ln["lotCode"], ln["quantity"]) for ln in asn["lines"]] == [
        ("L-1", {"value": "6", "unit": "box"}),
        ("L-2", {"value": "4", "unit": "box"}),
    ]

    received = await gql(
        RECEIVE,
        {
            "input": {
                "asnId": asn["id"],
                "locationCode": story.wh.bins[0],
                "lines": [{"asnLineId": asn["lines"][1]["id"], "quantity": "3.5"}],
            }
        },
        token=warehouse,
    )
    body = received["data"]["goodsReceiptPostFromAsn"]
    assert body["__typename"] == "Posted", body
    assert body["documentType"] == "goods_receipt"
    assert [(ln["batch"]["lotCode"], ln["quantity"]["value"]) for ln in body["document"]["lines"]] == [
        ("L-1", "60"),
        ("L-2", "35"),
    ]
    mine = (await gql(ASNS, token=me))["data"]["advanceShippingNotices"]
    assert mine["totalCount"] == 1
    assert mine["nodes"][0]["differences"] == [{"field": "quantity", "expected": "4", "received": "3.5"}]


async def test_another_supplier_gets_not_found_and_sees_nothing(gql: Gql, token_for: TokenFor) -> None:
    story = await make_story()
    po = encode_id("PurchaseOrder", story.order_id)
    owner = await token_for("supplier", supplier_code=story.supplier.code)
    them = await token_for("supplier", supplier_code=story.other.code)
    await gql(ASN, {"input": _asn_input(story, po)}, token=owner)
    before = (
        await AdvanceShippingNotice.filter(order_id=story.order_id).count(),
        await PurchaseOrderLineAck.filter(order_id=story.order_id).count(),
    )

    asn = (await gql(ASN, {"input": _asn_input(story, po)}, token=them))["data"]["asnCreate"]
    ack = await gql(
        ACK,
        {
            "input": {
                "purchaseOrderId": po,
                "lines": [
                    {"orderLineId": encode_id("PurchaseOrderLine", story.line_ids[1]), "decision": "DECLINED"}
                ],
            }
        },
        token=them,
    )
    listed = (await gql(ASNS, token=them))["data"]["advanceShippingNotices"]
    acks = (await gql(ACKS, {"po": po}, token=them))["data"]["purchaseOrderAcknowledgements"]

    not_found = f"purchase order {story.order_id} not found"
    assert (asn["__typename"], asn["code"], asn["message"]) == ("NotFound", "NOT_FOUND", not_found)
    assert ack["data"]["purchaseOrderAcknowledge"]["code"] == "NOT_FOUND"
    assert (listed["totalCount"], acks) == (0, [])
    assert (
        await AdvanceShippingNotice.filter(order_id=story.order_id).count(),
        await PurchaseOrderLineAck.filter(order_id=story.order_id).count(),
    ) == before


async def test_a_supplier_cannot_post_the_receipt_and_a_sales_user_cannot_announce(
    gql: Gql, token_for: TokenFor
) -> None:
    story = await make_story()
    po = encode_id("PurchaseOrder", story.order_id)
    owner = await token_for("supplier", supplier_code=story.supplier.code)
    sales = await token_for("sales")
    created = (await gql(ASN, {"input": _asn_input(story, po)}, token=owner))["data"]["asnCreate"]

    by_supplier = await gql(
        RECEIVE, {"input": {"asnId": created["documentId"], "locationCode": story.wh.bins[0]}}, token=owner
    )
    by_sales = await gql(ASN, {"input": _asn_input(story, po)}, token=sales)

    assert by_supplier["data"]["goodsReceiptPostFromAsn"]["code"] == "FORBIDDEN"
    assert by_sales["data"]["asnCreate"]["code"] == "FORBIDDEN"
    assert (await AdvanceShippingNotice.get(id=int(_pk(created["documentId"])))).status == "open"


def _pk(gid: str) -> str:
    from strawberry import relay

    return relay.GlobalID.from_id(gid).node_id
