"""The stored books-vs-ledger list: a disagreement survives the JSON row unchanged (text included, whatever
characters the check prints), and a stored list serves a reader exactly when computed at or after the instant
the reader needs."""

import json
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.health import books, snapshot

disagreements = st.builds(
    books.Disagreement,
    st.sampled_from(["stock", "decimals", "grni_documents", "reconciliation"]),
    st.text(max_size=20),
    st.text(max_size=200),
    st.integers(min_value=0, max_value=2**31 - 1),
)
# Naive bounds, as hypothesis wants them; every drawn instant is aware (UTC).
instants = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001
    max_value=datetime(2040, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@given(st.lists(disagreements, max_size=20))
def test_a_list_survives_the_json_row_in_order(found: list[books.Disagreement]) -> None:
    row = json.loads(json.dumps([snapshot.encode(d) for d in found]))
    assert [snapshot.decode(d) for d in row] == found


@given(instants, instants)
def test_a_stored_list_serves_a_reader_exactly_when_computed_at_or_after_its_need(
    computed_at: datetime, not_before: datetime
) -> None:
    assert snapshot.is_fresh(computed_at, not_before) == (computed_at >= not_before)


@given(instants, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)))
def test_a_view_takes_the_list_within_fresh_for_and_not_after(now: datetime, age: timedelta) -> None:
    fresh = snapshot.is_fresh(now - age, now - snapshot.FRESH_FOR)
    assert fresh == (age <= snapshot.FRESH_FOR)
