"""Approval rules: tiers, ordering, self-approval and one-person-one-level, as properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.approvals import rules
from domain.approvals.rules import Decision, DocumentType, Level, Rule, Verdict
from domain.common.errors import Forbidden, ValidationError

TIERS = Rule(
    1,
    "tiers",
    DocumentType.PURCHASE_ORDER,
    True,
    (Level("store_manager"), Level("finance", None, Decimal(10000)), Level("admin", None, Decimal(100000))),
)
TERMS = Rule(
    2,
    "账期>90天需副总审批",
    DocumentType.PURCHASE_ORDER,
    {">": [{"var": "payment_terms_days"}, 90]},
    (Level("admin"),),
)
amounts = st.decimals(min_value=Decimal(0), max_value=Decimal("1e7"), places=2)


@given(amount=amounts)
def test_the_levels_required_are_exactly_the_tiers_the_amount_reaches(amount: Decimal) -> None:
    steps = rules.required_steps([TIERS], {"amount": amount})
    assert [s.level for s in steps] == [n for n, lv in enumerate(TIERS.levels, 1) if amount >= lv.min_amount]


def test_without_an_amount_every_tier_is_required() -> None:
    assert len(rules.required_steps([TIERS], {})) == 3


@given(terms=st.one_of(st.none(), st.integers(0, 400)))
def test_the_terms_rule_adds_its_level_only_beyond_90_days(terms: int | None) -> None:
    steps = rules.required_steps([TERMS, TIERS], {"amount": Decimal(1), "payment_terms_days": terms})
    assert [(s.rule_id, s.level) for s in steps] == [(1, 1)] + (
        [(2, 1)] if terms is not None and terms > 90 else []
    )


@given(amount=amounts, approvers=st.lists(st.integers(1, 5), min_size=1, max_size=6))
def test_approval_completes_only_after_every_step_by_distinct_people_none_the_requester(
    amount: Decimal, approvers: list[int]
) -> None:
    steps = rules.required_steps([TIERS], {"amount": amount})
    roles = {s.approver_role for s in steps}
    decisions: list[Decision] = []
    for user in approvers:
        for role in sorted(r for r in roles if r):
            try:
                index = rules.check_decision(steps, decisions, user, role, requester_id=1)
            except (Forbidden, ValidationError):
                continue
            decisions.append(Decision(index, user, Verdict.APPROVED))
            break
    done = rules.next_step(steps, decisions) is None
    deciders = [d.user_id for d in decisions]
    assert len(set(deciders)) == len(deciders)
    assert 1 not in deciders
    assert done == (len(decisions) == len(steps))
    assert [d.step for d in decisions] == list(range(len(decisions)))


def test_the_requester_may_not_approve_and_a_higher_level_may_not_skip_a_lower_one() -> None:
    steps = rules.required_steps([TIERS], {"amount": Decimal(200000)})
    with pytest.raises(Forbidden, match="yourself"):
        rules.check_decision(steps, [], 7, "store_manager", requester_id=7)
    with pytest.raises(Forbidden, match="level 1"):
        rules.check_decision(steps, [], 8, "admin", requester_id=7)
    first = [Decision(0, 9, Verdict.APPROVED)]
    with pytest.raises(Forbidden, match="already approved"):
        rules.check_decision(steps, first, 9, "finance", requester_id=7)


def test_a_named_user_level_is_taken_by_that_user_only() -> None:
    rule = Rule(3, "vp", DocumentType.PAYMENT, True, (Level(None, 42),))
    steps = rules.required_steps([rule], {"amount": Decimal(5)})
    assert rules.check_decision(steps, [], 42, "finance", requester_id=1) == 0
    with pytest.raises(Forbidden):
        rules.check_decision(steps, [], 43, "admin", requester_id=1)


@pytest.mark.parametrize(
    ("levels", "path"),
    [
        ((), ("levels",)),
        ((Level("admin", 3),), ("levels", "0")),
        ((Level("nobody"),), ("levels", "0", "approverRole")),
        (
            (Level("admin", None, Decimal(10)), Level("finance", None, Decimal(5))),
            ("levels", "1", "minAmount"),
        ),
    ],
)
def test_malformed_levels_are_refused_with_their_path(
    levels: tuple[Level, ...], path: tuple[str, ...]
) -> None:
    with pytest.raises(ValidationError) as caught:
        rules.check_rule(True, levels, frozenset({"admin", "finance"}))
    assert caught.value.path == path


@given(amount=amounts, terms=st.integers(0, 400))
def test_the_digest_changes_with_the_facts_and_not_with_their_decimal_spelling(
    amount: Decimal, terms: int
) -> None:
    steps = rules.required_steps([TIERS], {"amount": amount})
    base = rules.digest({"amount": amount, "payment_terms_days": terms}, steps)
    assert base == rules.digest(
        {"amount": amount.quantize(Decimal("0.0001")), "payment_terms_days": terms}, steps
    )
    assert base != rules.digest({"amount": amount, "payment_terms_days": terms + 1}, steps)
