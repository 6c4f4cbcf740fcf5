"""After any sequence of postings: every entry balances, inventory accounts equal the stock valuation per SKU,
GRNI equals received-not-billed, payables equal open bills, receivables equal open invoices."""

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tortoise.functions import Sum

from domain.common.errors import DomainError
from domain.finance import bills, invoices, payments, reports
from domain.finance.models import CustomerInvoice, JournalLine, SupplierBill
from domain.purchasing.models import GoodsReceiptLine
from domain.sales import returns as customer_returns
from domain.sales.models import ShipmentLine

from .conftest import make_world

D = Decimal
qty = st.integers(1, 40).map(lambda n: D(n) / 4)  # quarters of a kg
price = st.integers(1, 2000).map(lambda n: D(n) / 100)
op = st.one_of(
    st.tuples(st.just("buy"), st.booleans(), qty, price),
    st.tuples(st.just("sell"), st.booleans(), qty, price),
    st.tuples(st.just("bill"), st.integers(0, 9), st.integers(80, 120)),  # price as % of the order's
    st.tuples(st.just("invoice"), st.integers(0, 9)),
    st.tuples(st.just("pay"), st.integers(0, 9), st.integers(1, 100)),  # % of what is open
    st.tuples(st.just("collect"), st.integers(0, 9), st.integers(1, 100)),
    st.tuples(st.just("return"), st.integers(0, 9)),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(op, min_size=3, max_size=14))
async def test_books_and_subledgers_agree_after_any_sequence_of_postings(db, unique, ops):
    w = await make_world(unique)
    on = date(2026, 3, 15)
    lines_bought: list[int] = []
    shipped: list[tuple[int, int, int]] = []  # order, line, shipment
    for o in ops:
        try:
            if o[0] == "buy":
                _, line_id = await w.stock(w.taxed if o[1] else w.exempt, str(o[2]), str(o[3]))
                lines_bought.append(line_id)
            elif o[0] == "sell":
                shipped.append(await w.sell(w.taxed if o[1] else w.exempt, str(o[2]), str(o[3])))
            elif o[0] == "bill" and lines_bought:
                line_id = lines_bought[o[1] % len(lines_bought)]
                rl = await GoodsReceiptLine.get(order_line_id=line_id)
                p = (D(rl.unit_cost) * o[2] / 100).quantize(D("0.0001"))
                posted = await bills.supplier_bill_post(
                    w.supplier, on, [bills.BillLineInput(line_id, D(rl.quantity_base), p)]
                )
                bill = await SupplierBill.get(id=posted.document_id)
                if bill.status == "pending_approval":
                    await bills.supplier_bill_approve(bill.id)
            elif o[0] == "invoice" and shipped:
                await invoices.customer_invoice_post([shipped[o[1] % len(shipped)][2]], on)
            elif o[0] in ("pay", "collect"):
                model = SupplierBill if o[0] == "pay" else CustomerInvoice
                docs = [d for d in await model.filter(total__gt=0) if d.total != d.paid]
                docs = [
                    d
                    for d in docs
                    if getattr(d, "supplier_id", None) == w.supplier_id
                    or getattr(d, "customer_id", None) == w.customer_id
                ]
                if docs:
                    d = docs[o[1] % len(docs)]
                    amount = max(D("0.01"), ((D(d.total) - D(d.paid)) * o[2] / 100).quantize(D("0.01")))
                    await payments.payment_post(
                        "out" if o[0] == "pay" else "in",
                        w.supplier if o[0] == "pay" else w.customer,
                        amount,
                        on,
                        [payments.AllocationInput(d.id, amount)],
                    )
            elif o[0] == "return" and shipped:
                order_id, line_id, shipment_id = shipped[o[1] % len(shipped)]
                sl = await ShipmentLine.filter(shipment_id=shipment_id).first()
                assert sl is not None
                ret = await customer_returns.customer_return_post(
                    order_id,
                    [customer_returns.CustomerReturnLineInput(line_id, sl.batch_id, w.location, D("0.25"))],
                    on_at(),
                )
                await invoices.customer_credit_note_post(ret.document_id, on)
        except DomainError:
            pass  # refused postings (no stock, already invoiced, ...) must leave nothing half-done

    unbalanced = (
        await JournalLine.all()
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .group_by("entry_id")
        .values("entry_id", "d", "c")
    )
    assert [r for r in unbalanced if r["d"] != r["c"]] == []
    for recon in (
        await reports.reconcile_inventory(set(w.sku_ids.values())),
        await reports.reconcile_grni({w.supplier_id}),
        await reports.reconcile_payables({w.supplier_id}),
        await reports.reconcile_receivables({w.customer_id}),
    ):
        assert (recon.name, recon.differences) == (recon.name, {})
        assert recon.books == recon.subledger


def on_at():
    from .conftest import AT

    return AT
