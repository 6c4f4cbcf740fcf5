from collections.abc import Awaitable, Callable

from tests.e2e.api.conftest import Gql
from tests.e2e.api.world import make_order, make_supplier, make_world

TokenFor = Callable[..., Awaitable[str]]

ORDERS = "{ purchaseOrders(first: 200) { totalCount nodes { id supplier { code } lines { sku { code } } } } }"
NODE = "query($id: ID!) { node(id: $id) { __typename ... on PurchaseOrder { id number } } }"


async def test_each_supplier_sees_only_its_own_purchase_orders(gql: Gql, token_for: TokenFor) -> None:
    world = await make_world()
    other_code, _ = await make_supplier()
    mine = await make_order(world)
    theirs = await make_order(world, supplier_code=other_code)
    me = await token_for("supplier", supplier_code=world.supplier_code)
    them = await token_for("supplier", supplier_code=other_code)

    my_view = (await gql(ORDERS, token=me))["data"]["purchaseOrders"]
    their_view = (await gql(ORDERS, token=them))["data"]["purchaseOrders"]

    assert [n["id"] for n in my_view["nodes"]] == [mine]
    assert my_view["totalCount"] == 1
    assert my_view["nodes"][0]["supplier"]["code"] == world.supplier_code
    assert my_view["nodes"][0]["lines"][0]["sku"]["code"] == world.sku_code
    assert [n["id"] for n in their_view["nodes"]] == [theirs]


async def test_another_suppliers_order_by_id_is_null_not_an_error(gql: Gql, token_for: TokenFor) -> None:
    world = await make_world()
    other_code, _ = await make_supplier()
    theirs = await make_order(world, supplier_code=other_code)
    mine = await make_order(world)
    me = await token_for("supplier", supplier_code=world.supplier_code)

    hidden = await gql(NODE, {"id": theirs}, token=me)
    visible = await gql(NODE, {"id": mine}, token=me)

    assert hidden == {"data": {"node": None}}
    assert visible["data"]["node"]["id"] == mine


async def test_staff_see_every_suppliers_orders(gql: Gql, token_for: TokenFor) -> None:
    world = await make_world()
    other_code, _ = await make_supplier()
    await make_order(world)
    theirs = await make_order(world, supplier_code=other_code)
    buyer = await token_for("buyer")
    body = await gql(NODE, {"id": theirs}, token=buyer)
    assert body["data"]["node"]["id"] == theirs
