from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain.health import rules

TZ = ZoneInfo("Asia/Shanghai")
MON = datetime(2030, 6, 3, 2, tzinfo=UTC)  # Monday 10:00 in Shanghai, ISO week 2030-W23


def _by_key(values):
    return {v.key: v for v in values}


def test_one_week_of_one_supplier_gives_every_metric_against_its_threshold():
    values = rules.weekly(
        receipts=[
            rules.ReceiptFact(1, MON, True, 2, 2),
            rules.ReceiptFact(1, MON + timedelta(days=1), False, 2, 1),
        ],
        asns=[rules.AsnFact(1, MON - timedelta(hours=30), MON, MON + timedelta(days=1), 4, 1)],
        checks=[rules.CheckFact(1, MON, MON + timedelta(hours=60))],
        bills=[rules.BillFact(1, date(2030, 6, 5), True), rules.BillFact(1, date(2030, 6, 6), False)],
        tz=TZ,
    )
    got = _by_key(values)
    assert {v.week for v in values} == {"2030-W23"}
    assert (got["lot_dates_complete"].value, got["lot_dates_complete"].breached) == (Decimal("75.0"), True)
    assert (got["asn_coverage"].value, got["asn_coverage"].samples) == (Decimal("50.0"), 2)
    assert (got["asn_lead_hours"].value, got["asn_lead_hours"].breached) == (Decimal("30.0"), False)
    assert (got["asn_on_time"].value, got["asn_on_time"].breached) == (Decimal("0.0"), True)  # a day late
    assert (got["qc_hours"].value, got["qc_hours"].breached) == (Decimal("60.0"), True)  # over 48 h
    assert got["asn_accuracy"].value == Decimal("75.0")
    assert got["bill_match"].value == Decimal("50.0")


def test_a_metric_without_samples_is_none_and_never_breaches():
    got = _by_key(rules.weekly([rules.ReceiptFact(2, MON, True, 0, 0)], [], [], [], TZ))
    assert (got["lot_dates_complete"].value, got["lot_dates_complete"].breached) == (None, False)
    assert (got["qc_hours"].value, got["qc_hours"].samples) == (None, 0)
    assert got["asn_coverage"].value == Decimal("100.0")


def test_weeks_are_of_the_business_date():
    sunday_night_utc = datetime(2030, 6, 2, 17, tzinfo=UTC)  # Monday 01:00 in Shanghai
    [v, *_] = rules.weekly([rules.ReceiptFact(1, sunday_night_utc, True, 0, 0)], [], [], [], TZ)
    assert v.week == "2030-W23"


def test_master_data_and_alerts():
    master = rules.master_data([rules.SupplierFact(2, False, True), rules.SupplierFact(1, True, True)])
    assert [(m.supplier_id, m.value, m.breached) for m in master] == [
        (1, Decimal("100.0"), False),
        (2, Decimal("50.0"), True),
    ]
    assert [a.supplier_id for a in rules.alerts(master)] == [2]
