"""FEFO picking: earliest legal expiry first, never held or expired stock, never more than is free."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.inventory import rules
from domain.inventory.rules import QuantCandidate

TODAY = date(2030, 6, 3)
OK = rules.StockStatus.AVAILABLE


def quant(
    quant_id: int,
    free: str,
    expiry: date | None = None,
    *,
    best_before: date | None = None,
    quant_status: str = OK,
    batch_status: str = OK,
    batch_id: int | None = None,
    location_id: int = 1,
) -> QuantCandidate:
    return QuantCandidate(
        quant_id=quant_id,
        batch_id=batch_id if batch_id is not None else quant_id,
        location_id=location_id,
        expiry_date=expiry,
        best_before_date=best_before,
        quant_status=quant_status,
        batch_status=batch_status,
        free=Decimal(free),
    )


def test_the_batch_that_expires_first_is_picked_first_and_undated_stock_last():
    undated = quant(1, "5")
    late = quant(2, "5", TODAY + timedelta(days=20))
    early = quant(3, "5", TODAY + timedelta(days=2))

    picks, shortfall = rules.pick_fefo([undated, late, early], Decimal(8), TODAY)

    assert [(p.quant_id, p.quantity) for p in picks] == [(3, Decimal(5)), (2, Decimal(3))]
    assert shortfall == 0


def test_best_before_breaks_a_tie_on_expiry():
    a = quant(1, "5", TODAY + timedelta(days=9), best_before=TODAY + timedelta(days=6))
    b = quant(2, "5", TODAY + timedelta(days=9), best_before=TODAY + timedelta(days=3))

    picks, _ = rules.pick_fefo([a, b], Decimal(1), TODAY)

    assert [p.quant_id for p in picks] == [2]


def test_held_expired_and_fully_reserved_stock_is_never_picked():
    cands = [
        quant(1, "5", TODAY - timedelta(days=1)),  # expired yesterday
        quant(2, "5", quant_status=rules.StockStatus.QUARANTINE),
        quant(3, "5", batch_status=rules.StockStatus.BLOCKED),
        quant(4, "5", quant_status=rules.StockStatus.REJECTED),
        quant(5, "0"),  # all of it reserved
        quant(6, "2", TODAY),  # expires today: still sellable
    ]

    picks, shortfall = rules.pick_fefo(cands, Decimal(5), TODAY)

    assert [(p.quant_id, p.quantity) for p in picks] == [(6, Decimal(2))]
    assert shortfall == Decimal(3)
    assert rules.allocatable_total(cands, TODAY) == Decimal(2)


def test_nothing_allocatable_leaves_the_whole_quantity_short():
    assert rules.pick_fefo([], Decimal("1.5"), TODAY) == ([], Decimal("1.5"))


statuses = st.sampled_from(list(rules.StockStatus))
some_day = st.none() | st.integers(-3, 30).map(lambda d: TODAY + timedelta(days=d))


@st.composite
def candidate_lists(draw: st.DrawFn) -> list[QuantCandidate]:
    n = draw(st.integers(0, 12))
    return [
        quant(
            quant_id,
            str(draw(st.decimals(min_value=0, max_value=50, places=2))),
            draw(some_day),
            best_before=draw(some_day),
            quant_status=draw(statuses),
            batch_status=draw(statuses),
            batch_id=draw(st.integers(1, 6)),
            location_id=draw(st.integers(1, 3)),
        )
        for quant_id in range(n)
    ]


@settings(max_examples=300, deadline=None)
@given(cands=candidate_lists(), quantity=st.decimals(min_value="0.01", max_value=200, places=2))
def test_fefo_takes_all_it_can_in_expiry_order_and_nothing_it_may_not(cands, quantity):
    picks, shortfall = rules.pick_fefo(cands, quantity, TODAY)

    by_id = {c.quant_id: c for c in cands}
    allocatable = [c for c in cands if rules.is_allocatable(c, TODAY)]
    picked = sum((p.quantity for p in picks), Decimal(0))
    # Exactly what was asked, or everything there is.
    assert picked == min(quantity, rules.allocatable_total(cands, TODAY))
    assert shortfall == quantity - picked
    # Only allocatable quants, each at most once and never beyond what is free.
    assert len({p.quant_id for p in picks}) == len(picks)
    for p in picks:
        c = by_id[p.quant_id]
        assert rules.is_allocatable(c, TODAY)
        assert 0 < p.quantity <= c.free
        assert (p.batch_id, p.location_id) == (c.batch_id, c.location_id)
    # First expiry first out: an unpicked (or partly picked) quant never expires before a picked one,
    # and only the last pick may be partial.
    keys = [rules.fefo_key(by_id[p.quant_id]) for p in picks]
    assert keys == sorted(keys)
    assert all(p.quantity == by_id[p.quant_id].free for p in picks[:-1])
    untaken = [c for c in allocatable if c.quant_id not in {p.quant_id for p in picks}]
    if picks and untaken:
        assert max(keys) <= min(rules.fefo_key(c) for c in untaken)
