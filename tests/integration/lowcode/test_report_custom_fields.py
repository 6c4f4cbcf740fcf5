"""Saved reports over custom fields through GraphQL: near-expiry stock by the SKU's tax-exempt (免税) field,
as a dimension and as a filter, on PostgreSQL and on the demo's SQLite; unknown names are typed errors."""

from decimal import Decimal
from typing import Any

from tortoise.context import TortoiseContext

from api import relay as rl
from domain.finance.journal import seed_chart
from domain.partners.rules import Role
from tests import factories
from tests.integration.lowcode.conftest import SCHEMA, context, field_key, gql

DEFINE = """
mutation($input: CustomFieldDefineInput!) {
  customFieldDefine(input: $input) { __typename ... on UserError { message } }
}"""
SET = """
mutation($input: CustomFieldsSetInput!) {
  customFieldsSet(input: $input) { __typename ... on UserError { message path } }
}"""
RUN = """
query($spec: ReportSpecInput!) { reportRun(spec: $spec) { columns rows } }"""


async def _world() -> tuple[str, list[str], dict[str, Decimal]]:
    """A tax-exempt field on SKUs and three SKUs with dated lots: exempt, taxed and without a value."""
    key = field_key("taxExempt")
    definition = {"entity": "SKU", "key": key, "kind": "BOOLEAN", "labelZh": "免税", "labelEn": "Tax-exempt"}
    assert (await gql(Role.ADMIN, DEFINE, input=definition))["customFieldDefine"]["__typename"] == "Posted"
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    codes, quantities = [], {}
    for flag, qty in ((True, "5"), (False, "3"), (None, "2")):
        sku = await factories.make_sku()
        await factories.receive(sku, wh, supplier, Decimal(qty), expiry_date=factories.days(4))
        await factories.receive(sku, wh, supplier, Decimal(qty), expiry_date=factories.days(9))
        if flag is not None:
            values = {"id": rl.encode_id("Sku", sku.id), "values": {key: flag}}
            assert (await gql(Role.ADMIN, SET, input=values))["customFieldsSet"]["__typename"] == "Posted"
        codes.append(sku.code)
        quantities["true" if flag else "false" if flag is False else "none"] = Decimal(qty) * 2
    return key, codes, quantities


def _spec(key: str, codes: list[str], *filters: dict[str, Any]) -> dict[str, Any]:
    return {
        "fact": "expiry",
        "dimensions": [f"custom.sku.{key}"],
        "measures": ["quantity", "lots"],
        "filters": [{"field": "sku_code", "op": "in", "values": codes}, *filters],
    }


async def _near_expiry_by_tax_exempt() -> None:
    key, codes, qty = await _world()
    by_flag = await gql(Role.ADMIN, RUN, spec=_spec(key, codes))
    exempt_only = await gql(
        Role.ADMIN,
        RUN,
        spec=_spec(key, codes, {"field": f"custom.sku.{key}", "op": "eq", "values": ["true"]}),
    )

    assert by_flag["reportRun"]["columns"] == [f"custom.sku.{key}", "quantity", "lots"]
    assert {r[0]: (Decimal(r[1] or "0"), r[2]) for r in by_flag["reportRun"]["rows"]} == {
        "true": (qty["true"], "2"),
        "false": (qty["false"], "2"),
        None: (qty["none"], "2"),
    }
    assert [[r[0], Decimal(r[1] or "0")] for r in exempt_only["reportRun"]["rows"]] == [["true", qty["true"]]]


async def _problem(spec: dict[str, Any]) -> tuple[str | None, list[str]]:
    result = await SCHEMA.execute(RUN, {"spec": spec}, context_value=context(Role.ADMIN))
    assert result.errors is not None
    error = result.errors[0]
    return (error.extensions or {}).get("code"), list(getattr(error.original_error, "path", ()))


async def test_near_expiry_stock_by_the_skus_tax_exempt_field_on_postgres(fields_db: object) -> None:
    await _near_expiry_by_tax_exempt()


async def test_near_expiry_stock_by_the_skus_tax_exempt_field_on_sqlite(sqlite_db: TortoiseContext) -> None:
    await seed_chart()
    await _near_expiry_by_tax_exempt()


async def test_custom_names_outside_the_definitions_are_typed_errors(fields_db: object) -> None:
    key = field_key("taxExempt")
    definition = {"entity": "SKU", "key": key, "kind": "BOOLEAN", "labelZh": "免税", "labelEn": "Tax-exempt"}
    await gql(Role.ADMIN, DEFINE, input=definition)
    base = {"fact": "expiry", "measures": ["quantity"]}

    unknown_key = await _problem({**base, "dimensions": ["custom.sku.noSuchField"]})
    # The expiry fact has no sales orders, and the journal no record type with custom fields at all.
    wrong_record = await _problem({**base, "dimensions": [f"custom.sales_order.{key}"]})
    hostile = await _problem(
        {**base, "filters": [{"field": "custom.sku.x') OR 1=1 --", "op": "eq", "values": ["true"]}]}
    )
    journal = await _problem({"fact": "journal", "measures": ["lines"], "dimensions": [f"custom.sku.{key}"]})

    assert unknown_key == ("VALIDATION", ["dimensions", "0"])
    assert wrong_record == ("VALIDATION", ["dimensions", "0"])
    assert hostile == ("VALIDATION", ["filters", "0", "field"])
    assert journal == ("VALIDATION", ["dimensions", "0"])
