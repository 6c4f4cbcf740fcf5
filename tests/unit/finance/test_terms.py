"""Payment terms, pure: instalments add up to the total exactly, due dates follow the terms' calendar."""

import calendar
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.finance import terms

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
TOTALS = st.decimals(min_value=Decimal("-1000000"), max_value=Decimal("100000000"), places=2)


@st.composite
def instalment_terms(draw: st.DrawFn) -> terms.Terms:
    n = draw(st.integers(1, terms.MAX_PARTS))
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=n - 1, max_size=n - 1, unique=True)))
    shares = [Decimal(b - a) / 100 for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    days = sorted(draw(st.lists(st.integers(0, terms.MAX_DAYS), min_size=n, max_size=n)))
    return terms.Terms(
        tuple(terms.Part(s, d) for s, d in zip(shares, days, strict=True)), draw(st.booleans())
    )


@given(instalment_terms(), DAYS, TOTALS)
def test_instalments_add_up_to_the_total_exactly_and_fall_due_in_order(
    t: terms.Terms, day: date, total: Decimal
) -> None:
    parts = terms.schedule(t, day, total)

    assert sum((p.amount for p in parts), Decimal(0)) == total
    assert all(p.amount == p.amount.quantize(terms.CENT) for p in parts)
    assert [p.due_date for p in parts] == sorted(p.due_date for p in parts)
    assert parts[0].due_date >= day


@given(instalment_terms())
def test_terms_read_back_from_their_json_unchanged(t: terms.Terms) -> None:
    parsed, problems = terms.parse(terms.to_json(t))

    assert problems == []
    assert parsed is not None
    assert terms.schedule(parsed, date(2030, 1, 31), Decimal("100.00")) == terms.schedule(
        t, date(2030, 1, 31), Decimal("100.00")
    )


@given(DAYS, st.integers(0, terms.MAX_DAYS))
def test_end_of_month_terms_count_from_the_last_day_of_the_document_month(day: date, days: int) -> None:
    t, _ = terms.parse({"kind": "eom", "days": days})
    assert t is not None

    due = terms.schedule(t, day, Decimal(1))[0].due_date
    last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    assert due == last + timedelta(days=days)


def test_net_30_on_a_leap_day_and_month_end_plus_15_in_february() -> None:
    net, _ = terms.parse({"kind": "net", "days": 30})
    eom, _ = terms.parse({"kind": "eom", "days": 15})
    assert net is not None
    assert eom is not None

    assert terms.schedule(net, date(2028, 2, 29), Decimal(10))[0].due_date == date(2028, 3, 30)
    assert terms.schedule(eom, date(2027, 2, 3), Decimal(10))[0].due_date == date(2027, 3, 15)


def test_a_third_each_leaves_the_odd_cent_on_the_last_instalment() -> None:
    t, _ = terms.parse(
        {
            "kind": "instalments",
            "parts": [
                {"share": "0.3333", "days": 0},
                {"share": "0.3333", "days": 30},
                {"share": "0.3334", "days": 60},
            ],
        }
    )
    assert t is not None

    parts = terms.schedule(t, date(2030, 1, 1), Decimal("100.00"))
    assert [p.amount for p in parts] == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


@given(instalment_terms(), st.decimals(min_value=0, max_value=1, places=2))
def test_payments_close_the_earliest_instalments_first(t: terms.Terms, fraction: Decimal) -> None:
    total = Decimal("1000.00")
    parts = terms.schedule(t, date(2030, 1, 1), total)
    paid = (total * fraction).quantize(terms.CENT)

    left = terms.open_instalments(parts, paid)

    assert sum((p.amount for p in left), Decimal(0)) == total - paid
    assert [p.due_date for p in left] == [p.due_date for p in parts[len(parts) - len(left) :]]


def test_terms_that_do_not_add_up_or_are_not_terms_are_refused_with_their_path() -> None:
    assert terms.parse({"kind": "instalments", "parts": [{"share": "0.5", "days": 0}]})[1] == [
        (("parts",), "the shares add up to exactly 1")
    ]
    assert terms.parse({"kind": "net", "days": -1})[1] == [
        (("days",), "days is a whole number from 0 to 730")
    ]
    assert terms.parse({"kind": "instalments", "parts": [{"share": 0.5, "days": 0}]})[1][0][0] == (
        "parts",
        "0",
        "share",
    )
    assert terms.parse({"kind": "weekly"})[1] == [(("kind",), "kind is net, eom or instalments")]


def test_ageing_by_due_date_puts_what_is_not_yet_due_apart() -> None:
    as_of = date(2030, 3, 31)
    items = [
        terms.Instalment(date(2030, 4, 30), Decimal("70.00")),
        terms.Instalment(date(2030, 3, 31), Decimal("1.00")),
        terms.Instalment(date(2030, 3, 1), Decimal("30.00")),
        terms.Instalment(date(2029, 12, 1), Decimal("5.00")),
    ]

    assert terms.age_by_due(items, as_of) == {
        "not_due": Decimal("71.00"),
        "0-30": Decimal("30.00"),
        "31-60": Decimal(0),
        "61-90": Decimal(0),
        ">90": Decimal("5.00"),
    }
