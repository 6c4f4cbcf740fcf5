"""The substitute engine: route, quality and cost scores, eligibility and ranking."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.production import scoring

D = Decimal
ROUTE = (scoring.RouteStep("WASH", frozenset({"W1"})), scoring.RouteStep("MIX", frozenset({"T1", "T2"})))
SPECS = (scoring.Spec("nitrate", None, D(2500)), scoring.Spec("temp", D(0), D(5)))
NEED = scoring.Need("LETTUCE", D("4.2"), D(5), D("0.10"), ROUTE, SPECS)
GOOD = scoring.Candidate(
    "ROMAINE",
    "bom_line",
    D(1),
    D("5.20"),
    D(10),
    {"WASH": frozenset({"W1"}), "MIX": frozenset({"T2"})},
    {"nitrate": ("1800",), "temp": ("3.5", "4")},
)


def candidate(**kw) -> scoring.Candidate:
    fields = {**GOOD.__dict__, **kw}
    return scoring.Candidate(**fields)


def test_a_candidate_meeting_route_and_quality_within_the_threshold_is_eligible_and_explained():
    s = scoring.score(NEED, GOOD)
    assert (s.route_score, s.quality_score, s.cost_score, s.score, s.eligible) == (
        D(1),
        D(1),
        D("0.6"),
        D("0.92"),
        True,
    )
    assert s.explanation == (
        "route: all 2 operations allowed",
        "quality: nitrate 1800..1800 within [-∞, 2500]",
        "quality: temp 3.5..4 within [0, 5]",
        "cost: +4.00% vs original, within the allowed 10.00%",
        "stock: 10 available, 4.2000 needed",
    )


def test_wrong_equipment_a_result_out_of_range_and_a_missing_result_each_count_against():
    s = scoring.score(
        NEED,
        candidate(
            processes={"WASH": frozenset({"W9"}), "MIX": frozenset({"T1"})}, results={"nitrate": ("2600",)}
        ),
    )
    assert (s.route_score, s.quality_score, s.eligible) == (D("0.5"), D(0), False)
    assert "route: WASH allows W1; candidate runs on W9" in s.explanation
    assert "quality: nitrate 2600..2600 outside [-∞, 2500]" in s.explanation
    assert "quality: no QC result for temp" in s.explanation


def test_a_ratio_scales_what_is_needed_and_the_cost_per_original_unit():
    s = scoring.score(NEED, candidate(ratio=D("1.5"), unit_cost=D(3), available=D(5)))
    assert s.needed == D("6.3")
    assert s.cost_difference == D("-0.1")  # 1.5 × 3 = 4.50 against 5
    assert not s.eligible  # 5 available, 6.3 needed
    assert s.explanation[-1] == "stock: 5 available, 6.3000 needed (short)"


costs = st.decimals(min_value=D("0.01"), max_value=D(100), places=2)
values = st.lists(st.decimals(min_value=D(-10), max_value=D(3000), places=1).map(str), max_size=4)


@given(costs, costs)
def test_a_cheaper_candidate_never_scores_lower_on_cost(a, b):
    cheap, dear = sorted((a, b))
    assert (
        scoring.score(NEED, candidate(unit_cost=cheap)).cost_score
        >= scoring.score(NEED, candidate(unit_cost=dear)).cost_score
    )


@given(costs, values, values, st.decimals(min_value=0, max_value=20, places=1))
def test_scores_stay_in_range_and_over_the_threshold_is_never_eligible(cost, nitrate, temp, available):
    s = scoring.score(
        NEED,
        candidate(
            unit_cost=cost, results={"nitrate": tuple(nitrate), "temp": tuple(temp)}, available=available
        ),
    )
    for v in (s.route_score, s.quality_score, s.cost_score, s.score):
        assert 0 <= v <= 1
    if s.cost_difference > NEED.cost_threshold:
        assert not s.eligible
        assert s.cost_score == 0
    if s.eligible:
        assert s.quality_score == 1
        assert s.route_score == 1
        assert available >= s.needed


@given(values, st.decimals(min_value=D(2501), max_value=D(9999), places=0))
def test_adding_an_out_of_range_result_never_raises_quality(nitrate, bad):
    before = scoring.score(NEED, candidate(results={"nitrate": tuple(nitrate), "temp": ("3",)}))
    after = scoring.score(NEED, candidate(results={"nitrate": (*nitrate, str(bad)), "temp": ("3",)}))
    assert after.quality_score <= before.quality_score


names = st.text(alphabet="ABCDEFG", min_size=1, max_size=3)


@given(st.lists(st.tuples(names, costs, st.booleans()), max_size=8), st.randoms())
def test_the_ranking_ignores_input_order_puts_eligible_first_and_drops_the_original(rows, rnd):
    cands = [
        candidate(sku_code=n, unit_cost=c, processes=GOOD.processes if ok else {}) for n, c, ok in rows
    ] + [candidate(sku_code="LETTUCE")]
    shuffled = list(cands)
    rnd.shuffle(shuffled)
    ranked = scoring.rank(NEED, cands)
    assert ranked == scoring.rank(NEED, shuffled)
    assert "LETTUCE" not in [r.sku_code for r in ranked]
    flags = [r.eligible for r in ranked]
    assert flags == sorted(flags, reverse=True)
    assert len(ranked) == len({c.sku_code for c in cands} - {"LETTUCE"})
