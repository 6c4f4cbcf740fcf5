"""``dataHealth`` over GraphQL: staff see every supplier, a supplier its own scorecard only."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal

from api.relay import encode_id
from domain.purchasing import receipts
from tests.e2e.api.conftest import Gql
from tests.integration.asn.conftest import make_story

TokenFor = Callable[..., Awaitable[str]]
HEALTH = """query($s: ID) { dataHealth(weeks: 2, supplierId: $s) { weeks metrics { key unit threshold }
  values { supplierCode week key value samples breached }
  masterData { supplierCode value } alerts { key } } }"""


async def test_staff_and_suppliers_read_the_data_health_report_within_their_scope(
    gql: Gql, token_for: TokenFor
):
    story = await make_story()
    await receipts.goods_receipt_post(
        story.order_id,
        [receipts.ReceiptLineInput(story.line_ids[0], Decimal(1), "NOASN", story.wh.bins[0])],
        datetime.now(UTC),
    )
    buyer = await token_for("buyer")
    mine = await token_for("supplier", supplier_code=story.supplier.code)

    staff = (await gql(HEALTH, {"s": encode_id("Supplier", story.supplier.id)}, token=buyer))["data"][
        "dataHealth"
    ]
    own = (await gql(HEALTH, token=mine))["data"]["dataHealth"]
    other = await gql(HEALTH, {"s": encode_id("Supplier", story.other.id)}, token=mine)

    coverage = [v for v in staff["values"] if v["key"] == "asn_coverage"]
    assert coverage == [
        {
            "supplierCode": story.supplier.code,
            "week": staff["weeks"][-1],
            "key": "asn_coverage",
            "value": "0",
            "samples": 1,
            "breached": True,
        }
    ]
    assert {"key": "asn_coverage", "unit": "%", "threshold": "80"} in staff["metrics"]
    assert {v["supplierCode"] for v in own["values"] + own["masterData"]} == {story.supplier.code}
    assert other["data"] is None
    assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND"
