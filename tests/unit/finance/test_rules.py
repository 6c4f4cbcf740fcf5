"""Pure finance rules: rounding, balance, telescoping inventory amounts, allocation, matching, ageing."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.common.errors import ValidationError
from domain.finance import export, rules
from domain.finance.errors import NotReceived, Overpayment, Unbalanced, WrongAccountType

D = Decimal
cents = st.integers(-(10**9), 10**9).map(lambda n: D(n) / 100)
values4 = st.integers(-(10**10), 10**10).map(lambda n: D(n) / 10_000)


def test_money_rounds_half_up_to_the_cent():
    assert [rules.money(D(x)) for x in ("0.005", "0.015", "-0.005", "2.675", "1.2349")] == [
        D("0.01"),
        D("0.02"),
        D("-0.01"),
        D("2.68"),
        D("1.23"),
    ]


@given(st.lists(values4, min_size=1, max_size=30), values4)
def test_booked_inventory_telescopes_to_the_rounded_valuation(changes, start):
    value, booked = start, rules.money(start)
    for c in changes:
        value += c
        booked += rules.booked_change(value, c)
    assert booked == rules.money(value)


@given(cents, st.lists(st.integers(0, 10**6).map(D), min_size=1, max_size=20))
def test_allocate_splits_into_cents_that_add_up_exactly(total, weights):
    parts = rules.allocate(total, weights)
    assert sum(parts, D(0)) == total
    assert all(rules.money(p) == p for p in parts)
    assert all((p >= 0) if total >= 0 else (p <= 0) for p in parts)


def test_allocate_follows_the_weights():
    assert rules.allocate(D("10.00"), [D(1), D(1), D(1)]) == [D("3.34"), D("3.33"), D("3.33")]
    assert rules.allocate(D("-1.00"), [D(3), D(1)]) == [D("-0.75"), D("-0.25")]


def test_an_unbalanced_entry_is_refused_with_both_totals():
    with pytest.raises(Unbalanced) as err:
        rules.check_entry([rules.Line(1, debit=D("10.00")), rules.Line(2, credit=D("9.99"))])
    assert (err.value.path, err.value.message) == (("lines",), "debits 10.00 and credits 9.99 differ by 0.01")


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (rules.Line(1, debit=D("1.001")), "debit"),
        (rules.Line(1, debit=D("1"), credit=D("1")), "debit"),
        (rules.Line(1, credit=D("-1")), "credit"),
    ],
)
def test_each_line_is_one_sided_and_in_cents(line, field):
    with pytest.raises(ValidationError) as err:
        rules.check_entry([line, rules.Line(2, credit=D("1"))])
    assert err.value.path == ("lines", "0", field)


def test_reversal_swaps_sides_and_balances():
    lines = [
        rules.Line(1, debit=D(5), sku_id=3),
        rules.Line(2, credit=D(5), partner_kind="supplier", partner_id=9),
    ]
    rev = rules.reverse(lines)
    rules.check_entry(rev)
    assert [(r.debit, r.credit, r.sku_id, r.partner_id) for r in rev] == [(0, 5, 3, None), (5, 0, None, 9)]


def test_book_date_is_china_time_and_the_period_follows():
    at = datetime(2026, 1, 31, 17, 30, tzinfo=UTC)
    assert (rules.book_date(at), rules.period_of(rules.book_date(at))) == (date(2026, 2, 1), "2026-02")
    with pytest.raises(ValidationError):
        rules.check_period("2026-13")


def test_role_accounts_must_have_the_right_type():
    rules.check_role_account(rules.Role.INVENTORY, "asset", "1405", ("accountCode",))
    with pytest.raises(WrongAccountType) as err:
        rules.check_role_account(rules.Role.REVENUE, "asset", "1405", ("accountCode",))
    assert err.value.message == "account 1405 is asset; the revenue role needs a revenue account"


def test_tax_is_per_line_and_exempt_goods_carry_none():
    assert rules.tax_of(D("10.05"), D("0.13"), False) == D("1.31")  # 1.3065 -> 1.31
    assert rules.tax_of(D("10.05"), D("0.09"), True) == 0
    assert rules.stated_tax(D("1.31"), D("1.30"), 1, ("statedTax",)) == D("1.30")
    with pytest.raises(ValidationError):
        rules.stated_tax(D("1.31"), D("1.20"), 1, ("statedTax",))


def test_matching_within_tolerance_books_the_difference_as_variance():
    m = rules.match_bill_line(D(100), D("200.00"), D(100), D("2.04"), D(2), ("lines", "0"))
    assert (m.net, m.cleared, m.variance, m.problems) == (D("204.00"), D("200.00"), D("4.00"), ())


def test_partial_billing_clears_a_proportional_share():
    m = rules.match_bill_line(D(3), D("10.00"), D(1), D("3.3333"), D("3.3333"), ())
    assert (m.matched_quantity, m.cleared, m.net, m.variance) == (D(1), D("3.33"), D("3.33"), 0)


def test_matching_beyond_tolerance_waits_for_approval():
    m = rules.match_bill_line(D(10), D("20.00"), D(11), D("2.5"), D(2), ())
    assert len(m.problems) == 2
    assert (m.matched_quantity, m.cleared, m.variance) == (D(10), D("20.00"), D("7.50"))


def test_billing_what_was_never_received_names_the_quantity():
    with pytest.raises(NotReceived) as err:
        rules.match_bill_line(D(0), D(0), D(5), D(2), D(2), ("lines", "1"))
    assert err.value.path == ("lines", "1", "quantity")


def test_a_credit_note_matches_goods_returned_after_billing():
    m = rules.match_bill_line(D(-4), D("-8.00"), D(-4), D(2), D(2), ())
    assert (m.net, m.cleared, m.variance) == (D("-8.00"), D("-8.00"), 0)


def test_allocations_refuse_overpayment_and_must_add_up():
    rules.check_allocations(D("100"), [(D("113"), D("113")), (D("-13"), D("-13"))])
    with pytest.raises(Overpayment) as err:
        rules.check_allocations(D("120"), [(D("113"), D("120"))])
    assert err.value.path == ("allocations", "0", "amount")
    with pytest.raises(Overpayment):
        rules.check_allocations(D("10"), [(D("-13"), D("10"))])
    with pytest.raises(ValidationError) as sum_err:
        rules.check_allocations(D("50"), [(D("113"), D("40"))])
    assert sum_err.value.path == ("amount",)


def test_ageing_buckets_are_0_30_31_60_61_90_and_over_90():
    as_of = date(2026, 6, 30)
    days = [0, 30, 31, 60, 61, 90, 91]
    assert [rules.ageing_bucket(date.fromordinal(as_of.toordinal() - d), as_of) for d in days] == [
        "0-30",
        "0-30",
        "31-60",
        "31-60",
        "61-90",
        "61-90",
        ">90",
    ]
    items = [(date(2026, 6, 1), D(10)), (date(2026, 1, 1), D(5))]
    assert rules.age(items, as_of) == {"0-30": D(10), "31-60": 0, "61-90": 0, ">90": D(5)}


def test_csv_and_xlsx_export_keep_decimals_and_flatten_buckets():
    from dataclasses import dataclass

    from openpyxl import load_workbook

    @dataclass(frozen=True)
    class Row:
        code: str
        buckets: dict[str, Decimal]

    rows = [Row("S1", {"0-30": D("1.10"), ">90": D("0.05")})]
    assert export.to_csv(rows) == "code,buckets.0-30,buckets.>90\nS1,1.10,0.05\n"
    import io

    ws = load_workbook(io.BytesIO(export.to_xlsx(rows, "ageing"))).active
    assert [c.value for c in ws[2]] == ["S1", 1.1, 0.05]
