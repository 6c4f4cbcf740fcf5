"""Data-health metrics (数据健康度), pure: completeness, timeliness and consistency of what suppliers and the
warehouse record, per supplier and ISO week (of the business date), each against a threshold.

Inputs are facts the service loads (dataclasses below); outputs are ``MetricValue`` rows. Percentages are
``Decimal`` 0-100 rounded to 0.1; durations are hours rounded to 0.1; counts (unit "n") are whole numbers; a
metric with no sample is ``None`` and never breaches. Weeks are ISO 8601 (``2026-W48``) of the business date.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
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
    unit: str  # "%", "h" (hours) or "n" (a count)
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
        "arrival_receipt_hours",
        Kind.TIMELINESS,
        "到货到入库过账（中位）",
        "arrival to receipt posting (median)",
        "h",
        D(4),
        False,
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
    # `lotline check`'s disagreements that concern the supplier, as of now (so: the current week only)
    Metric(
        "books_ledger", Kind.CONSISTENCY, "账簿与流水不符", "books vs ledger disagreements", "n", D(0), False
    ),
)
WEEKLY = tuple(m for m in METRICS if m.key != "books_ledger")
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
    gated: bool = False  # its delivery was registered at the gate: "ASN before arrival" counts the arrival


@dataclass(frozen=True)
class ArrivalFact:
    """A delivery registered at the gate (到货登记)."""

    supplier_id: int
    arrived_at: datetime
    asn_created_at: datetime | None  # the notice of this delivery, if any
    receipt_at: datetime | None  # when its goods receipt was posted; None: not yet


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
    arrivals: Iterable[ArrivalFact] = (),
) -> list[MetricValue]:
    """Every weekly metric per (supplier, week) that has at least one fact, in supplier, week, metric order.

    "ASN before arrival" counts each registered arrival (in the week it arrived) and each receipt whose
    delivery was not registered (its posting stands in for the arrival); "arrival to receipt posting" is the
    median over the week's arrivals whose receipt is posted."""
    groups: dict[tuple[int, str], dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
    for r in receipts:
        groups[(r.supplier_id, week_of(r.received_at.astimezone(tz).date()))]["receipts"].append(r)
    for a in asns:
        groups[(a.supplier_id, week_of(a.received_at.astimezone(tz).date()))]["asns"].append(a)
    for c in checks:
        groups[(c.supplier_id, week_of(c.decided_at.astimezone(tz).date()))]["checks"].append(c)
    for b in bills:
        groups[(b.supplier_id, week_of(b.bill_date))]["bills"].append(b)
    for v in arrivals:
        groups[(v.supplier_id, week_of(v.arrived_at.astimezone(tz).date()))]["arrivals"].append(v)
    out: list[MetricValue] = []
    for (supplier_id, week), facts in sorted(groups.items()):
        rs: list[ReceiptFact] = facts["receipts"]  # type: ignore[assignment]
        as_: list[AsnFact] = facts["asns"]  # type: ignore[assignment]
        cs: list[CheckFact] = facts["checks"]  # type: ignore[assignment]
        bs: list[BillFact] = facts["bills"]  # type: ignore[assignment]
        vs: list[ArrivalFact] = facts["arrivals"]  # type: ignore[assignment]
        dated = sum(r.dated_lines for r in rs)
        ungated = [r for r in rs if not r.gated]
        announced = sum(r.from_asn for r in ungated) + sum(
            v.asn_created_at is not None and v.asn_created_at < v.arrived_at for v in vs
        )
        posted = [v for v in vs if v.receipt_at is not None]
        values = {
            "lot_dates_complete": (_pct(sum(r.dated_lines_complete for r in rs), dated), dated),
            "asn_coverage": (_pct(announced, len(ungated) + len(vs)), len(ungated) + len(vs)),
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
            "arrival_receipt_hours": (
                _hours(
                    [(v.receipt_at - v.arrived_at).total_seconds() / 3600 for v in posted if v.receipt_at]
                ),
                len(posted),
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
        out += [_value(m, supplier_id, week, *values[m.key]) for m in WEEKLY]
    return out


def books_ledger(
    disagreements: Mapping[int, int], supplier_ids: Iterable[int], week: str
) -> list[MetricValue]:
    """The "books vs ledger" metric of ``week`` (the current one: the check is of now) for each supplier:
    how many of ``lotline check``'s disagreements concern it (``disagreements``: supplier id -> count; id 0,
    disagreements of no one supplier, gets a row only when there are some)."""
    metric = BY_KEY["books_ledger"]
    ids = sorted(set(supplier_ids) | {s for s, n in disagreements.items() if n})
    return [_value(metric, s, week, D(disagreements.get(s, 0)), 1) for s in ids]


def master_data(suppliers: Iterable[SupplierFact]) -> list[MetricValue]:
    return [
        _value(MASTER_DATA, s.supplier_id, "", _pct(int(s.gln_valid) + int(s.has_contact), 2), 2)
        for s in sorted(suppliers, key=lambda s: s.supplier_id)
    ]


def alerts(values: Iterable[MetricValue]) -> list[MetricValue]:
    """The values that crossed their threshold, worst news first (latest week first)."""
    return sorted((v for v in values if v.breached), key=lambda v: (v.week, v.supplier_id), reverse=True)
