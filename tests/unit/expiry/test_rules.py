"""Expiry rules: two dates, two actions, N days per SKU, category or default."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.common.errors import ValidationError
from domain.expiry import rules
from domain.expiry.rules import AlertKind, Due, Policy

TODAY = date(2026, 12, 2)
P = Policy(alert_days=3, promote_days=7, markdown=Decimal("0.3"))


def day(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.mark.parametrize(
    ("expiry", "best_before", "due"),
    [
        (day(4), None, Due(None, False)),  # alert 3 days ahead: not yet
        (day(3), None, Due(AlertKind.NEAR_EXPIRY, False)),
        (day(0), None, Due(AlertKind.NEAR_EXPIRY, False)),  # the expiry date is still a selling day
        (day(-1), None, Due(AlertKind.EXPIRED, False)),
        (None, day(7), Due(None, True)),
        (None, day(8), Due(None, False)),
        (None, day(-1), Due(None, False)),  # best-before passed: no proposal (still legal to sell)
        (day(30), day(1), Due(None, True)),  # the frozen-food case: far expiry, near best-before
        (day(2), day(1), Due(AlertKind.NEAR_EXPIRY, True)),  # both: an alert and a proposal
        (day(-1), day(0), Due(AlertKind.EXPIRED, False)),  # expired: nothing to promote
        (None, None, Due(None, False)),
    ],
)
def test_what_is_due_on_a_business_day(expiry, best_before, due):
    assert rules.due_on(expiry, best_before, TODAY, P) == due


def test_the_skus_policy_wins_over_its_categorys_over_the_default_over_the_built_in():
    sku, cat, default = (
        Policy(1, 1, Decimal("0.1")),
        Policy(2, 2, Decimal("0.2")),
        Policy(4, 4, Decimal("0.4")),
    )

    assert rules.policy_for(7, 3, {7: sku}, {3: cat}, default) == sku
    assert rules.policy_for(8, 3, {7: sku}, {3: cat}, default) == cat
    assert rules.policy_for(8, None, {7: sku}, {3: cat}, default) == default
    assert rules.policy_for(8, 9, {}, {}, None) == Policy(3, 7, Decimal("0.30"))


def test_bad_days_and_markdowns_are_refused_with_their_field():
    cases = [
        ((-1, 7, Decimal("0.3")), ("alertDays",)),
        ((3, 367, Decimal("0.3")), ("promoteDays",)),
        ((3, 7, Decimal(0)), ("markdown",)),
        ((3, 7, Decimal(1)), ("markdown",)),
        ((3, 7, Decimal("NaN")), ("markdown",)),
        ((3, 7, Decimal("0.00001")), ("markdown",)),
    ]
    for args, path in cases:
        with pytest.raises(ValidationError) as refused:
            rules.check_policy(*args)
        assert refused.value.path == path


@given(
    expiry=st.none() | st.integers(-10, 40).map(day),
    best_before=st.none() | st.integers(-10, 40).map(day),
    alert_days=st.integers(0, 30),
    promote_days=st.integers(0, 30),
)
def test_nothing_past_its_expiry_is_promoted_and_alerts_follow_the_days(
    expiry, best_before, alert_days, promote_days
):
    policy = Policy(alert_days, promote_days, Decimal("0.3"))
    due = rules.due_on(expiry, best_before, TODAY, policy)

    expired = expiry is not None and expiry < TODAY
    assert (due.alert == AlertKind.EXPIRED) == expired
    assert not (expired and due.promote)
    if expiry is not None and not expired:
        assert (due.alert == AlertKind.NEAR_EXPIRY) == ((expiry - TODAY).days <= alert_days)
    # Nothing is due further out than the horizon.
    if due.alert is None and not due.promote:
        return
    horizon = rules.horizon([policy])
    assert any(d is not None and (d - TODAY).days <= horizon for d in (expiry, best_before))
