"""Recall rules: which lots are blocked, what a customer still holds, the notice rows and the summary."""

import csv
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.recall import rules

UNITS = st.sampled_from(["kg", "pcs", "box"])
QTY = st.decimals(min_value=0, max_value=10_000, places=4, allow_nan=False, allow_infinity=False)
TOTALS = st.dictionaries(UNITS, QTY, max_size=3)
STATUSES = st.sampled_from(["available", "quarantine", "blocked", "rejected", "expired"])


@given(st.dictionaries(st.integers(1, 10_000), STATUSES, max_size=20))
def test_a_recall_blocks_exactly_the_available_and_quarantined_lots_in_id_order(statuses):
    blocked = rules.lots_to_block(statuses)
    assert blocked == sorted(blocked)
    assert set(blocked) == {b for b, s in statuses.items() if s in ("available", "quarantine")}


@given(TOTALS, TOTALS)
def test_outstanding_is_shipped_less_returned_never_negative_and_exact(shipped, returned):
    out = rules.outstanding(shipped, returned)
    assert set(out) == set(shipped)
    for unit, q in out.items():
        assert q >= 0
        assert q == max(shipped[unit] - returned.get(unit, Decimal(0)), Decimal(0))


LINES = st.lists(
    st.builds(
        lambda code, lots, shipped, returned: rules.CustomerLine(
            code, f"name {code}", lots, shipped, returned
        ),
        st.text("ABC123", min_size=1, max_size=5),
        st.lists(
            st.tuples(st.just("SKU"), st.text("L0123", min_size=1, max_size=4), QTY, UNITS), max_size=3
        ).map(tuple),
        TOTALS,
        TOTALS,
    ),
    max_size=6,
)


@given(LINES, st.lists(st.tuples(UNITS, QTY), max_size=4), st.lists(st.tuples(UNITS, QTY), max_size=4))
def test_the_summary_adds_every_customer_and_disposal_per_unit_without_rounding(customers, destroyed, held):
    summary = rules.summarize(customers, destroyed, held, lots=3)

    for unit in {"kg", "pcs", "box"}:
        assert summary.shipped.get(unit, 0) == sum(
            (c.shipped.get(unit, Decimal(0)) for c in customers), Decimal(0)
        )
        assert summary.outstanding.get(unit, 0) == sum(
            (c.outstanding.get(unit, Decimal(0)) for c in customers), Decimal(0)
        )
        assert summary.destroyed.get(unit, 0) == sum((q for u, q in destroyed if u == unit), Decimal(0))
        assert summary.held.get(unit, 0) == sum((q for u, q in held if u == unit), Decimal(0))
    as_json = summary.as_dict()
    assert {u: Decimal(v) for u, v in as_json["shipped"].items()} == summary.shipped
    assert (as_json["customers"], as_json["lots"]) == (len(customers), 3)


@given(LINES)
def test_the_notice_has_one_row_per_customer_and_lot_and_survives_csv(customers):
    rows = rules.notice_rows("RC-1", "请退回", "send it back", customers)
    assert len(rows) == sum(len(c.lots) for c in customers)
    text = rules.to_csv(rows).decode("utf-8-sig")
    back = list(csv.DictReader(io.StringIO(text)))
    assert back == rows
    assert text.splitlines()[0] == ",".join(rules.CSV_COLUMNS)
