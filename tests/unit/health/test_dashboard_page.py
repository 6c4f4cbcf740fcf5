"""The staff dashboard shows its suppliers a page at a time, those with an alert first, and looks values up
by (supplier, week, metric): examples and properties.

The kind of fault: a page that grows with every supplier of the business (a chart per supplier and metric)
until a phone, or a browser's full-page capture, gives up on it."""

from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.health import rules, services
from supplier_portal.portal_health import PER_PAGE, supplier_page

WEEKS = ("2030-W22", "2030-W23")
KEYS = tuple(m.key for m in rules.METRICS[:3])


def _value(supplier: int, week: str, key: str, breached: bool, value: int = 1) -> rules.MetricValue:
    return rules.MetricValue(supplier, week, key, Decimal(value), 1, Decimal(50), breached)


def _report(values: list[rules.MetricValue], suppliers: dict[int, tuple[str, str]]) -> services.Report:
    master = [_value(s, "", rules.MASTER_DATA.key, False, 100) for s in suppliers]
    at = datetime(2030, 6, 3, tzinfo=UTC)
    return services.Report(
        at, at, suppliers, WEEKS, tuple(values), tuple(master), tuple(rules.alerts(values)), (), at
    )


def test_suppliers_with_an_alert_come_first_then_the_others_by_code() -> None:
    suppliers = {i: (f"S{i:03d}", f"name {i}") for i in range(1, 26)}
    values = [_value(s, WEEKS[0], KEYS[0], s in (7, 21)) for s in suppliers]
    report = _report(values, suppliers)
    first, number, pages = supplier_page(report, 1)
    assert (number, pages, len(first)) == (1, 3, PER_PAGE)
    assert first[:2] == [21, 7]  # the alerts' order: newest week first, then the higher id
    assert first[2:] == [1, 2, 3, 4, 5, 6, 8, 9]
    last, number, _ = supplier_page(report, 99)  # past the end: the last page
    assert (number, last) == (3, [20, 22, 23, 24, 25])


def test_a_business_without_values_has_one_empty_page() -> None:
    assert supplier_page(_report([], {}), 1) == ([], 1, 1)


@given(
    st.dictionaries(st.integers(1, 60), st.sampled_from(["A", "B", "C", "AA"]), max_size=45),
    st.sets(st.tuples(st.integers(1, 60), st.sampled_from(WEEKS), st.sampled_from(KEYS)), max_size=60),
    st.sets(st.integers(1, 60)),
)
def test_every_supplier_is_on_exactly_one_page_and_alerts_lead(codes, facts, breaching) -> None:
    suppliers = {s: (code, "") for s, code in codes.items()}
    values = [_value(s, w, k, s in breaching) for s, w, k in facts]
    report = _report(values, suppliers)
    _, _, pages = supplier_page(report, 1)
    shown = [s for n in range(1, pages + 1) for s in supplier_page(report, n)[0]]
    assert all(len(supplier_page(report, n)[0]) <= PER_PAGE for n in range(1, pages + 1))
    expected = {v.supplier_id for v in (*report.values, *report.master)}
    assert sorted(shown) == sorted(expected)  # each once, none left out
    alerting = {a.supplier_id for a in report.alerts}
    assert set(shown[: len(alerting)]) == alerting
    assert pages == max(1, -(-len(expected) // PER_PAGE))


@given(
    st.lists(st.tuples(st.integers(1, 5), st.sampled_from(WEEKS), st.sampled_from(KEYS), st.integers(0, 9)))
)
def test_a_value_is_the_first_one_stored_for_its_supplier_week_and_metric(facts) -> None:
    values = [_value(s, w, k, False, n) for s, w, k, n in facts]
    report = _report(values, {})
    for s in range(7):
        for w in (*WEEKS, "2030-W24"):
            for k in (*KEYS, "other"):
                scanned = next((v for v in values if (v.supplier_id, v.week, v.key) == (s, w, k)), None)
                assert report.value(s, w, k) is scanned
