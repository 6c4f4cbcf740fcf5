"""Reports read the journal: trial balance, ledgers, statements, ageing, valuation, exports."""

from datetime import date
from decimal import Decimal

from domain.finance import bills, export, invoices, reports

D = Decimal


async def test_trial_balance_debits_equal_credits_and_closing_follows_opening(world):
    await world.stock(world.taxed, "10", "2")

    rows = await reports.trial_balance(date(2026, 3, 1), date(2026, 3, 31))

    assert sum(r.debit for r in rows) == sum(r.credit for r in rows)
    assert sum(r.closing for r in rows) == 0
    assert all(r.closing == r.opening + r.debit - r.credit for r in rows)
    assert export.to_csv(rows).startswith(
        "account_code,account_name,account_type,opening,debit,credit,closing\n"
    )


async def test_partner_statement_and_ageing_of_an_unpaid_bill(world):
    _, line_id = await world.stock(world.taxed, "10", "2")
    await bills.supplier_bill_post(
        world.supplier, date(2026, 1, 15), [bills.BillLineInput(line_id, D(10), D(2))]
    )

    statement = await reports.partner_statement(
        "supplier", world.supplier, date(2026, 1, 1), date(2026, 12, 31)
    )
    ageing = [
        r for r in await reports.ageing("supplier", date(2026, 3, 20)) if r.partner_code == world.supplier
    ]

    assert (statement.opening, [ln.credit for ln in statement.lines], statement.closing) == (
        0,
        [D("22.60")],
        D("-22.60"),
    )
    assert ageing[0].buckets == {"0-30": 0, "31-60": 0, "61-90": D("22.60"), ">90": 0}


async def test_general_ledger_and_inventory_valuation_by_warehouse(world):
    await world.stock(world.taxed, "10", "2")
    _, _, shipment_id = await world.sell(world.taxed, "4", "5")
    await invoices.customer_invoice_post([shipment_id], date(2026, 3, 11))

    valuation = await reports.inventory_valuation(world.warehouse)
    ledger = await reports.general_ledger("1405", date(2026, 3, 10), date(2026, 3, 10))

    assert [(v.sku_code, v.quantity, v.value) for v in valuation] == [(world.taxed, D(6), D("12.00"))]
    assert ledger.closing == ledger.opening + sum(ln.debit - ln.credit for ln in ledger.lines)
    receivables = [
        r for r in await reports.ageing("customer", date(2026, 3, 31)) if r.partner_code == world.customer
    ]
    assert receivables[0].total == D("22.60")
