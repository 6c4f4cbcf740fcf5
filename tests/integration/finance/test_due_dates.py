"""Payment terms through GraphQL: due dates stamped on bills and invoices, ageing by due date, proposals."""

from datetime import date
from decimal import Decimal
from typing import Any

from api import relay as rl
from domain.finance import bills, invoices, payments
from domain.finance.models import CustomerInvoice, SupplierBill
from domain.partners.rules import Role
from tests.integration.lowcode.conftest import gql

D = Decimal
TERMS = """
mutation($input: PaymentTermsSetInput!) {
  paymentTermsSet(input: $input) { __typename ... on UserError { code message path } }
}"""
AGEING = """
query($kind: PartnerKind!, $asOf: Date!, $basis: AgeingBasis!) {
  ageing(kind: $kind, asOf: $asOf, basis: $basis) {
    partnerCode notDue days0To30: days030 days31To60: days3160 over90 total
  }
}"""
PROPOSALS = """
query($dueBy: Date!, $code: String) {
  paymentProposals(kind: SUPPLIER, dueBy: $dueBy, partnerCode: $code) {
    number dueDate amount { amount } daysOverdue
  }
}"""
BILL = """
query($id: ID!) {
  node(id: $id) { ... on SupplierBill { dueDate instalments { dueDate amount { amount } } } }
}"""


async def _terms(kind: str, code: str, terms: Any) -> dict[str, Any]:
    data = await gql(Role.FINANCE, TERMS, input={"kind": kind, "code": code, "terms": terms})
    return data["paymentTermsSet"]


async def test_instalment_terms_give_a_bill_its_due_dates_and_ageing_and_proposals_follow_them(world):
    split = {"kind": "instalments", "parts": [{"share": "0.3", "days": 0}, {"share": "0.7", "days": 60}]}
    assert await _terms("SUPPLIER", world.supplier, split) == {"__typename": "Posted"}
    _, line_id = await world.stock(world.taxed, "10", "2")
    posted = await bills.supplier_bill_post(
        world.supplier, date(2026, 1, 15), [bills.BillLineInput(line_id, D(10), D(2))]
    )
    await payments.payment_post(
        "out",
        world.supplier,
        D("5.00"),
        date(2026, 1, 20),
        [payments.AllocationInput(posted.document_id, D("5.00"))],
    )

    bill = await SupplierBill.get(id=posted.document_id)
    assert (bill.total, bill.due_date) == (D("22.60"), date(2026, 3, 16))
    assert bill.schedule == [
        {"dueDate": "2026-01-15", "amount": "6.78"},
        {"dueDate": "2026-03-16", "amount": "15.82"},
    ]
    shown = await gql(Role.FINANCE, BILL, id=rl.encode_id("SupplierBill", bill.id))
    assert shown["node"]["instalments"][1] == {"dueDate": "2026-03-16", "amount": {"amount": "15.82"}}

    async def aged(as_of: str, basis: str) -> dict[str, Any]:
        rows = await gql(Role.FINANCE, AGEING, kind="SUPPLIER", asOf=as_of, basis=basis)
        return next(r for r in rows["ageing"] if r["partnerCode"] == world.supplier)

    # 1.78 of the first instalment is 20 days overdue on 4 February; 15.82 is not due yet.
    assert await aged("2026-02-04", "DUE_DATE") == {
        "partnerCode": world.supplier,
        "notDue": "15.82",
        "days0To30": "1.78",
        "days31To60": "0",
        "over90": "0",
        "total": "17.6",
    }
    # From the document date, all of it is 20 days old.
    assert (await aged("2026-02-04", "DOCUMENT_DATE"))["days0To30"] == "17.6"
    proposals = await gql(Role.FINANCE, PROPOSALS, dueBy="2026-03-16", code=world.supplier)
    earlier = await gql(Role.FINANCE, PROPOSALS, dueBy="2026-03-15", code=world.supplier)
    assert [(p["number"], p["dueDate"], p["amount"]["amount"]) for p in proposals["paymentProposals"]] == [
        (bill.number, "2026-01-15", "1.78"),
        (bill.number, "2026-03-16", "15.82"),
    ]
    assert [p["dueDate"] for p in earlier["paymentProposals"]] == ["2026-01-15"]


async def test_end_of_month_terms_on_a_customer_date_its_invoice_and_bad_terms_are_refused_with_a_path(world):
    assert await _terms("CUSTOMER", world.customer, {"kind": "eom", "days": 30}) == {"__typename": "Posted"}
    bad = await _terms(
        "CUSTOMER", world.customer, {"kind": "instalments", "parts": [{"share": "0.5", "days": 0}]}
    )
    by_sales = await gql(Role.SALES, TERMS, input={"kind": "CUSTOMER", "code": world.customer, "terms": None})
    await world.stock(world.taxed, "10", "2")
    _, _, shipment_id = await world.sell(world.taxed, "4", "5")

    posted = await invoices.customer_invoice_post([shipment_id], date(2026, 2, 11))

    invoice = await CustomerInvoice.get(id=posted.document_id)
    assert invoice.due_date == date(2026, 3, 30)  # 28 February + 30 days
    assert bad == {
        "__typename": "ValidationError",
        "code": "VALIDATION",
        "message": "the shares add up to exactly 1",
        "path": ["terms", "parts"],
    }
    assert by_sales["paymentTermsSet"]["__typename"] == "Forbidden"
