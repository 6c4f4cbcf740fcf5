"""Data-health metrics (数据健康度), pure: completeness, timeliness and consistency of what suppliers and the
warehouse record, per supplier and ISO week (of the business date), each against a threshold.

Inputs are facts the service loads (dataclasses below); outputs are ``MetricValue`` rows. Percentages are
``Decimal`` 0-100 rounded to 0.1; durations are hours rounded to 0.1; a metric with no sample is ``None`` and
never breaches. Weeks are ISO 8601 (``2026-W48``) of the business date.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from statistics import median


class Kind(StrEnum):
    COMPLETENESS = "completeness"  # 完整性
    TIMELINESS = "timeliness"  # 及时性
    CONSISTENCY = "consistency"  # 一致性


@dataclass(frozen=True)
class Metric:
    key: str
    kind: Kind
    label_zh: str
    label_en: str
    unit: str  # "%" or "h"
    threshold: Decimal
    higher_is_better: bool

    def breached(self, value: Decimal | None) -> bool:
        if value is None:
            return False
        return value < self.threshold if self.higher_is_better else value > self.threshold


D = Decimal
METRICS: tuple[Metric, ...] = (
    Metric(
        "lot_dates_complete",
        Kind.COMPLETENESS,
        "批号与保质期齐全",
        "lot and expiry present",
        "%",
        D(98),
        True,
    ),
    Metric("asn_coverage", Kind.COMPLETENESS, "到货前有发货通知", "ASN before arrival", "%", D(80), True),
    Metric(
        "asn_lead_hours", Kind.TIMELINESS, "通知提前量（中位）", "ASN lead time (median)", "h", D(24), True
    ),
    Metric(
        "asn_on_time", Kind.TIMELINESS, "按通知日期到货", "arrived on the announced day", "%", D(90), True
    ),
    Metric(
        "qc_hours",
        Kind.TIMELINESS,
        "收货到质检结论（中位）",
        "receipt to QC verdict (median)",
        "h",
        D(48),
        False,
    ),
    Metric(
        "asn_accuracy",
        Kind.CONSISTENCY,
        "通知与实收一致",
        "ASN lines received as announced",
        "%",
        D(95),
        True,
    ),
    Metric("bill_match", Kind.CONSISTENCY, "账单与入库相符", "bills matching receipts", "%", D(95), True),
)
BY_KEY = {m.key: m for m in METRICS}
MASTER_DATA = Metric(
    "master_data", Kind.COMPLETENESS, "主数据齐全", "GLN and contact on file", "%", D(100), True
)


@dataclass(frozen=True)
class ReceiptFact:
    supplier_id: int
    received_at: datetime
    from_asn: bool  # posted from an ASN created before the goods arrived
    dated_lines: int  # lines of SKUs with a shelf life
    dated_lines_complete: int  # … of which the lot has an expiry date


@dataclass(frozen=True)
class AsnFact:
    supplier_id: int
    created_at: datetime
    expected_arrival: datetime
    received_at: datetime
    lines: int
    lines_with_differences: int


@dataclass(frozen=True)
class CheckFact:
    supplier_id: int
    received_at: datetime
    decided_at: datetime


@dataclass(frozen=True)
class BillFact:
    supplier_id: int
    bill_date: date
    matched: bool  # no problem found against the receipts


@dataclass(frozen=True)
class SupplierFact:
    supplier_id: int
    gln_valid: bool
    has_contact: bool


@dataclass(frozen=True)
class MetricValue:
    supplier_id: int
    week: str  # "2026-W48"; "" for master data (not weekly)
    key: str
    value: Decimal | None
    samples: int
    threshold: Decimal
    breached: bool


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _pct(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (D(part) * 100 / D(whole)).quantize(D("0.1"), ROUND_HALF_UP)


def _hours(values: Sequence[float]) -> Decimal | None:
    if not values:
        return None
    return D(str(median(values))).quantize(D("0.1"), ROUND_HALF_UP)


def _value(metric: Metric, supplier_id: int, week: str, value: Decimal | None, samples: int) -> MetricValue:
    return MetricValue(
        supplier_id, week, metric.key, value, samples, metric.threshold, metric.breached(value)
    )


def weekly(
    receipts: Iterable[ReceiptFact],
    asns: Iterable[AsnFact],
    checks: Iterable[CheckFact],
    bills: Iterable[BillFact],
    tz: tzinfo,
) -> list[MetricValue]:
    """Every metric per (supplier, week) that has at least one fact, in supplier, week, metric order."""
    groups: dict[tuple[int, str], dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
    for r in receipts:
        groups[(r.supplier_id, week_of(r.received_at.astimezone(tz).date()))]["receipts"].append(r)
    for a in asns:
        groups[(a.supplier_id, week_of(a.received_at.astimezone(tz).date()))]["asns"].append(a)
    for c in checks:
        groups[(c.supplier_id, week_of(c.decided_at.astimezone(tz).date()))]["checks"].append(c)
    for b in bills:
        groups[(b.supplier_id, week_of(b.bill_date))]["bills"].append(b)
    out: list[MetricValue] = []
    for (supplier_id, week), facts in sorted(groups.items()):
        rs: list[ReceiptFact] = facts["receipts"]  # type: ignore[assignment]
        as_: list[AsnFact] = facts["asns"]  # type: ignore[assignment]
        cs: list[CheckFact] = facts["checks"]  # type: ignore[assignment]
        bs: list[BillFact] = facts["bills"]  # type: ignore[assignment]
        dated = sum(r.dated_lines for r in rs)
        values = {
            "lot_dates_complete": (_pct(sum(r.dated_lines_complete for r in rs), dated), dated),
            "asn_coverage": (_pct(sum(r.from_asn for r in rs), len(rs)), len(rs)),
            "asn_lead_hours": (
                _hours([(a.expected_arrival - a.created_at).total_seconds() / 3600 for a in as_]),
                len(as_),
            ),
            "asn_on_time": (
                _pct(
                    sum(
                        a.received_at.astimezone(tz).date() <= a.expected_arrival.astimezone(tz).date()
                        for a in as_
                    ),
                    len(as_),
                ),
                len(as_),
            ),
            "qc_hours": (
                _hours([(c.decided_at - c.received_at).total_seconds() / 3600 for c in cs]),
                len(cs),
            ),
            "asn_accuracy": (
                _pct(sum(a.lines - a.lines_with_differences for a in as_), sum(a.lines for a in as_)),
                sum(a.lines for a in as_),
            ),
            "bill_match": (_pct(sum(b.matched for b in bs), len(bs)), len(bs)),
        }
        out += [_value(m, supplier_id, week, *values[m.key]) for m in METRICS]
    return out


def master_data(suppliers: Iterable[SupplierFact]) -> list[MetricValue]:
    return [
        _value(MASTER_DATA, s.supplier_id, "", _pct(int(s.gln_valid) + int(s.has_contact), 2), 2)
        for s in sorted(suppliers, key=lambda s: s.supplier_id)
    ]


def alerts(values: Iterable[MetricValue]) -> list[MetricValue]:
    """The values that crossed their threshold, worst news first (latest week first)."""
    return sorted((v for v in values if v.breached), key=lambda v: (v.week, v.supplier_id), reverse=True)
