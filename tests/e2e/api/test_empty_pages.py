"""``first: 0`` is an empty page that still says whether rows follow (Relay's hasNextPage), on every list."""

from domain.catalog import services as catalog
from tests import factories
from tests.e2e.api.conftest import Gql
from tests.e2e.api.world import code

SKUS = """query($search: String, $after: String) {
  skus(first: 0, search: $search, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor }
  }
}"""


async def test_an_empty_page_of_a_list_with_rows_has_a_next_page(gql: Gql, admin: str) -> None:
    prefix = code("EP")
    for i in range(2):
        await catalog.create_sku(
            catalog.SkuInput(code=f"{prefix}-{i}", name_zh="空", name_en="empty", base_unit="pcs")
        )

    page = (await gql(SKUS, {"search": prefix}, token=admin))["data"]["skus"]

    assert page["edges"] == []
    assert page["totalCount"] == 2
    assert page["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": None,
        "endCursor": None,
    }


async def test_an_empty_page_of_an_empty_list_has_no_next_page(gql: Gql, admin: str) -> None:
    page = (await gql(SKUS, {"search": code("NONE")}, token=admin))["data"]["skus"]

    assert (page["edges"], page["totalCount"], page["pageInfo"]["hasNextPage"]) == ([], 0, False)


async def test_an_empty_page_after_the_last_row_has_no_next_page(gql: Gql, admin: str) -> None:
    prefix = code("EL")
    await catalog.create_sku(catalog.SkuInput(code=prefix, name_zh="末", name_en="last", base_unit="pcs"))
    last = (
        await gql(
            "query($s: String) { skus(first: 1, search: $s) { edges { cursor } } }",
            {"s": prefix},
            token=admin,
        )
    )["data"]["skus"]["edges"][0]["cursor"]

    page = (await gql(SKUS, {"search": prefix, "after": last}, token=admin))["data"]["skus"]

    assert (page["edges"], page["pageInfo"]["hasNextPage"]) == ([], False)


async def test_warehouses_first_zero_reports_the_rows_that_follow(gql: Gql, admin: str) -> None:
    await factories.make_warehouse()
    query = "{ warehouses(first: 0) { totalCount pageInfo { hasNextPage } edges { cursor } } }"

    page = (await gql(query, token=admin))["data"]["warehouses"]

    assert page["edges"] == []
    assert page["totalCount"] >= 1
    assert page["pageInfo"]["hasNextPage"] is True
