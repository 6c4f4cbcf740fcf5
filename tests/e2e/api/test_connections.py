import logging
from collections.abc import Iterator
from decimal import Decimal

import pytest

from api.relay import encode_id
from domain.catalog import rules as catalog_rules
from domain.catalog import services as catalog
from tests.e2e.api.conftest import Gql
from tests.e2e.api.world import code, make_order, make_world

SKUS = """query($search: String, $after: String) {
  skus(first: 2, after: $after, search: $search) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { code } }
  }
}"""


async def test_paging_through_a_connection_visits_every_row_once(gql: Gql, admin: str) -> None:
    prefix = code("PG")
    made = []
    for i in range(5):
        made.append(f"{prefix}-{i}")
        await catalog.create_sku(
            catalog.SkuInput(code=made[-1], name_zh="页", name_en="page", base_unit="pcs")
        )
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        body = await gql(SKUS, {"search": prefix, "after": after}, token=admin)
        page = body["data"]["skus"]
        assert page["totalCount"] == 5
        seen += [e["node"]["code"] for e in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == made
    assert pages == 3


async def test_decimals_travel_as_strings_with_their_unit_and_currency(gql: Gql, admin: str) -> None:
    world = await make_world()
    po = await make_order(world)
    body = await gql(
        """query($id: ID!) { node(id: $id) { ... on PurchaseOrder {
             total { amount currency }
             lines { quantity { value unit } unitPrice { amount currency } unitFactor } } } }""",
        {"id": po},
        token=admin,
    )
    order = body["data"]["node"]
    assert order["total"] == {"amount": "61", "currency": "CNY"}
    assert order["lines"] == [
        {
            "quantity": {"value": "2", "unit": "box"},
            "unitPrice": {"amount": "30.5", "currency": "CNY"},
            "unitFactor": "12",
        }
    ]


class _CountingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.queries: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE", "DELETE")):
            self.queries.append(message)


@pytest.fixture
def sql_log() -> Iterator[_CountingHandler]:
    handler = _CountingHandler()
    logger = logging.getLogger("tortoise.db_client")
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


async def test_a_page_of_fifty_orders_with_lines_takes_one_query_per_relation(
    gql: Gql, admin: str, sql_log: _CountingHandler
) -> None:
    world = await make_world()
    for _ in range(50):
        await make_order(world, lines=2)
    await catalog.create_sku(
        catalog.SkuInput(
            code=code("X"),
            name_zh="x",
            name_en="x",
            base_unit="pcs",
            units=[catalog_rules.UnitDef("box", Decimal(6))],
        )
    )
    sql_log.queries.clear()
    body = await gql(
        """query($s: ID) { purchaseOrders(first: 50, supplierId: $s) { edges { node {
             number supplier { code } warehouse { code } total { amount }
             lines { sku { code baseUnit units { unit } } quantity { value } received { value unit } }
             receipts { number lines { batch { lotCode } } }
        } } } }""",
        {"s": encode_id("Supplier", world.supplier_id)},
        token=admin,
    )
    orders = body["data"]["purchaseOrders"]["edges"]
    assert len(orders) == 50
    assert all(len(o["node"]["lines"]) == 2 for o in orders)
    # token, orders, suppliers, warehouses, lines, SKUs, SKU units, receipts (receipt lines: none to load)
    assert len(sql_log.queries) == 8, "\n".join(sql_log.queries)
