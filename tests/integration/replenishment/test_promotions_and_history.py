"""Promotions over GraphQL, the weather import, and weekly demand read from real shipments and the ledger."""

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from domain.catalog import services as catalog
from domain.replenishment import demand, weather
from domain.replenishment.models import Promotion, WeatherIndex
from domain.sales import shipments
from tests import factories
from tests.integration.replenishment.conftest import token_for

Gql = Callable[..., Awaitable[dict[str, Any]]]

CREATE = """
mutation($input: PromotionInput!) {
  promotionCreate(input: $input) {
    __typename
    ... on Promotion { id name discount startsOn endsOn sku { code } category { code } }
    ... on UserError { code message path }
  }
}"""
LIST = "query($from: Date) { promotions(fromDate: $from, first: 50) { edges { node { id name } } } }"


async def test_a_buyer_creates_a_category_promotion_and_finds_it_in_the_calendar(gql):
    category = await catalog.create_category(factories.code("CAT"), "水果", "Fruit")
    buyer = await token_for("buyer")
    variables = {
        "input": {
            "name": "618 水果节",
            "startsOn": "2031-06-01",
            "endsOn": "2031-06-18",
            "discount": "0.15",
            "categoryCode": category.code,
        }
    }
    body = await gql(CREATE, variables, buyer)
    created = body["data"]["promotionCreate"]
    assert created["__typename"] == "Promotion"
    assert (created["discount"], created["category"], created["sku"]) == (
        "0.15",
        {"code": category.code},
        None,
    )
    listed = await gql(LIST, {"from": "2031-06-10"}, buyer)
    assert created["id"] in [e["node"]["id"] for e in listed["data"]["promotions"]["edges"]]


async def test_a_promotion_on_an_unknown_sku_is_not_found_and_nothing_is_stored(gql):
    before = await Promotion.all().count()
    variables = {
        "input": {
            "name": "x",
            "startsOn": "2031-06-01",
            "endsOn": "2031-06-02",
            "discount": "0.1",
            "skuCode": "NOPE-1",
        }
    }
    body = await gql(CREATE, variables, await token_for("store_manager"))
    result = body["data"]["promotionCreate"]
    assert (result["__typename"], result["code"], result["path"]) == ("NotFound", "NOT_FOUND", ["skuCode"])
    assert await Promotion.all().count() == before


async def test_a_sales_clerk_may_not_create_promotions(gql):
    sku = await factories.make_sku()
    variables = {
        "input": {
            "name": "x",
            "startsOn": "2031-06-01",
            "endsOn": "2031-06-02",
            "discount": "0.1",
            "skuCode": sku.code,
        }
    }
    result = (await gql(CREATE, variables, await token_for("sales")))["data"]["promotionCreate"]
    assert (result["__typename"], result["code"]) == ("Forbidden", "FORBIDDEN")


async def test_weather_import_upserts_region_weeks(db):
    region = factories.code("R")
    first = weather.FileWeatherProvider(f"region,week_start,value\n{region},2031-07-09,1.2\n", "csv")
    assert await weather.weather_import(first) == 1
    again = weather.FileWeatherProvider(
        f'[{{"region": "{region}", "week_start": "2031-07-07", "value": 1.4}}]', "json"
    )
    assert await weather.weather_import(again) == 1
    rows = await WeatherIndex.filter(region=region).values_list("week_start", "value")
    assert rows == [(date(2031, 7, 7), Decimal("1.4000"))]


async def test_weekly_demand_comes_from_shipments_and_marks_the_stock_out_week(db):
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    supplier, customer = await factories.make_supplier(), await factories.make_customer()
    received = datetime(2030, 6, 3, 1, tzinfo=UTC)  # Monday of ISO week 23 in Shanghai
    await factories.receive(sku, wh, supplier, Decimal(10), received_at=received)
    for shipped, qty in (
        (datetime(2030, 6, 4, 2, tzinfo=UTC), Decimal(3)),
        (datetime(2030, 6, 12, 2, tzinfo=UTC), Decimal(7)),
    ):
        order = await factories.make_sales_order(customer, wh, sku, qty)
        await shipments.shipment_post(order.id, [shipments.ShipmentLineInput(order.line_id, qty)], shipped)
    [series] = await demand.demand_history(date(2030, 6, 3), date(2030, 6, 17), sku_ids=[sku.id])
    assert (series.sku_id, series.warehouse_id) == (sku.id, wh.id)
    assert [(w.week_start, w.quantity, w.censored) for w in series.weeks] == [
        (date(2030, 6, 3), Decimal(3), False),
        (date(2030, 6, 10), Decimal(7), True),  # sold out on Wednesday
        (date(2030, 6, 17), Decimal(0), True),  # nothing left: censored, not zero demand
    ]
