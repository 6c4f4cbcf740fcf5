"""Custom field values on the create inputs of suppliers, customers, supplier bills and customer invoices,
through GraphQL: stored canonical, defaults applied, refused at the boundary with a path, and part of the
request an idempotency key stands for."""

from collections.abc import Callable
from typing import Any

from api import relay as rl
from domain.finance.models import CustomerInvoice, SupplierBill
from domain.partners.models import Customer, Supplier
from domain.partners.rules import Role
from tests.integration.finance.conftest import make_world
from tests.integration.lowcode.conftest import field_key, gql

DEFINE = """
mutation($input: CustomFieldDefineInput!) {
  customFieldDefine(input: $input) { __typename ... on UserError { message } }
}"""
SUPPLIER = """
mutation($input: SupplierCreateInput!) {
  supplierCreate(input: $input) {
    __typename ... on Supplier { supplier: code customFields } ... on UserError { code message path }
  }
}"""
CUSTOMER = """
mutation($input: CustomerCreateInput!) {
  customerCreate(input: $input) {
    __typename ... on Customer { customer: code customFields } ... on UserError { code message path }
  }
}"""
BILL = """
mutation($input: SupplierBillPostInput!) {
  supplierBillPost(input: $input) {
    __typename ... on Posted { number replayed } ... on UserError { code message path }
  }
}"""
INVOICE = """
mutation($input: CustomerInvoicePostInput!) {
  customerInvoicePost(input: $input) {
    __typename ... on Posted { number replayed } ... on UserError { code message path }
  }
}"""


async def _define(entity: str, key: str, kind: str, **more: Any) -> None:
    definition = {"entity": entity, "key": key, "kind": kind, "labelZh": "字段", "labelEn": "Field", **more}
    found = await gql(Role.ADMIN, DEFINE, input=definition)
    assert found["customFieldDefine"]["__typename"] == "Posted", found


async def test_partners_take_custom_values_on_create_and_bad_ones_are_refused_with_a_path(
    fields_db: object, unique: Callable[[str], str]
) -> None:
    rating, region = field_key("rating"), field_key("region")
    await _define("SUPPLIER", rating, "DECIMAL", places=1, minimum="0", maximum="5")
    await _define("CUSTOMER", region, "ENUM", choices=["north", "south"], default="north")
    good, bad = unique("SUP"), unique("SUP")
    south, plain, wrong = unique("CUS"), unique("CUS"), unique("CUS")

    supplier = await gql(
        Role.BUYER, SUPPLIER, input={"code": good, "name": "绿源", "customFields": {rating: "4.50"}}
    )
    too_high = await gql(
        Role.BUYER, SUPPLIER, input={"code": bad, "name": "坏", "customFields": {rating: "7"}}
    )
    unknown = await gql(Role.BUYER, SUPPLIER, input={"code": bad, "name": "坏", "customFields": {"nope": 1}})
    customer = await gql(
        Role.SALES, CUSTOMER, input={"code": south, "name": "南", "customFields": {region: "south"}}
    )
    defaulted = await gql(Role.SALES, CUSTOMER, input={"code": plain, "name": "默认"})
    off_list = await gql(
        Role.SALES, CUSTOMER, input={"code": wrong, "name": "错", "customFields": {region: "east"}}
    )

    assert supplier["supplierCreate"] == {
        "__typename": "Supplier",
        "supplier": good,
        "customFields": {rating: "4.5"},
    }
    assert (too_high["supplierCreate"]["code"], too_high["supplierCreate"]["path"]) == (
        "VALIDATION",
        ["customFields", rating],
    )
    assert unknown["supplierCreate"]["path"] == ["customFields", "nope"]
    assert customer["customerCreate"]["customFields"] == {region: "south"}
    assert defaulted["customerCreate"]["customFields"] == {region: "north"}
    assert off_list["customerCreate"]["path"] == ["customFields", region]
    # Refused before the mutation ran: nothing was created.
    assert not await Supplier.filter(code=bad).exists()
    assert not await Customer.filter(code=wrong).exists()
    assert (await Supplier.get(code=good)).custom == {rating: "4.5"}


async def test_bills_and_invoices_take_custom_values_and_their_idempotency_key_covers_them(
    fields_db: object, unique: Callable[[str], str]
) -> None:
    exempt, due = field_key("taxExempt"), field_key("dueNote")
    await _define("SUPPLIER_BILL", exempt, "BOOLEAN", required=True)
    await _define("CUSTOMER_INVOICE", due, "DATE")
    w = await make_world(unique)
    _, line_id = await w.stock(w.exempt, "10", "2.00")
    _, _, shipment_id = await w.sell(w.exempt, "4", "5.00")
    line = {
        "purchaseOrderLineId": rl.encode_id("PurchaseOrderLine", line_id),
        "quantity": "10",
        "unitPrice": "2",
    }
    bill = {
        "supplierCode": w.supplier,
        "billDate": "2026-03-11",
        "lines": [line],
        "idempotencyKey": unique("K"),
    }

    missing = await gql(Role.FINANCE, BILL, input=bill)
    posted = await gql(Role.FINANCE, BILL, input={**bill, "customFields": {exempt: True}})
    again = await gql(Role.FINANCE, BILL, input={**bill, "customFields": {exempt: True}})
    other = await gql(Role.FINANCE, BILL, input={**bill, "customFields": {exempt: False}})
    invoice = {"shipmentIds": [rl.encode_id("Shipment", shipment_id)], "invoiceDate": "2026-03-12"}
    bad_date = await gql(Role.FINANCE, INVOICE, input={**invoice, "customFields": {due: "2026-02-30"}})
    invoiced = await gql(Role.FINANCE, INVOICE, input={**invoice, "customFields": {due: "2026-04-01"}})

    assert missing["supplierBillPost"]["path"] == ["customFields", exempt]  # required
    assert posted["supplierBillPost"]["__typename"] == "Posted"
    assert again["supplierBillPost"] == {**posted["supplierBillPost"], "replayed": True}
    assert (other["supplierBillPost"]["code"], other["supplierBillPost"]["path"]) == (
        "CONFLICT",
        ["idempotencyKey"],
    )
    assert await SupplierBill.filter(supplier_id=w.supplier_id).count() == 1
    number = posted["supplierBillPost"]["number"]
    assert (await SupplierBill.get(number=number)).custom == {exempt: True}
    assert bad_date["customerInvoicePost"]["path"] == ["customFields", due]
    assert invoiced["customerInvoicePost"]["__typename"] == "Posted"
    stored = await CustomerInvoice.get(number=invoiced["customerInvoicePost"]["number"])
    assert stored.custom == {due: "2026-04-01"}
    assert stored.customer_id == w.customer_id
