"""Gate arrivals in the weekly metrics ("ASN before arrival", "arrival to receipt posting") and the "books vs
ledger" count, as rules: examples and properties."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from statistics import median
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from domain.health import rules

TZ = ZoneInfo("Asia/Shanghai")
MON = datetime(2030, 6, 3, 2, tzinfo=UTC)  # Monday 10:00 in Shanghai, ISO week 2030-W23


def _by_key(values):
    return {v.key: v for v in values}


def test_an_arrival_with_an_earlier_asn_counts_as_announced_and_its_receipt_delay_is_measured():
    values = rules.weekly(
        receipts=[rules.ReceiptFact(1, MON + timedelta(hours=6), True, 0, 0, gated=True)],
        asns=[],
        checks=[],
        bills=[],
        tz=TZ,
        arrivals=[
            rules.ArrivalFact(1, MON, MON - timedelta(days=1), MON + timedelta(hours=6)),
            rules.ArrivalFact(1, MON + timedelta(hours=1), None, None),  # no notice, not posted yet
        ],
    )
    got = _by_key(values)
    assert (got["asn_coverage"].value, got["asn_coverage"].samples) == (Decimal("50.0"), 2)
    assert got["asn_coverage"].breached  # under 80 %
    assert (got["arrival_receipt_hours"].value, got["arrival_receipt_hours"].samples) == (Decimal("6.0"), 1)
    assert got["arrival_receipt_hours"].breached  # over 4 h


def test_an_asn_created_after_the_truck_arrived_is_not_before_arrival():
    got = _by_key(
        rules.weekly([], [], [], [], TZ, [rules.ArrivalFact(1, MON, MON + timedelta(minutes=5), None)])
    )
    assert got["asn_coverage"].value == Decimal("0.0")
    assert (got["arrival_receipt_hours"].value, got["arrival_receipt_hours"].breached) == (None, False)


def test_a_receipt_whose_delivery_was_not_registered_still_counts_by_its_asn():
    got = _by_key(rules.weekly([rules.ReceiptFact(1, MON, False, 0, 0)], [], [], [], TZ))
    assert (got["asn_coverage"].value, got["asn_coverage"].samples) == (Decimal("0.0"), 1)


def test_books_vs_ledger_breaches_on_any_disagreement_and_names_the_unattributed_ones():
    values = rules.books_ledger({7: 2, 0: 1}, [5, 7], "2030-W23")
    got = {v.supplier_id: v for v in values}
    assert sorted(got) == [0, 5, 7]
    assert (got[5].value, got[5].breached) == (Decimal(0), False)
    assert (got[7].value, got[7].breached) == (Decimal(2), True)
    assert (got[0].value, got[0].breached) == (Decimal(1), True)
    assert {v.week for v in values} == {"2030-W23"}
    assert rules.books_ledger({0: 0}, [5], "2030-W23")[0].supplier_id == 5  # no empty "overall" row


hours = st.integers(min_value=0, max_value=24 * 6)


@given(
    st.lists(
        st.tuples(hours, st.one_of(st.none(), st.integers(-72, 72)), st.one_of(st.none(), hours)),
        min_size=1,
        max_size=12,
    )
)
def test_arrival_metrics_are_the_share_announced_in_time_and_the_median_delay(raw):
    arrivals = [
        rules.ArrivalFact(
            3,
            MON + timedelta(hours=at),
            None if lead is None else MON + timedelta(hours=at - lead),
            None if delay is None else MON + timedelta(hours=at + delay),
        )
        for at, lead, delay in raw
    ]
    values = [
        v
        for v in rules.weekly([], [], [], [], TZ, arrivals)
        if v.key in ("asn_coverage", "arrival_receipt_hours")
    ]
    by_week: dict[str, dict[str, rules.MetricValue]] = {}
    for v in values:
        by_week.setdefault(v.week, {})[v.key] = v
    assert sum(w["asn_coverage"].samples for w in by_week.values()) == len(arrivals)
    for week, got in by_week.items():
        mine = [a for a in arrivals if rules.week_of(a.arrived_at.astimezone(TZ).date()) == week]
        announced = sum(1 for a in mine if a.asn_created_at is not None and a.asn_created_at < a.arrived_at)
        assert got["asn_coverage"].value == (Decimal(announced) * 100 / len(mine)).quantize(Decimal("0.1"))
        delays = [(a.receipt_at - a.arrived_at) / timedelta(hours=1) for a in mine if a.receipt_at]
        if delays:
            assert got["arrival_receipt_hours"].value == Decimal(str(median(delays))).quantize(Decimal("0.1"))
            assert got["arrival_receipt_hours"].breached == (Decimal(str(median(delays))) > 4)
        else:
            assert got["arrival_receipt_hours"].value is None


@given(st.dictionaries(st.integers(0, 20), st.integers(0, 5)), st.sets(st.integers(1, 20)))
def test_books_vs_ledger_breached_exactly_where_a_disagreement_concerns_the_supplier(counts, suppliers):
    values = rules.books_ledger(counts, suppliers, "2030-W23")
    assert {v.supplier_id for v in values} == set(suppliers) | {s for s, n in counts.items() if n}
    for v in values:
        assert v.value == counts.get(v.supplier_id, 0)
        assert v.breached == (counts.get(v.supplier_id, 0) > 0)
