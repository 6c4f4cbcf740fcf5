"""Channels over GraphQL: set-up, sellable stock, sales by channel, typed errors, permissions."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from domain.partners import services as partners
from lotline.platform_sim import Item
from tests import factories as f

from .conftest import World


async def token(role: str) -> str:
    principal = await partners.create_user(f.code("u").lower(), "correct-horse-battery", role)
    return await partners.issue_token(principal.user_id)


async def gql(world: World, query: str, variables: dict | None = None, role: str = "admin") -> dict:
    r = await world.client.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {await token(role)}"},
    )
    assert r.status_code == 200, r.text
    return r.json()


CREATE = """mutation($input: SalesChannelCreateInput!) { salesChannelCreate(input: $input) {
  __typename ... on SalesChannel { channel: code kind platformStoreId }
  ... on UserError { code message path } } }"""


async def test_a_group_meal_channel_is_created_and_sells_what_its_rule_allows(world: World) -> None:
    code = f.code("GRP")
    body = await gql(
        world,
        CREATE,
        {
            "input": {
                "code": code,
                "name": "团餐",
                "kind": "GROUP_MEAL",
                "warehouseCode": world.wh.code,
                "customerCode": world.customer.code,
            }
        },
    )
    assert body["data"]["salesChannelCreate"] == {
        "__typename": "SalesChannel",
        "channel": code,
        "kind": "group_meal",
        "platformStoreId": None,
    }
    body = await gql(
        world,
        """mutation($input: AllocationRuleSetInput!) { allocationRuleSet(input: $input) {
             __typename ... on UserError { code message path } } }""",
        {"input": {"channelCode": code, "skuCode": world.sku.code, "share": "0.3", "floor": "1"}},
    )
    assert body["data"]["allocationRuleSet"]["__typename"] == "AllocationRuleSetPayload"
    body = await gql(
        world,
        "query($c: String!, $s: [String!]!) { channelStock(channelCode: $c, skuCodes: $s) "
        "{ skuCode available exclusive sellable soldOut } }",
        {"c": code, "s": [world.sku.code]},
    )
    assert body["data"]["channelStock"] == [
        {"skuCode": world.sku.code, "available": "10", "exclusive": "3", "sellable": "9", "soldOut": False}
    ]


async def test_bad_channel_input_is_a_typed_error_and_creates_nothing(world: World) -> None:
    body = await gql(
        world,
        CREATE,
        {
            "input": {
                "code": f.code("MT"),
                "name": "美团",
                "kind": "MEITUAN",
                "warehouseCode": world.wh.code,
                "customerCode": world.customer.code,
            }
        },
    )
    assert body["data"]["salesChannelCreate"]["code"] == "VALIDATION"
    assert body["data"]["salesChannelCreate"]["path"] == ["platformStoreId"]
    body = await gql(
        world,
        """mutation($input: AllocationRuleSetInput!) { allocationRuleSet(input: $input) {
             ... on UserError { code path } } }""",
        {"input": {"channelCode": world.dine_in, "skuCode": world.sku.code, "share": "1.5"}},
    )
    assert body["data"]["allocationRuleSet"] == {"code": "VALIDATION", "path": ["share"]}


async def test_a_store_manager_cannot_set_up_channels_and_a_supplier_cannot_read_them(world: World) -> None:
    body = await gql(
        world,
        CREATE,
        {
            "input": {
                "code": f.code("X"),
                "name": "x",
                "kind": "DINE_IN",
                "warehouseCode": world.wh.code,
                "customerCode": world.customer.code,
            }
        },
        role="auditor",
    )
    assert body["data"]["salesChannelCreate"]["code"] == "FORBIDDEN"
    supplier_user = await partners.create_user(
        f.code("s").lower(), "correct-horse-battery", "supplier", world.supplier.code
    )
    tok = await partners.issue_token(supplier_user.user_id)
    r = await world.client.post(
        "/graphql",
        json={"query": "{ salesChannels { edges { node { code } } } }"},
        headers={"Authorization": f"Bearer {tok}"},
    )
    assert r.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_sales_by_channel_counts_platform_orders_on_their_channel(world: World) -> None:
    await world.sim.eleme_order(world.eleme_store, [Item("238364002730", 2, Decimal("18.50"))])
    await world.worker.process_due()
    today = datetime.now(UTC).date()
    body = await gql(
        world,
        "query($a: Date!, $b: Date!) { salesByChannel(start: $a, end: $b) { channelCode orders amount } }",
        {"a": (today - timedelta(days=1)).isoformat(), "b": (today + timedelta(days=1)).isoformat()},
    )
    rows = {r["channelCode"]: r for r in body["data"]["salesByChannel"]}
    assert rows[world.eleme] == {"channelCode": world.eleme, "orders": 1, "amount": "37"}


async def test_a_sales_order_created_over_graphql_carries_its_channel(world: World) -> None:
    body = await gql(
        world,
        """mutation($input: SalesOrderCreateInput!) { salesOrderCreate(input: $input) {
             __typename ... on Posted { document { ... on SalesOrder { channel { code kind } } } }
             ... on UserError { code message path } } }""",
        {
            "input": {
                "customerCode": world.customer.code,
                "warehouseCode": world.wh.code,
                "channelCode": world.dine_in,
                "lines": [{"skuCode": world.sku.code, "quantity": "1"}],
            }
        },
    )
    doc = body["data"]["salesOrderCreate"]["document"]
    assert doc == {"channel": {"code": world.dine_in, "kind": "dine_in"}}
    other = await f.make_warehouse()
    body = await gql(
        world,
        """mutation($input: SalesOrderCreateInput!) { salesOrderCreate(input: $input) {
             ... on UserError { code path } } }""",
        {
            "input": {
                "customerCode": world.customer.code,
                "warehouseCode": other.code,
                "channelCode": world.dine_in,
                "lines": [{"skuCode": world.sku.code, "quantity": "1"}],
            }
        },
    )
    assert body["data"]["salesOrderCreate"] == {"code": "VALIDATION", "path": ["channelCode"]}
