"""Allocation of available stock between sales channels: examples and invariants."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.channels import rules
from domain.channels.rules import Rule

D = Decimal


def by_channel(allocs: list[rules.Allocation]) -> dict[int, rules.Allocation]:
    return {a.channel_id: a for a in allocs}


def test_channels_without_rules_all_sell_the_whole_shared_pool() -> None:
    got = by_channel(rules.allocate(D(10), [Rule(1), Rule(2)]))
    assert (got[1].sellable, got[2].sellable) == (D(10), D(10))
    assert got[1].exclusive == got[2].exclusive == 0


def test_exclusive_share_is_held_back_from_the_other_channels() -> None:
    # Dine-in holds 40 % of 10 portions; the delivery store sells only the other 6.
    got = by_channel(rules.allocate(D(10), [Rule(1, share=D("0.4")), Rule(2)]))
    assert got[1].exclusive == D(4)
    assert got[1].sellable == D(10)
    assert got[2].sellable == D(6)


def test_safety_stock_makes_a_platform_sold_out_before_the_counter() -> None:
    got = by_channel(rules.allocate(D(3), [Rule(1), Rule(2, floor=D(3))]))
    assert got[1].sellable == D(3)
    assert got[2].sellable == 0
    assert got[2].sold_out


def test_over_allocated_shares_serve_higher_priority_first() -> None:
    got = by_channel(
        rules.allocate(D(10), [Rule(1, share=D("0.8"), priority=1), Rule(2, share=D("0.8"), priority=5)])
    )
    assert got[2].exclusive == D(8)
    assert got[1].exclusive == D(2)
    assert got[1].sellable == D(2)


def test_nothing_available_means_every_channel_is_sold_out() -> None:
    assert all(a.sold_out for a in rules.allocate(D(0), [Rule(1, share=D("0.5")), Rule(2)]))


def test_platforms_are_told_whole_portions_rounded_down() -> None:
    assert rules.platform_stock(D("2.9999")) == 2
    assert rules.platform_stock(D("-1")) == 0


def test_retry_delays_grow_and_are_capped() -> None:
    delays = [rules.retry_delay_seconds(n) for n in range(1, 20)]
    assert delays[:4] == [5, 10, 20, 40]
    assert delays == sorted(delays)
    assert max(delays) == 3600


quantities = st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)
rule_lists = st.lists(
    st.builds(
        Rule,
        channel_id=st.integers(1, 10**6),
        share=st.decimals(min_value=0, max_value=1, places=4),
        floor=quantities,
        priority=st.integers(-5, 5),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda r: r.channel_id,
)


@given(quantities, rule_lists)
def test_no_channel_sells_more_than_there_is_and_holds_never_exceed_stock(available, rule_list) -> None:
    allocs = rules.allocate(available, rule_list)
    assert [a.channel_id for a in allocs] == [r.channel_id for r in rule_list]
    assert sum(a.exclusive for a in allocs) <= available
    for a in allocs:
        assert 0 <= a.exclusive <= a.sellable + max(r.floor for r in rule_list) or a.sellable == 0
        assert 0 <= a.sellable <= available


@given(quantities, quantities, rule_lists)
def test_more_stock_never_lowers_a_channel(a, b, rule_list) -> None:
    low, high = sorted((a, b))
    before = by_channel(rules.allocate(low, rule_list))
    after = by_channel(rules.allocate(high, rule_list))
    for cid, alloc in before.items():
        assert after[cid].sellable >= alloc.sellable
