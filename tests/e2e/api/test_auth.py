from collections.abc import Awaitable, Callable

import httpx

from tests.e2e.api.conftest import Gql
from tests.e2e.api.world import code, make_world

TokenFor = Callable[..., Awaitable[str]]

WAREHOUSE_CREATE = """
mutation($input: WarehouseCreateInput!) {
  warehouseCreate(input: $input) {
    __typename
    ... on Warehouse { code }
    ... on UserError { message errorCode: code path }
  }
}"""


async def test_a_query_without_a_token_gets_an_unauthenticated_error(gql: Gql) -> None:
    body = await gql("{ skus(first: 1) { totalCount } }")
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_unknown_token_is_the_same_as_no_token(gql: Gql) -> None:
    body = await gql("{ warehouses { totalCount } }", token="not-a-token")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_mutation_without_a_token_is_refused_and_creates_nothing(gql: Gql, admin: str) -> None:
    wh = code("WH")
    body = await gql(WAREHOUSE_CREATE, {"input": {"code": wh, "name": "x"}})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    check = await gql("{ warehouses(first: 200) { nodes { code } } }", token=admin)
    assert wh not in {n["code"] for n in check["data"]["warehouses"]["nodes"]}


async def test_a_mutation_outside_the_role_returns_the_forbidden_member(
    gql: Gql, token_for: TokenFor
) -> None:
    sales = await token_for("sales")
    body = await gql(WAREHOUSE_CREATE, {"input": {"code": code("WH"), "name": "x"}}, token=sales)
    result = body["data"]["warehouseCreate"]
    assert result["__typename"] == "Forbidden"
    assert result["errorCode"] == "FORBIDDEN"


async def test_a_query_outside_the_role_is_a_forbidden_error(gql: Gql, token_for: TokenFor) -> None:
    sales = await token_for("sales")
    body = await gql("{ purchaseOrders { totalCount } }", token=sales)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_supplier_token_may_not_read_anything_but_purchasing(gql: Gql, token_for: TokenFor) -> None:
    world = await make_world()
    supplier = await token_for("supplier", supplier_code=world.supplier_code)
    for query in (
        "{ skus { totalCount } }",
        "{ suppliers { totalCount } }",
        "{ stockOnHand { totalCount } }",
    ):
        body = await gql(query, token=supplier)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", query


async def test_graphiql_is_served_on_get(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
