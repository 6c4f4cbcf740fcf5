"""A wave's walk: every line in exactly one stop, stops in bin path order, quantities kept exactly."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.devices import errors, rules, walk

BINS = {"A-01": "W/A/A-01", "A-10": "W/A/A-10", "A-02": "W/A/A-02", "B-01": "W/B/B-01"}

lines = st.lists(
    st.tuples(
        st.integers(1, 5),
        st.sampled_from(sorted(BINS)),
        st.sampled_from(["S1", "S2"]),
        st.sampled_from(["L1", "L2"]),
        st.decimals(Decimal("0.0001"), Decimal(1000), places=4),
    ),
    max_size=40,
).map(
    lambda rows: [
        walk.WaveLine(i + 1, order, code, BINS[code], sku, lot, qty)
        for i, (order, code, sku, lot, qty) in enumerate(rows)
    ]
)


@given(lines)
def test_every_line_is_in_exactly_one_stop_whose_quantity_is_the_exact_sum(wave) -> None:
    stops = walk.stops(wave)
    assert Counter(i for s in stops for i in s.line_ids) == Counter(ln.line_id for ln in wave)
    by_id = {ln.line_id: ln for ln in wave}
    for s in stops:
        assert s.quantity == sum((by_id[i].quantity for i in s.line_ids), Decimal(0))
        assert {(by_id[i].bin_code, by_id[i].sku_code, by_id[i].lot_code) for i in s.line_ids} == {
            (s.bin_code, s.sku_code, s.lot_code)
        }


@given(lines)
def test_stops_follow_the_bin_paths_and_a_stops_lines_go_order_by_order(wave) -> None:
    stops = walk.stops(wave)
    assert [s.bin_path for s in stops] == sorted(s.bin_path for s in stops)
    assert len({(s.bin_code, s.sku_code, s.lot_code) for s in stops}) == len(stops)
    by_id = {ln.line_id: ln for ln in wave}
    for s in stops:
        keys = [(by_id[i].order_id, i) for i in s.line_ids]
        assert keys == sorted(keys)


def test_a_walk_visits_a_01_a_02_a_10_then_b() -> None:
    wave = [
        walk.WaveLine(i, 1, c, BINS[c], "S", "L", Decimal(1))
        for i, c in enumerate(["B-01", "A-10", "A-01", "A-02"])
    ]
    assert [s.bin_code for s in walk.stops(wave)] == ["A-01", "A-02", "A-10", "B-01"]


def test_a_bin_outside_the_zones_is_a_forbidden_refusal_before_any_other() -> None:
    findings = rules.evaluate(
        rules.Scan("B-01", "S", "L", "1"),
        rules.Context(today=date(2026, 12, 1), expected_bin="A-01", zones=("W/A",), bin_path="W/B/B-01"),
    )
    assert [x.code for x in findings] == ["OUT_OF_ZONE", "WRONG_BIN"]
    with pytest.raises(errors.OutOfZone) as refused:
        errors.refuse(findings)
    exc = refused.value
    assert (exc.code.value, exc.rule_code, [x.code for x in exc.findings]) == (
        "FORBIDDEN",
        "OUT_OF_ZONE",
        ["OUT_OF_ZONE"],
    )
    errors.refuse([x for x in findings if x.severity is rules.Severity.WARN])  # warnings pass
