"""Over HTTP: BOM definition, a two-level production with a substitute chosen from the ranked candidates,
typed errors for a short component and a missing permission, idempotent postings (issue 18)."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal

from api.relay import decode_id, encode_id
from domain.production.models import ProductionOrder
from tests.e2e.api.conftest import Gql
from tests.factories import code
from tests.integration.production import world

ERR = "... on UserError { code message path }"
BOM_DEFINE = f"""mutation($input: BomDefineInput!) {{ bomDefine(input: $input) {{
  __typename ... on Posted {{ number replayed document {{ ... on Bom {{ version skuCode
    lines {{ skuCode quantity }} operations {{ code equipment }} }} }} }} {ERR} }} }}"""
PLAN = f"""mutation($input: ProductionOrderPlanInput!) {{ productionOrderPlan(input: $input) {{
  __typename ... on Posted {{ documentId number }} {ERR} }} }}"""
RELEASE = f"""mutation($input: ProductionOrderReleaseInput!) {{ productionOrderRelease(input: $input) {{
  __typename ... on Posted {{ number }}
  ... on InsufficientStock {{ code path shortages {{ skuCode requested available }} }} {ERR} }} }}"""
COMPLETE = f"""mutation($input: ProductionOrderCompleteInput!) {{ productionOrderComplete(input: $input) {{
  __typename ... on Posted {{ number replayed document {{ ... on ProductionCompletion {{
    goodQuantity materialCost {{ amount currency }} labourCost {{ amount }} overheadCost {{ amount }}
    outputBatch {{ lotCode }} }} }} }} {ERR} }} }}"""
CLOSE = f"""mutation($input: ProductionOrderCloseInput!) {{ productionOrderClose(input: $input) {{
  __typename ... on Posted {{ number }} {ERR} }} }}"""
CANDIDATES = """query($order: ID!, $line: ID!) { substituteCandidates(orderId: $order, bomLineId: $line) {
  skuCode source routeScore qualityScore costScore score eligible explanation } }"""
ORDER = """query($id: ID!) { node(id: $id) { ... on ProductionOrder { status completedQuantity skuCode
  materialCost { amount } components { skuCode substituteForSkuCode score explanation consumed } } } }"""
ORDERS = """query { productionOrders(status: CLOSED, first: 50) { nodes { number status } } }"""


async def test_a_salad_line_with_a_substitute_over_graphql(
    db, gql: Gql, token_for: Callable[..., Awaitable[str]]
):
    w = await world.build(lettuce_kg=Decimal(1))
    buyer, warehouse, sales = await token_for("buyer"), await token_for("warehouse"), await token_for("sales")
    today = datetime.now(UTC).date().isoformat()

    # a second dressing version over the API, replayed by its key
    dressing_bom = {
        "skuCode": w.dressing.code,
        "lines": [{"skuCode": w.oil.code, "quantity": "0.7"}, {"skuCode": w.vinegar.code, "quantity": "0.3"}],
        "operations": [
            {
                "code": "EMULSIFY",
                "workCentre": "KITCHEN",
                "minutesPerUnit": "1",
                "labourRate": "60",
                "equipment": ["MIXER-1"],
            }
        ],
        "idempotencyKey": code("K"),
    }
    defined = (await gql(BOM_DEFINE, {"input": dressing_bom}, token=buyer))["data"]["bomDefine"]
    again = (await gql(BOM_DEFINE, {"input": dressing_bom}, token=buyer))["data"]["bomDefine"]
    bad = await gql(
        BOM_DEFINE, {"input": {**dressing_bom, "yieldRate": "0", "idempotencyKey": None}}, token=buyer
    )
    forbidden = await gql(
        PLAN,
        {
            "input": {
                "skuCode": w.dressing.code,
                "warehouseCode": w.wh.code,
                "quantity": "2",
                "plannedDate": today,
            }
        },
        token=sales,
    )

    assert defined["document"]["version"] == 2
    assert defined["document"]["operations"] == [{"code": "EMULSIFY", "equipment": ["MIXER-1"]}]
    assert (again["number"], again["replayed"]) == (defined["number"], True)
    assert bad["data"]["bomDefine"]["code"] == "VALIDATION"
    assert bad["data"]["bomDefine"]["path"] == ["yieldRate"]
    assert forbidden["data"]["productionOrderPlan"]["code"] == "FORBIDDEN"

    async def plan(sku, qty):
        got = (
            await gql(
                PLAN,
                {
                    "input": {
                        "skuCode": sku.code,
                        "warehouseCode": w.wh.code,
                        "quantity": qty,
                        "plannedDate": today,
                    }
                },
                token=warehouse,
            )
        )["data"]["productionOrderPlan"]
        return got["documentId"]

    dressing_order = await plan(w.dressing, "2")
    await gql(RELEASE, {"input": {"orderId": dressing_order}}, token=warehouse)
    made = await gql(
        COMPLETE,
        {
            "input": {
                "orderId": dressing_order,
                "goodQuantity": "2",
                "lotCode": code("DR"),
                "locationCode": w.wh.bins[1],
            }
        },
        token=warehouse,
    )
    cost = made["data"]["productionOrderComplete"]["document"]["materialCost"]
    assert (Decimal(cost["amount"]), cost["currency"]) == (Decimal("27.20"), "CNY")

    salad_order = await plan(w.salad, "20")
    short = (await gql(RELEASE, {"input": {"orderId": salad_order}}, token=warehouse))["data"][
        "productionOrderRelease"
    ]
    line = encode_id("BomLine", w.lettuce_line)
    ranked = (await gql(CANDIDATES, {"order": salad_order, "line": line}, token=warehouse))["data"]
    released = (
        await gql(
            RELEASE,
            {
                "input": {
                    "orderId": salad_order,
                    "substitutions": [{"bomLineId": line, "skuCode": w.romaine.code}],
                }
            },
            token=warehouse,
        )
    )["data"]["productionOrderRelease"]
    complete = {
        "orderId": salad_order,
        "goodQuantity": "10",
        "lotCode": code("SAL"),
        "locationCode": w.wh.bins[1],
        "idempotencyKey": code("K"),
    }
    done = (await gql(COMPLETE, {"input": complete}, token=warehouse))["data"]["productionOrderComplete"]
    replay = (await gql(COMPLETE, {"input": complete}, token=warehouse))["data"]["productionOrderComplete"]
    closed = (await gql(CLOSE, {"input": {"orderId": salad_order}}, token=warehouse))["data"][
        "productionOrderClose"
    ]
    order = (await gql(ORDER, {"id": salad_order}, token=warehouse))["data"]["node"]
    listed = (await gql(ORDERS, token=warehouse))["data"]["productionOrders"]["nodes"]

    assert short["__typename"] == "InsufficientStock"
    assert short["shortages"] == [{"skuCode": w.lettuce.code, "requested": "4.2", "available": "1"}]
    [romaine] = ranked["substituteCandidates"]
    assert (romaine["skuCode"], romaine["eligible"], romaine["score"]) == (w.romaine.code, True, "0.92")
    assert "route: all 2 operations allowed" in romaine["explanation"]
    assert released["__typename"] == "Posted"
    assert done["document"]["materialCost"]["amount"] == "28.22"
    doc = done["document"]
    assert (Decimal(doc["labourCost"]["amount"]), Decimal(doc["overheadCost"]["amount"])) == (12, 6)
    assert (replay["number"], replay["replayed"]) == (done["number"], True)
    assert closed["__typename"] == "Posted"
    assert (order["status"], order["completedQuantity"], order["materialCost"]["amount"]) == (
        "closed",
        "10",
        "28.22",
    )
    sub = next(c for c in order["components"] if c["substituteForSkuCode"])
    assert (sub["skuCode"], sub["substituteForSkuCode"], sub["consumed"]) == (
        w.romaine.code,
        w.lettuce.code,
        "2.1",
    )
    [number] = await ProductionOrder.filter(id=decode_id(salad_order, "ProductionOrder", ())).values_list(
        "number", flat=True
    )
    assert {"number": number, "status": "closed"} in listed
