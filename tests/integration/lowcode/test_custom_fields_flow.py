"""Done-when flow, through GraphQL: a tax-exempt (免税) boolean field on SKUs and receipts, filtered by."""

import base64
from decimal import Decimal

from api.context import Context
from domain.catalog.models import Sku
from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity
from domain.partners.rules import Role
from domain.partners.services import Principal
from domain.purchasing.models import GoodsReceipt
from tests import factories
from tests.integration.lowcode.conftest import SCHEMA, context, field_key, gql

DEFINE = """
mutation($input: CustomFieldDefineInput!) {
  customFieldDefine(input: $input) {
    __typename ... on Posted { number } ... on UserError { code message path }
  }
}"""
SKU_CREATE = """
mutation($input: SkuCreateInput!) {
  skuCreate(input: $input) {
    __typename ... on Sku { sku: code customFields } ... on UserError { code message path }
  }
}"""
SKUS = """
query($filter: [CustomFieldFilter!]) {
  skus(first: 50, customFilter: $filter) { edges { node { code customFields } } }
}"""
RECEIPT_POST = """
mutation($input: GoodsReceiptPostInput!) {
  goodsReceiptPost(input: $input) {
    __typename ... on Posted { number } ... on UserError { code message path }
  }
}"""
RECEIPTS = """
query($filter: [CustomFieldFilter!]) {
  goodsReceipts(first: 50, customFilter: $filter) { edges { node { number customFields } } }
}"""
SET = """
mutation($input: CustomFieldsSetInput!) {
  customFieldsSet(input: $input) {
    __typename ... on Posted { number } ... on UserError { code message path }
  }
}"""


def _sku(code: str, custom: dict[str, object] | None) -> dict[str, object]:
    sku: dict[str, object] = {
        "code": code,
        "nameZh": "有机菠菜",
        "nameEn": "Organic spinach",
        "baseUnit": "kg",
    }
    if custom is not None:
        sku["customFields"] = custom
    return sku


async def _define(entity: str, key: str) -> None:
    definition = {"entity": entity, "key": key, "kind": "BOOLEAN", "labelZh": "免税", "labelEn": "Tax-exempt"}
    data = await gql(Role.ADMIN, DEFINE, input={**definition, "default": False})
    assert data["customFieldDefine"]["__typename"] == "Posted"


async def test_a_tax_exempt_field_is_added_to_skus_and_receipts_and_filters_them(fields_db: object) -> None:
    key = field_key("taxExempt")
    await _define("SKU", key)
    await _define("GOODS_RECEIPT", key)
    exempt, taxed, plain = (factories.code("SKU") for _ in range(3))

    for code, custom in ((exempt, {key: True}), (taxed, {key: False}), (plain, None)):
        created = await gql(Role.BUYER, SKU_CREATE, input=_sku(code, custom))
        assert created["skuCreate"]["__typename"] == "Sku"
    only_exempt = await gql(Role.BUYER, SKUS, filter=[{"key": key, "value": True}])
    not_exempt = await gql(Role.BUYER, SKUS, filter=[{"key": key, "value": False}])

    assert [e["node"] for e in only_exempt["skus"]["edges"]] == [
        {"code": exempt, "customFields": {key: True}}
    ]
    assert sorted(e["node"]["code"] for e in not_exempt["skus"]["edges"]) == sorted([taxed, plain])

    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    sku = await Sku.get(code=exempt)
    numbers = []
    for flag in (True, False):
        order = await factories.make_purchase_order(supplier, wh, sku, Decimal(2), unit="kg")
        line = {
            "orderLineId": _gid("PurchaseOrderLine", order.line_id),
            "quantity": "2",
            "lotCode": factories.code("L"),
            "locationCode": wh.bins[0],
        }
        posted = await gql(
            Role.WAREHOUSE,
            RECEIPT_POST,
            input={
                "purchaseOrderId": _gid("PurchaseOrder", order.id),
                "lines": [line],
                "customFields": {key: flag},
            },
        )
        numbers.append(posted["goodsReceiptPost"]["number"])
    found = await gql(Role.BUYER, RECEIPTS, filter=[{"key": key, "value": True}])
    # A supplier's own receipts: the scope joins the order (whose table has a custom column too).
    as_supplier = Context(
        request=None, response=None, principal=Principal(2, "s", Role.SUPPLIER, supplier.id)
    )  # type: ignore[arg-type]
    scoped = await SCHEMA.execute(
        RECEIPTS, {"filter": [{"key": key, "value": True}]}, context_value=as_supplier
    )
    assert scoped.errors is None
    assert scoped.data == {
        "goodsReceipts": {"edges": [{"node": {"number": numbers[0], "customFields": {key: True}}}]}
    }

    assert [e["node"] for e in found["goodsReceipts"]["edges"]] == [
        {"number": numbers[0], "customFields": {key: True}}
    ]


async def test_a_bad_custom_value_is_a_validation_error_at_its_path_and_creates_nothing(
    fields_db: object,
) -> None:
    key = field_key("taxExempt")
    await _define("SKU", key)
    code = factories.code("SKU")

    wrong_type = await gql(Role.BUYER, SKU_CREATE, input=_sku(code, {key: "yes"}))
    unknown = await gql(Role.BUYER, SKU_CREATE, input=_sku(code, {"colour": "red"}))

    assert wrong_type["skuCreate"] == {
        "__typename": "ValidationError",
        "code": "VALIDATION",
        "message": f"{key} must be true or false",
        "path": ["customFields", key],
    }
    assert unknown["skuCreate"]["path"] == ["customFields", "colour"]
    assert not await Sku.exists(code=code)


