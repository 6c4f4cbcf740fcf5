"""Over GraphQL: gate arrivals (receiving only), ASN cancellation (the supplier's own, recorded, no longer
offered as open), stored health alerts and supplier statements within the caller's scope, and the books vs
ledger list equal to the dashboard's."""

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from api.relay import encode_id
from domain.asn import rules, services
from domain.asn.models import AdvanceShippingNotice, Arrival
from domain.health import books, snapshot
from domain.health.models import HealthAlert
from tests.e2e.api.conftest import Gql
from tests.integration.asn.conftest import make_story

TokenFor = Callable[..., Awaitable[str]]
RESULT = "__typename ... on Posted { number documentType } ... on UserError { code message path }"
ARRIVE = f"mutation($i: ArrivalRecordInput!) {{ arrivalRecord(input: $i) {{ {RESULT} }} }}"
CANCEL = f"mutation($i: AsnCancelInput!) {{ asnCancel(input: $i) {{ {RESULT} }} }}"
OPEN = (
    """query($po: ID) { advanceShippingNotices(purchaseOrderId: $po, status: "open") { nodes { number } } }"""
)
ARRIVALS = "{ arrivals(first: 50) { totalCount nodes { number vehicle asnId purchaseOrderId } } }"
ALERTS = "query($s: ID) { healthAlerts(first: 100, supplierId: $s) { nodes { supplierId week key value } } }"
LEDGER = "{ dataHealth(weeks: 1) { ledgerCheckedAt ledgerDisagreements { source what text supplierId } } }"
STATEMENT = """query($s: ID, $since: Date!, $until: Date!) { supplierStatement(supplierId: $s, since: $since,
  until: $until) { supplierCode opening { amount } closing { amount } lines { kind } } }"""


async def _open_asn(story) -> int:
    now = datetime.now(UTC)
    posted = await services.asn_create(
        story.order_id,
        now + timedelta(hours=2),
        [rules.AsnLineInput(story.line_ids[0], "G-1", Decimal(2))],
        now,
        supplier_id=story.supplier.id,
    )
    return posted.document_id


async def test_the_warehouse_registers_an_arrival_and_a_supplier_or_buyer_may_not(
    gql: Gql, token_for: TokenFor
):
    story = await make_story()
    asn_id = await _open_asn(story)
    gate = {"arrivedAt": datetime.now(UTC).isoformat(), "asnId": encode_id("AdvanceShippingNotice", asn_id)}
    supplier = await token_for("supplier", supplier_code=story.supplier.code)
    buyer = await token_for("buyer")
    warehouse = await token_for("warehouse")

    refused = [(await gql(ARRIVE, {"i": gate}, token=t))["data"]["arrivalRecord"] for t in (supplier, buyer)]
    done = (await gql(ARRIVE, {"i": {**gate, "vehicle": "沪A1"}}, token=warehouse))["data"]["arrivalRecord"]
    listed = (await gql(ARRIVALS, token=supplier))["data"]["arrivals"]
    theirs = (await gql(ARRIVALS, token=await token_for("supplier", supplier_code=story.other.code)))["data"]

    assert [r["code"] for r in refused] == ["FORBIDDEN", "FORBIDDEN"]
    assert (done["__typename"], done["documentType"]) == ("Posted", "arrival")
    assert await Arrival.filter(asn_id=asn_id).count() == 1
    assert [n["number"] for n in listed["nodes"]] == [done["number"]]
    assert listed["nodes"][0]["vehicle"] == "沪A1"
    assert theirs["arrivals"]["totalCount"] == 0
    future = {
        "arrivedAt": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
        "purchaseOrderId": encode_id("PurchaseOrder", story.order_id),
    }
    bad = (await gql(ARRIVE, {"i": future}, token=warehouse))["data"]["arrivalRecord"]
    assert (bad["code"], bad["path"]) == ("VALIDATION", ["arrivedAt"])


