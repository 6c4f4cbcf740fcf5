"""Stock postings book their entries in the same transaction; bills, invoices and payments post theirs."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.common.errors import Conflict, NotFound, ValidationError
from domain.finance import bills, invoices, payments, reports
from domain.finance import services as finance
from domain.finance.errors import (
    AlreadyInvoiced,
    AlreadyReversed,
    ClosedPeriod,
    NotReceived,
    Overpayment,
    Unbalanced,
    WrongAccountType,
)
from domain.finance.models import (
    Account,
    CustomerInvoice,
    CustomerInvoiceLine,
    JournalEntry,
    JournalLine,
    Payment,
    SupplierBill,
)
from domain.inventory import counts as stock_counts
from domain.inventory import services as inventory
from domain.inventory import transfers
from domain.inventory.models import StockMove
from domain.purchasing.models import GoodsReceipt
from domain.sales import returns as customer_returns
from domain.sales.models import ShipmentLine

from .conftest import AT

D = Decimal


async def lines_of(doc_type: str, doc_id: int) -> list[tuple[str, Decimal, Decimal]]:
    rows = (
        await JournalLine.filter(doc_type=doc_type, doc_id=doc_id).prefetch_related("account").order_by("id")
    )
    return [(r.account.code, D(r.debit), D(r.credit)) for r in rows]


def balanced(lines: list[tuple[str, Decimal, Decimal]]) -> bool:
    return sum(d for _, d, _ in lines) == sum(c for _, _, c in lines)


async def test_goods_receipt_books_inventory_against_grni(world):
    order_id, line_id = await world.buy(world.taxed, "3", "3.333")
    receipt_id = await world.receive(order_id, line_id, "3")

    assert await lines_of("goods_receipt", receipt_id) == [("1405", D("10.00"), 0), ("220201", 0, D("10.00"))]


async def test_shipment_books_cost_of_goods_at_the_moving_average(world):
    await world.stock(world.taxed, "10", "4")
    await world.stock(world.taxed, "10", "6")

    _, _, shipment_id = await world.sell(world.taxed, "5", "9")

    assert await lines_of("shipment", shipment_id) == [("1405", 0, D("25.00")), ("5401", D("25.00"), 0)]
    recon = await reports.reconcile_inventory({world.sku_ids[world.taxed]})
    assert (recon.books, recon.subledger, recon.differences) == (D("75.00"), D("75.00"), {})


async def test_bill_within_tolerance_clears_grni_books_price_variance_and_input_vat(world):
    _, line_id = await world.stock(world.taxed, "100", "2")

    posted = await bills.supplier_bill_post(
        world.supplier, date(2026, 3, 12), [bills.BillLineInput(line_id, D("100"), D("2.04"))]
    )

    bill = await SupplierBill.get(id=posted.document_id)
    assert (bill.status, D(bill.net), D(bill.tax), D(bill.total)) == (
        "posted",
        D("204"),
        D("26.52"),
        D("230.52"),
    )
    assert await lines_of("supplier_bill", bill.id) == [
        ("220201", D("200.00"), 0),
        ("540102", D("4.00"), 0),
        ("22210101", D("26.52"), 0),
        ("2202", 0, D("230.52")),
    ]
    grni = await reports.reconcile_grni({world.supplier_id})
    assert (grni.books, grni.differences) == (0, {})


async def test_bill_beyond_tolerance_waits_for_approval_and_books_only_when_approved(world):
    _, line_id = await world.stock(world.taxed, "10", "2")

    posted = await bills.supplier_bill_post(
        world.supplier, date(2026, 3, 12), [bills.BillLineInput(line_id, D("12"), D("2"))]
    )

    bill = await SupplierBill.get(id=posted.document_id)
    assert bill.status == "pending_approval"
    assert "quantity 12 exceeds the 10" in bill.problems
    assert await lines_of("supplier_bill", bill.id) == []
    with pytest.raises(NotReceived):  # the pending bill holds the received quantity
        await bills.supplier_bill_post(
            world.supplier, date(2026, 3, 12), [bills.BillLineInput(line_id, D(1), D(2))]
        )

    await bills.supplier_bill_approve(bill.id)

    assert await lines_of("supplier_bill", bill.id) == [
        ("220201", D("20.00"), 0),
        ("540102", D("4.00"), 0),
        ("22210101", D("3.12"), 0),
        ("2202", 0, D("27.12")),
    ]


async def test_a_bill_for_goods_never_received_is_refused_and_changes_nothing(world):
    _, line_id = await world.buy(world.taxed, "10", "2")
    before = (await SupplierBill.all().count(), await JournalLine.all().count())

    with pytest.raises(NotReceived) as err:
        await bills.supplier_bill_post(
            world.supplier, date(2026, 3, 12), [bills.BillLineInput(line_id, D(10), D(2))]
        )

    assert err.value.path == ("lines", "0", "quantity")
    assert err.value.message == "nothing received on this order line is left to bill"
    assert (await SupplierBill.all().count(), await JournalLine.all().count()) == before


async def test_invoice_from_shipments_books_revenue_and_output_vat_and_exempt_skus_carry_no_vat(world):
    await world.stock(world.taxed, "10", "4")
    await world.stock(world.exempt, "10", "1")
    _, _, sh1 = await world.sell(world.taxed, "3", "10")
    _, _, sh2 = await world.sell(world.exempt, "2", "5")

    posted = await invoices.customer_invoice_post([sh1, sh2], date(2026, 3, 11))

    inv = await CustomerInvoice.get(id=posted.document_id)
    assert (D(inv.net), D(inv.tax), D(inv.total)) == (D("40"), D("3.90"), D("43.90"))
    assert await lines_of("customer_invoice", inv.id) == [
        ("1122", D("43.90"), 0),
        ("5001", 0, D("30.00")),
        ("5001", 0, D("10.00")),
        ("22210102", 0, D("3.90")),
    ]
    exempt_line = await CustomerInvoiceLine.get(invoice_id=inv.id, sku_id=world.sku_ids[world.exempt])
    assert (exempt_line.tax_exempt, D(exempt_line.tax)) == (True, 0)
    with pytest.raises(AlreadyInvoiced) as err:
        await invoices.customer_invoice_post([sh2], date(2026, 3, 11))
    assert err.value.path == ("shipmentIds", "0")


async def test_partial_payments_and_a_credit_note_settle_an_invoice(world):
    await world.stock(world.taxed, "10", "4")
    order_id, line_id, shipment_id = await world.sell(world.taxed, "10", "10")
    inv = await invoices.customer_invoice_post([shipment_id], date(2026, 3, 11))  # 100 + 13 VAT
    batch_id = (await ShipmentLine.get(shipment_id=shipment_id)).batch_id
    ret = await customer_returns.customer_return_post(
        order_id, [customer_returns.CustomerReturnLineInput(line_id, batch_id, world.location, D(1))], AT
    )
    credit = await invoices.customer_credit_note_post(ret.document_id, date(2026, 3, 12))  # -11.30

    await payments.payment_post(
        "in", world.customer, D("50"), date(2026, 3, 20), [payments.AllocationInput(inv.document_id, D(50))]
    )
    await payments.payment_post(
        "in",
        world.customer,
        D("51.70"),
        date(2026, 3, 21),
        [
            payments.AllocationInput(inv.document_id, D("63")),
            payments.AllocationInput(credit.document_id, D("-11.30")),
        ],
    )

    assert [(D(i.total), D(i.paid)) for i in await CustomerInvoice.filter(customer_id=world.customer_id)] == [
        (D("113.00"), D("113.00")),
        (D("-11.30"), D("-11.30")),
    ]
    recon = await reports.reconcile_receivables({world.customer_id})
    assert (recon.books, recon.differences) == (0, {})
    assert await lines_of("customer_return", ret.document_id) == [
        ("1405", D("4.00"), 0),
        ("5401", 0, D("4.00")),
    ]


async def test_overpaying_a_bill_is_refused_naming_the_allocation_and_nothing_is_posted(world):
    _, line_id = await world.stock(world.taxed, "10", "2")
    bill = await bills.supplier_bill_post(
        world.supplier, date(2026, 3, 12), [bills.BillLineInput(line_id, D(10), D(2))]
    )
    before = await Payment.all().count()

    with pytest.raises(Overpayment) as err:
        await payments.payment_post(
            "out",
            world.supplier,
            D("30"),
            date(2026, 3, 20),
            [payments.AllocationInput(bill.document_id, D(30))],
        )

    assert err.value.path == ("allocations", "0", "amount")
    assert err.value.message == "allocating 30 exceeds the 22.60 still open"
    assert await Payment.all().count() == before
    assert D((await SupplierBill.get(id=bill.document_id)).paid) == 0


async def test_a_closed_period_refuses_the_receipt_whole(world):
    order_id, line_id = await world.buy(world.taxed, "5", "2")
    late = datetime(2025, 11, 30, 17, 0, tzinfo=UTC)  # 2025-12-01 01:00 in Shanghai: December
    await finance.period_set_closed("2025-12", True, late)
    before = (
        await GoodsReceipt.all().count(),
        await StockMove.all().count(),
        await JournalLine.all().count(),
    )

    with pytest.raises(ClosedPeriod) as err:
        await world.receive(order_id, line_id, "5", late)

    assert (err.value.path, err.value.message) == (
        ("receivedAt",),
        "period 2025-12 is closed: nothing can be posted inside it",
    )
    after = (await GoodsReceipt.all().count(), await StockMove.all().count(), await JournalLine.all().count())
    assert after == before


async def test_manual_entries_must_balance_and_keep_off_control_accounts(db, world):
    ok = [
        finance.ManualLineInput("5602", debit=D("88.00")),
        finance.ManualLineInput("1001", credit=D("88.00")),
    ]
    count = await JournalEntry.all().count()

    with pytest.raises(Unbalanced) as unbalanced:
        await finance.journal_entry_post(
            date(2026, 3, 5), [ok[0], finance.ManualLineInput("1001", credit=D(80))]
        )
    with pytest.raises(WrongAccountType) as control:
        await finance.journal_entry_post(
            date(2026, 3, 5), [ok[0], finance.ManualLineInput("2202", credit=D(88))]
        )
    with pytest.raises(NotFound):
        await finance.journal_entry_post(
            date(2026, 3, 5), [ok[0], finance.ManualLineInput("9999", credit=D(88))]
        )

    assert (unbalanced.value.path, control.value.path) == (("lines",), ("lines", "1", "accountCode"))
    assert await JournalEntry.all().count() == count
    posted = await finance.journal_entry_post(date(2026, 3, 5), ok, memo="办公用品")
    rev = await finance.journal_entry_reverse(posted.document_id, date(2026, 3, 6))
    assert await lines_of("manual", 0) != []
    rev_lines = await JournalLine.filter(entry_id=rev.document_id).prefetch_related("account").order_by("id")
    assert [(r.account.code, D(r.debit), D(r.credit)) for r in rev_lines] == [
        ("5602", 0, D("88.00")),
        ("1001", D("88.00"), 0),
    ]
    with pytest.raises(AlreadyReversed):
        await finance.journal_entry_reverse(posted.document_id, date(2026, 3, 6))


async def test_posting_rules_refuse_an_account_of_the_wrong_type(world):
    with pytest.raises(WrongAccountType) as err:
        await finance.posting_rule_set("inventory", "5001")
    assert err.value.path == ("accountCode",)
    assert (await Account.get(code="1405")).control is True
    with pytest.raises(ValidationError):
        await finance.posting_rule_set("nonsense", "1405")


async def test_stock_count_gains_and_losses_go_to_pending_losses(world):
    await world.stock(world.taxed, "10", "3")
    started = await stock_counts.stock_count_start(world.warehouse, [world.location])
    from domain.inventory.models import StockCountLine

    line = await StockCountLine.get(count_id=started.document_id)
    await stock_counts.stock_count_post(
        started.document_id, [stock_counts.CountedLine(world.location, line.batch_id, D(8))], AT
    )

    assert await lines_of("stock_count", started.document_id) == [
        ("1405", 0, D("6.00")),
        ("1901", D("6.00"), 0),
    ]


async def test_supplier_return_reverses_grni_and_a_credit_note_clears_it_after_billing(world):
    order_id, line_id = await world.stock(world.taxed, "10", "2")
    await bills.supplier_bill_post(
        world.supplier, date(2026, 3, 12), [bills.BillLineInput(line_id, D(10), D(2))]
    )
    from domain.purchasing import returns as supplier_returns
    from domain.purchasing.models import GoodsReceiptLine

    batch_id = (await GoodsReceiptLine.get(order_line_id=line_id)).batch_id
    ret = await supplier_returns.supplier_return_post(
        order_id, [supplier_returns.ReturnLineInput(line_id, batch_id, world.location, D(4))], AT
    )
    assert await lines_of("supplier_return", ret.document_id) == [
        ("1405", 0, D("8.00")),
        ("220201", D("8.00"), 0),
    ]

    await bills.supplier_bill_post(
        world.supplier, date(2026, 3, 13), [bills.BillLineInput(line_id, D(-4), D(2))]
    )

    grni = await reports.reconcile_grni({world.supplier_id})
    payables = await reports.reconcile_payables({world.supplier_id})
    assert (grni.books, grni.differences) == (0, {})
    assert (payables.books, payables.differences) == (D("-13.56"), {})


async def test_transfers_book_nothing(world):
    await world.stock(world.taxed, "10", "3")
    other = world.unique("WH")
    await inventory.create_warehouse(other, "二号仓")
    count = await JournalLine.all().count()

    await transfers.transfer_ship(
        world.warehouse, other, [transfers.TransferLineInput(world.taxed, D(4))], AT.date(), AT
    )

    assert await JournalLine.all().count() == count


async def test_invoice_for_unknown_shipment_is_not_found(world):
    with pytest.raises(NotFound) as err:
        await invoices.customer_invoice_post([987654321], date(2026, 3, 11))
    assert err.value.path == ("shipmentIds", "0")


async def test_approving_a_posted_bill_conflicts(world):
    _, line_id = await world.stock(world.taxed, "10", "2")
    bill = await bills.supplier_bill_post(
        world.supplier, date(2026, 3, 12), [bills.BillLineInput(line_id, D(10), D(2))]
    )
    with pytest.raises(Conflict):
        await bills.supplier_bill_approve(bill.document_id)