async def test_custom_values_of_an_existing_receipt_are_set_by_global_id_and_kept_per_key(
    fields_db: object,
) -> None:
    key, other = field_key("taxExempt"), field_key("inspector")
    await _define("GOODS_RECEIPT", key)
    text = {
        "entity": "GOODS_RECEIPT",
        "key": other,
        "kind": "TEXT",
        "labelZh": "检验员",
        "labelEn": "Inspector",
        "maxLength": 4,
    }
    assert (await gql(Role.ADMIN, DEFINE, input=text))["customFieldDefine"]["__typename"] == "Posted"
    lot = await factories.receive(
        await factories.make_sku(),
        await factories.make_warehouse(),
        await factories.make_supplier(),
        Decimal(3),
    )
    gid = _gid("GoodsReceipt", lot.receipt_id)

    first = await gql(Role.WAREHOUSE, SET, input={"id": gid, "values": {key: True}})
    second = await gql(Role.WAREHOUSE, SET, input={"id": gid, "values": {other: "王工"}})
    too_long = await gql(Role.WAREHOUSE, SET, input={"id": gid, "values": {other: "王工程师傅"}})
    by_sales = await gql(Role.SALES, SET, input={"id": gid, "values": {key: False}})

    assert first["customFieldsSet"]["__typename"] == second["customFieldsSet"]["__typename"] == "Posted"
    assert too_long["customFieldsSet"]["path"] == ["values", other]
    assert by_sales["customFieldsSet"]["__typename"] == "Forbidden"
    assert (await GoodsReceipt.get(id=lot.receipt_id)).custom == {key: True, other: "王工"}  # nothing else


async def test_only_an_admin_defines_fields_and_a_decimal_field_filters_by_range_exactly(
    fields_db: object,
) -> None:
    key = field_key("declaredValue")
    definition = {
        "entity": "SKU",
        "key": key,
        "kind": "DECIMAL",
        "labelZh": "申报价值",
        "labelEn": "Declared value",
        "places": 2,
        "minimum": "0",
    }
    by_buyer = await gql(Role.BUYER, DEFINE, input=definition)
    assert by_buyer["customFieldDefine"]["__typename"] == "Forbidden"
    assert (await gql(Role.ADMIN, DEFINE, input=definition))["customFieldDefine"]["__typename"] == "Posted"
    codes = {}
    for amount in ("9.99", "10.00", "12345678901.01"):
        codes[amount] = factories.code("SKU")
        created = await gql(Role.BUYER, SKU_CREATE, input=_sku(codes[amount], {key: amount}))
        assert created["skuCreate"]["customFields"] == {
            key: str(Decimal(amount).normalize()) if amount != "10.00" else "10"
        }

    at_least_ten = await gql(Role.BUYER, SKUS, filter=[{"key": key, "op": "GTE", "value": "10"}])
    exactly = await gql(Role.BUYER, SKUS, filter=[{"key": key, "value": "12345678901.010"}])

    assert sorted(e["node"]["code"] for e in at_least_ten["skus"]["edges"]) == sorted(
        [codes["10.00"], codes["12345678901.01"]]
    )
    assert [e["node"]["code"] for e in exactly["skus"]["edges"]] == [codes["12345678901.01"]]


def _gid(type_name: str, pk: int) -> str:
    from api import relay as rl

    return rl.encode_id(type_name, pk)


EXPORT = """
query($entity: CustomFieldEntity!, $format: ExportFormat!, $filter: [CustomFieldFilter!]) {
  customFieldsExport(entity: $entity, format: $format, customFilter: $filter) { filename base64 }
}"""


async def test_an_export_has_a_column_per_custom_field_and_honours_the_filter(fields_db: object) -> None:
    key = field_key("taxExempt")
    await _define("SKU", key)
    exempt, taxed = factories.code("SKU"), factories.code("SKU")
    for code, flag in ((exempt, True), (taxed, False)):
        await gql(Role.BUYER, SKU_CREATE, input=_sku(code, {key: flag}))

    csv_file = await gql(Role.BUYER, EXPORT, entity="SKU", format="CSV", filter=[{"key": key, "value": True}])
    denied = await SCHEMA.execute(
        EXPORT, {"entity": "SUPPLIER_BILL", "format": "XLSX"}, context_value=context(Role.WAREHOUSE)
    )

    text = base64.b64decode(csv_file["customFieldsExport"]["base64"]).decode()
    header, *rows = text.splitlines()
    assert header == f"id,reference,custom.{key}"
    assert [r.split(",")[1:] for r in rows] == [[exempt, "True"]]
    assert csv_file["customFieldsExport"]["filename"] == "sku-custom-fields.csv"
    assert denied.errors is not None
    assert denied.errors[0].message == "the warehouse role lacks finance_read"


async def test_a_definition_key_replays_the_same_request_and_refuses_another(fields_db: object) -> None:
    key = field_key("origin")
    definition = {"entity": "BATCH", "key": key, "kind": "TEXT", "labelZh": "产地", "labelEn": "Origin"}

    first = await gql(Role.ADMIN, DEFINE, input={**definition, "idempotencyKey": key})
    again = await gql(Role.ADMIN, DEFINE, input={**definition, "idempotencyKey": key})
    other = await gql(Role.ADMIN, DEFINE, input={**definition, "labelEn": "Place", "idempotencyKey": key})

    assert (
        first["customFieldDefine"]
        == again["customFieldDefine"]
        == {"__typename": "Posted", "number": f"batch.{key}"}
    )
    assert other["customFieldDefine"]["code"] == "CONFLICT"
    assert other["customFieldDefine"]["path"] == ["idempotencyKey"]
    assert [
        d.field.label_en for d in await custom_fields.definitions(Entity.BATCH) if d.field.key == key
    ] == ["Origin"]