async def test_a_supplier_cancels_its_open_asn_and_receiving_no_longer_sees_it(gql: Gql, token_for: TokenFor):
    story = await make_story()
    asn_id = await _open_asn(story)
    po = encode_id("PurchaseOrder", story.order_id)
    gid = encode_id("AdvanceShippingNotice", asn_id)
    mine = await token_for("supplier", supplier_code=story.supplier.code)
    other = await token_for("supplier", supplier_code=story.other.code)
    warehouse = await token_for("warehouse")
    before = (await gql(OPEN, {"po": po}, token=warehouse))["data"]["advanceShippingNotices"]["nodes"]

    foreign = (await gql(CANCEL, {"i": {"asnId": gid, "reason": "x"}}, token=other))["data"]["asnCancel"]
    cancelled = (await gql(CANCEL, {"i": {"asnId": gid, "reason": "缺货 out of stock"}}, token=mine))["data"][
        "asnCancel"
    ]
    after = (await gql(OPEN, {"po": po}, token=warehouse))["data"]["advanceShippingNotices"]["nodes"]
    again = (await gql(CANCEL, {"i": {"asnId": gid}}, token=mine))["data"]["asnCancel"]
    gate = (
        await gql(ARRIVE, {"i": {"arrivedAt": datetime.now(UTC).isoformat(), "asnId": gid}}, token=warehouse)
    )["data"]["arrivalRecord"]

    assert len(before) == 1
    assert (foreign["code"], foreign["path"]) == ("NOT_FOUND", ["asnId"])
    assert cancelled["__typename"] == "Posted"
    assert after == []
    assert again["code"] == "CONFLICT"
    assert gate["code"] == "CONFLICT"
    row = await AdvanceShippingNotice.get(id=asn_id)
    assert (row.status, row.cancel_reason) == ("cancelled", "缺货 out of stock")
    assert row.cancelled_by_id is not None


async def test_stored_alerts_are_read_within_the_callers_scope(gql: Gql, token_for: TokenFor):
    story = await make_story()
    now = datetime.now(UTC)
    for supplier, metric in ((story.supplier, "asn_coverage"), (story.other, "bill_match")):
        await HealthAlert.create(
            supplier_id=supplier.id,
            week="2030-W23",
            metric=metric,
            value=Decimal(10),
            threshold=Decimal(80),
            samples=3,
            raised_at=now,
        )
    mine = await token_for("supplier", supplier_code=story.supplier.code)
    buyer = await token_for("buyer")

    own = (await gql(ALERTS, token=mine))["data"]["healthAlerts"]["nodes"]
    peek = await gql(ALERTS, {"s": encode_id("Supplier", story.other.id)}, token=mine)
    staff = (await gql(ALERTS, {"s": encode_id("Supplier", story.other.id)}, token=buyer))["data"][
        "healthAlerts"
    ]

    assert [(a["key"], a["value"]) for a in own] == [("asn_coverage", "10")]
    assert peek["data"] is None
    assert peek["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert [a["key"] for a in staff["nodes"]] == ["bill_match"]


async def test_the_books_vs_ledger_list_over_graphql_is_the_one_lotline_check_prints(
    gql: Gql, token_for: TokenFor
):
    buyer = await token_for("buyer")
    checked = await snapshot.refresh()  # what `lotline check` runs and prints
    listed = (await gql(LEDGER, token=buyer))["data"]["dataHealth"]
    assert [d["text"] for d in listed["ledgerDisagreements"]] == [d.text for d in checked.disagreements]
    now = [d.text for d in await books.books_vs_ledger(datetime.now(UTC))]
    assert [d.text for d in checked.disagreements] == now
    assert datetime.fromisoformat(listed["ledgerCheckedAt"]) == checked.computed_at


async def test_a_statement_is_the_suppliers_own_and_staff_need_finance_read(gql: Gql, token_for: TokenFor):
    story = await make_story()
    period = {"since": "2030-06-01", "until": "2030-06-30"}
    mine = await token_for("supplier", supplier_code=story.supplier.code)

    own = (await gql(STATEMENT, period, token=mine))["data"]["supplierStatement"]
    peek = await gql(STATEMENT, {**period, "s": encode_id("Supplier", story.other.id)}, token=mine)
    buyer = await gql(
        STATEMENT, {**period, "s": encode_id("Supplier", story.other.id)}, token=await token_for("buyer")
    )
    finance = (
        await gql(
            STATEMENT,
            {**period, "s": encode_id("Supplier", story.other.id)},
            token=await token_for("finance"),
        )
    )["data"]["supplierStatement"]
    backwards = await gql(
        STATEMENT, {"since": "2030-06-30", "until": date(2030, 6, 1).isoformat()}, token=mine
    )

    assert (own["supplierCode"], own["opening"]["amount"], own["closing"]["amount"], own["lines"]) == (
        story.supplier.code,
        "0",
        "0",
        [],
    )
    assert peek["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert buyer["data"] is None
    assert "finance_read" in buyer["errors"][0]["message"]
    assert finance["supplierCode"] == story.other.code
    assert backwards["errors"][0]["extensions"]["code"] == "VALIDATION"
