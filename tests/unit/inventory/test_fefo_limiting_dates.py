"""FEFO by the date that limits the sale, on the business day of the clock (issue 10, kind 1)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.common import business_time
from domain.inventory import rules
from domain.inventory.rules import QuantCandidate

OK = rules.StockStatus.AVAILABLE


def lot(quant_id: int, free: str, expiry: date | None, best_before: date | None) -> QuantCandidate:
    return QuantCandidate(quant_id, quant_id, 1, expiry, best_before, OK, OK, Decimal(free))


def test_a_lot_best_before_tomorrow_is_picked_before_one_expiring_in_30_days():
    today = date(2026, 12, 1)
    expires_in_30 = lot(1, "10", today + timedelta(days=30), None)
    best_before_tomorrow = lot(2, "10", None, today + timedelta(days=1))

    picks, shortfall = rules.pick_fefo([expires_in_30, best_before_tomorrow], Decimal(12), today)

    assert [(p.quant_id, p.quantity) for p in picks] == [(2, Decimal(10)), (1, Decimal(2))]
    assert shortfall == 0


def test_the_limiting_date_is_the_earlier_of_expiry_and_best_before():
    d = date(2026, 12, 1)
    assert rules.limiting_date(d, d + timedelta(days=3)) == d
    assert rules.limiting_date(d + timedelta(days=3), d) == d
    assert rules.limiting_date(None, d) == d
    assert rules.limiting_date(d, None) == d
    assert rules.limiting_date(None, None) is None


def test_available_stock_past_its_expiry_date_reads_as_expired():
    today = date(2026, 12, 2)
    assert rules.status_at(OK, date(2026, 12, 1), today) == rules.StockStatus.EXPIRED
    assert rules.status_at(OK, date(2026, 12, 2), today) == OK  # the expiry date is still a selling day
    assert rules.status_at(OK, None, today) == OK
    quarantine = rules.StockStatus.QUARANTINE
    assert rules.status_at(quarantine, date(2026, 11, 1), today) == quarantine


ZONES = ("Asia/Shanghai", "UTC", "America/Los_Angeles", "Pacific/Kiritimati", "Asia/Kolkata")
BASE = date(2026, 12, 1)
day_or_none = st.none() | st.integers(-5, 40).map(lambda d: BASE + timedelta(days=d))


quantities = st.decimals(min_value="0.0001", max_value=50, places=4)


@st.composite
def lots(draw: st.DrawFn) -> list[QuantCandidate]:
    return [
        lot(
            i,
            str(draw(st.decimals(min_value="0.0001", max_value=50, places=4))),
            draw(day_or_none),
            draw(day_or_none),
        )
        for i in range(draw(st.integers(0, 10)))
    ]


# Naive bounds, as hypothesis wants them; every drawn instant is aware (UTC).
instants = st.datetimes(
    min_value=datetime(2026, 11, 25),  # noqa: DTZ001
    max_value=datetime(2026, 12, 20),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@settings(max_examples=400, deadline=None)
@given(
    cands=lots(),
    quantity=st.decimals(min_value="0.0001", max_value=300, places=4),
    now=instants,
    zone_name=st.sampled_from(ZONES),
)
def test_picks_follow_the_limiting_date_and_never_take_what_expired_in_the_business_zone(
    cands, quantity, now, zone_name
):
    business_time.configure(zone_name)
    try:
        today = business_time.business_today(now)
    finally:
        business_time.configure(business_time.DEFAULT_ZONE)
    local_day = now.astimezone(ZoneInfo(zone_name)).date()  # computed here, not by the code under test
    assert today == local_day

    picks, shortfall = rules.pick_fefo(cands, quantity, today)

    by_id = {c.quant_id: c for c in cands}
    sellable = [c for c in cands if c.expiry_date is None or c.expiry_date >= local_day]
    # Nothing past its expiry date on the business day is picked or counted available.
    assert all(by_id[p.quant_id] in sellable for p in picks)
    assert rules.allocatable_total(cands, today) == sum((c.free for c in sellable), Decimal(0))
    picked = sum((p.quantity for p in picks), Decimal(0))
    assert picked + shortfall == quantity
    assert picked == min(quantity, sum((c.free for c in sellable), Decimal(0)))

    # In order of the limiting date: min(expiry, best-before), undated last.
    def limit(c: QuantCandidate) -> date:
        dates = [d for d in (c.expiry_date, c.best_before_date) if d is not None]
        return min(dates) if dates else date.max

    picked_limits = [limit(by_id[p.quant_id]) for p in picks]
    assert picked_limits == sorted(picked_limits)
    untaken = [c for c in sellable if c.quant_id not in {p.quant_id for p in picks}]
    if picks and untaken:
        assert max(picked_limits) <= min(limit(c) for c in untaken)
