"""Supplier price lists and the weather import over GraphQL: a buyer adds and changes lines with quantity
breaks (idempotent by key, overlapping validity refused), each supplier reads only its own lines, store
managers cannot write them; weather files come in as CSV or JSON, all or nothing."""

import json
from typing import Any

from domain.replenishment.models import SupplierPrice, SupplierPriceBreak, WeatherIndex
from tests import factories

SAVE = """
mutation($input: SupplierPriceInput!) { supplierPriceCreate(input: $input) {
  __typename
  ... on SupplierPriceSaved { replayed price { id unitPrice currency minQuantity validFrom validTo
    supplierCode sku { code } breaks { minQuantity unitPrice } } }
  ... on UserError { code message path }
} }"""
UPDATE = """
mutation($input: SupplierPriceUpdateInput!) { supplierPriceUpdate(input: $input) {
  __typename
  ... on SupplierPriceSaved { price { id unitPrice validTo breaks { minQuantity unitPrice } } }
  ... on UserError { code message path }
} }"""
LIST = """
query($sku: String, $on: Date) { supplierPrices(skuCode: $sku, validOn: $on, first: 50) {
  edges { node { id supplierCode unitPrice breaks { minQuantity } } } } }"""
NODE = "query($id: ID!) { node(id: $id) { ... on SupplierPrice { id supplierCode } } }"
WEATHER = """
mutation($input: WeatherImportInput!) { weatherImport(input: $input) {
  __typename
  ... on WeatherImported { rows regions firstWeek lastWeek replayed }
  ... on UserError { code message path }
} }"""


def line(supplier: Any, sku: Any, key: str, **extra: Any) -> dict[str, Any]:
    return {
        "input": {
            "supplierCode": supplier.code,
            "skuCode": sku.code,
            "unitPrice": "12.50",
            "minQuantity": "10",
            "packSize": "5",
            "validFrom": "2031-01-01",
            "validTo": "2031-06-30",
            "breaks": [
                {"minQuantity": "100", "unitPrice": "11.80"},
                {"minQuantity": "500", "unitPrice": "10.90"},
            ],
            "idempotencyKey": key,
            **extra,
        }
    }


async def test_a_buyer_adds_a_line_with_breaks_once_per_key_and_cannot_overlap_it(gql, token_for, unique):
    supplier, sku = await factories.make_supplier(), await factories.make_sku()
    buyer = await token_for("buyer")
    key = unique("sp")

    created = (await gql(SAVE, line(supplier, sku, key), buyer))["data"]["supplierPriceCreate"]
    replay = (await gql(SAVE, line(supplier, sku, key), buyer))["data"]["supplierPriceCreate"]
    reused = (await gql(SAVE, line(supplier, sku, key, unitPrice="13"), buyer))["data"]["supplierPriceCreate"]
    overlap = (await gql(SAVE, line(supplier, sku, unique("sp"), validFrom="2031-06-30"), buyer))["data"][
        "supplierPriceCreate"
    ]
    after = (await gql(SAVE, line(supplier, sku, unique("sp"), validFrom="2031-07-01", validTo=None), buyer))[
        "data"
    ]["supplierPriceCreate"]

    price = created["price"]
    assert (created["__typename"], created["replayed"]) == ("SupplierPriceSaved", False)
    assert (price["unitPrice"], price["currency"], price["minQuantity"]) == ("12.5", "CNY", "10")
    assert (price["supplierCode"], price["sku"]["code"]) == (supplier.code, sku.code)
    assert price["breaks"] == [
        {"minQuantity": "100", "unitPrice": "11.8"},
        {"minQuantity": "500", "unitPrice": "10.9"},
    ]
    assert (replay["replayed"], replay["price"]["id"]) == (True, price["id"])
    assert (reused["code"], reused["path"]) == ("CONFLICT", ["idempotencyKey"])
    assert (overlap["code"], overlap["path"]) == ("CONFLICT", ["validFrom"])
    assert after["__typename"] == "SupplierPriceSaved"
    assert await SupplierPrice.filter(sku_id=sku.id).count() == 2


async def test_updating_a_line_replaces_its_breaks_and_bad_terms_change_nothing(gql, token_for, unique):
    supplier, sku = await factories.make_supplier(), await factories.make_sku()
    buyer = await token_for("buyer")
    created = (await gql(SAVE, line(supplier, sku, unique("sp")), buyer))["data"]["supplierPriceCreate"]
    pid = created["price"]["id"]

    def update(**extra: Any) -> dict[str, Any]:
        body = line(supplier, sku, unique("sp"), **extra)["input"]
        return {"input": {"id": pid, "price": body}}

    changed = await gql(
        UPDATE, update(validTo="2031-03-31", breaks=[{"minQuantity": "50", "unitPrice": "12"}]), buyer
    )
    rising = await gql(UPDATE, update(breaks=[{"minQuantity": "50", "unitPrice": "13"}]), buyer)
    below_moq = await gql(UPDATE, update(breaks=[{"minQuantity": "5", "unitPrice": "12"}]), buyer)
    currency = await gql(UPDATE, update(currency="yuan"), buyer)
    dates = await gql(UPDATE, update(validFrom="2031-05-01", validTo="2031-04-01"), buyer)

    saved = changed["data"]["supplierPriceUpdate"]["price"]
    assert (saved["validTo"], saved["breaks"]) == (
        "2031-03-31",
        [{"minQuantity": "50", "unitPrice": "12"}],
    )
    assert rising["data"]["supplierPriceUpdate"]["path"] == ["breaks", "0", "unitPrice"]
    assert below_moq["data"]["supplierPriceUpdate"]["path"] == ["breaks", "0", "minQuantity"]
    assert currency["data"]["supplierPriceUpdate"]["code"] == "VALIDATION"
    assert dates["data"]["supplierPriceUpdate"]["path"] == ["validTo"]
    row = await SupplierPrice.get(sku_id=sku.id)
    assert (str(row.valid_to), await SupplierPriceBreak.filter(price_id=row.id).count()) == ("2031-03-31", 1)


async def test_each_supplier_reads_only_its_own_price_lines(gql, token_for, unique):
    mine, theirs, sku = (
        await factories.make_supplier(),
        await factories.make_supplier(),
        await factories.make_sku(),
    )
    buyer = await token_for("buyer")
    a = (await gql(SAVE, line(mine, sku, unique("sp")), buyer))["data"]["supplierPriceCreate"]["price"]["id"]
    b = (await gql(SAVE, line(theirs, sku, unique("sp")), buyer))["data"]["supplierPriceCreate"]["price"][
        "id"
    ]
    me = await token_for("supplier", supplier_code=mine.code)

    mine_view = (await gql(LIST, {"sku": sku.code}, me))["data"]["supplierPrices"]["edges"]
    buyer_view = (await gql(LIST, {"sku": sku.code, "on": "2031-02-01"}, buyer))["data"]["supplierPrices"][
        "edges"
    ]
    lapsed = (await gql(LIST, {"sku": sku.code, "on": "2031-07-01"}, buyer))["data"]["supplierPrices"][
        "edges"
    ]
    hidden = await gql(NODE, {"id": b}, me)

    assert [e["node"]["id"] for e in mine_view] == [a]
    assert sorted(e["node"]["supplierCode"] for e in buyer_view) == sorted([mine.code, theirs.code])
    assert lapsed == []
    assert hidden == {"data": {"node": None}}


async def test_store_managers_and_suppliers_cannot_write_price_lists(gql, token_for, unique):
    supplier, sku = await factories.make_supplier(), await factories.make_sku()

    manager = (await gql(SAVE, line(supplier, sku, unique("sp")), await token_for("store_manager")))["data"]
    own = await gql(
        SAVE, line(supplier, sku, unique("sp")), await token_for("supplier", supplier_code=supplier.code)
    )

    assert manager["supplierPriceCreate"]["code"] == "FORBIDDEN"
    assert own["data"]["supplierPriceCreate"]["code"] == "FORBIDDEN"
    assert await SupplierPrice.filter(sku_id=sku.id).count() == 0


async def test_a_weather_file_imports_as_csv_or_json_all_or_nothing(gql, token_for, unique):
    buyer = await token_for("buyer")
    region = unique("r").lower()[:12]
    csv_text = f"region,week_start,value\n{region},2031-03-05,1.10\n{region},2031-03-12,0.95\n"
    rows = [{"region": region, "week_start": "2031-03-19", "value": 1.2}]
    bad = f"region,week_start,value\n{region},2031-03-26,1.0\n{region},not-a-date,1.0\n"
    key = unique("wx")

    first = await gql(
        WEATHER, {"input": {"format": "csv", "content": csv_text, "idempotencyKey": key}}, buyer
    )
    again = await gql(
        WEATHER, {"input": {"format": "csv", "content": csv_text, "idempotencyKey": key}}, buyer
    )
    as_json = await gql(WEATHER, {"input": {"format": "json", "content": json.dumps(rows)}}, buyer)
    broken = await gql(WEATHER, {"input": {"format": "csv", "content": bad}}, buyer)
    manager = await gql(
        WEATHER, {"input": {"format": "json", "content": "[]"}}, await token_for("store_manager")
    )

    assert first["data"]["weatherImport"] == {
        "__typename": "WeatherImported",
        "rows": 2,
        "regions": [region],
        "firstWeek": "2031-03-03",
        "lastWeek": "2031-03-10",
        "replayed": False,
    }
    assert again["data"]["weatherImport"]["replayed"] is True
    assert as_json["data"]["weatherImport"]["rows"] == 1
    assert (broken["data"]["weatherImport"]["code"], broken["data"]["weatherImport"]["path"]) == (
        "VALIDATION",
        ["1", "weekStart"],
    )
    assert manager["data"]["weatherImport"]["code"] == "FORBIDDEN"
    stored = (
        await WeatherIndex.filter(region=region).order_by("week_start").values_list("week_start", "value")
    )
    assert [(str(d), str(v)) for d, v in stored] == [
        ("2031-03-03", "1.1000"),
        ("2031-03-10", "0.9500"),
        ("2031-03-17", "1.2000"),
    ]
