"""Data-health report: loads the facts of a time window (receipts, gate arrivals, ASNs, quality checks,
bills, supplier master data, and ``lotline check``'s disagreements as last stored by ``snapshot``, with the
time they were computed) and hands them to ``rules``.
Read-only; ``supplier_id`` confines the report to one supplier (a supplier's own scorecard), ``None`` covers
all (staff). Weeks are of the business date (the business zone).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from domain.asn import arrivals as asn_arrivals
from domain.asn.models import AdvanceShippingNotice, AsnDifference, AsnLine
from domain.catalog.models import Sku
from domain.common import business_time
from domain.finance.models import SupplierBill
from domain.health import books, rules, snapshot
from domain.inventory.models import Batch
from domain.partners import rules as partner_rules
from domain.partners.models import Supplier
from domain.purchasing.models import GoodsReceipt, GoodsReceiptLine
from domain.quality.models import QualityCheck

MAX_WEEKS = 26


@dataclass(frozen=True)
class Report:
    since: datetime
    until: datetime
    suppliers: dict[int, tuple[str, str]]  # id -> (code, name)
    weeks: tuple[str, ...]  # oldest first
    values: tuple[rules.MetricValue, ...]
    master: tuple[rules.MetricValue, ...]
    alerts: tuple[rules.MetricValue, ...]
    disagreements: tuple[books.Disagreement, ...]  # the books vs the ledger, within the scope
    ledger_checked_at: datetime  # when that list was computed (``snapshot``; fresh within FRESH_FOR)

    def value(self, supplier_id: int, week: str, key: str) -> rules.MetricValue | None:
        """The value of one supplier, ISO week ("2026-W48") and metric key; None without samples."""
        return self._by_key.get((supplier_id, week, key))

    @cached_property
    def _by_key(self) -> dict[tuple[int, str, str], rules.MetricValue]:
        # a dashboard asks once per supplier, metric and week: an index, not a scan of every value each time
        found: dict[tuple[int, str, str], rules.MetricValue] = {}
        for v in self.values:
            found.setdefault((v.supplier_id, v.week, v.key), v)  # the first, as the scan it replaces
        return found


async def _receipts(
    since: datetime, until: datetime, supplier_id: int | None, gated: set[int]
) -> list[rules.ReceiptFact]:
    query = GoodsReceipt.filter(received_at__gte=since, received_at__lt=until).select_related("order")
    if supplier_id is not None:
        query = query.filter(order__supplier_id=supplier_id)
    receipts = await query
    ids = [r.id for r in receipts]
    lines = await GoodsReceiptLine.filter(receipt_id__in=ids)
    batches = {b.id: b for b in await Batch.filter(id__in={ln.batch_id for ln in lines})}
    skus = {s.id: s for s in await Sku.filter(id__in={b.sku_id for b in batches.values()})}
    asn_created = {a.receipt_id: a.created_at for a in await AdvanceShippingNotice.filter(receipt_id__in=ids)}
    out = []
    for r in receipts:
        own = [ln for ln in lines if ln.receipt_id == r.id]
        dated = [batches[ln.batch_id] for ln in own if skus[batches[ln.batch_id].sku_id].shelf_life_days]
        created = asn_created.get(r.id)
        out.append(
            rules.ReceiptFact(
                r.order.supplier_id,
                r.received_at,
                created is not None and created < r.received_at,
                len(dated),
                sum(1 for b in dated if b.expiry_date is not None and b.lot_code.strip()),
                r.id in gated,
            )
        )
    return out


async def _asns(since: datetime, until: datetime, supplier_id: int | None) -> list[rules.AsnFact]:
    query = AdvanceShippingNotice.filter(received_at__gte=since, received_at__lt=until, status="received")
    if supplier_id is not None:
        query = query.filter(supplier_id=supplier_id)
    asns = await query
    ids = [a.id for a in asns]
    line_counts: dict[int, int] = {}
    for ln in await AsnLine.filter(asn_id__in=ids):
        line_counts[ln.asn_id] = line_counts.get(ln.asn_id, 0) + 1
    differing: dict[int, set[int]] = {}
    for d in await AsnDifference.filter(asn_id__in=ids):
        differing.setdefault(d.asn_id, set()).add(d.asn_line_id or 0)
    return [
        rules.AsnFact(
            a.supplier_id,
            a.created_at,
            a.expected_arrival,
            a.received_at,
            line_counts.get(a.id, 0),
            len(differing.get(a.id, set())),
        )
        for a in asns
        if a.received_at is not None
    ]


async def _checks(since: datetime, until: datetime, supplier_id: int | None) -> list[rules.CheckFact]:
    query = QualityCheck.filter(
        decided_at__gte=since, decided_at__lt=until, origin_doc_type="goods_receipt"
    ).select_related("batch")
    if supplier_id is not None:
        query = query.filter(batch__supplier_id=supplier_id)
    checks = await query
    received = {
        r.id: r.received_at for r in await GoodsReceipt.filter(id__in={c.origin_doc_id for c in checks})
    }
    return [
        rules.CheckFact(c.batch.supplier_id or 0, received[c.origin_doc_id], c.decided_at)
        for c in checks
        if c.decided_at is not None and c.origin_doc_id in received and c.batch.supplier_id is not None
    ]


async def _bills(since: datetime, until: datetime, supplier_id: int | None) -> list[rules.BillFact]:
    query = SupplierBill.filter(
        bill_date__gte=since.astimezone(business_time.zone()).date(),
        bill_date__lt=until.astimezone(business_time.zone()).date(),
        kind="bill",
    )
    if supplier_id is not None:
        query = query.filter(supplier_id=supplier_id)
    return [rules.BillFact(b.supplier_id, b.bill_date, not b.problems.strip()) for b in await query]


async def report(now: datetime, weeks: int = 8, supplier_id: int | None = None) -> Report:
    """The last ``weeks`` ISO weeks up to ``now`` (the current one included)."""
    weeks = max(1, min(weeks, MAX_WEEKS))
    today = now.astimezone(business_time.zone()).date()
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=business_time.zone())
    until = datetime.combine(monday + timedelta(days=7), datetime.min.time(), tzinfo=business_time.zone())
    arrivals = await asn_arrivals.arrival_times(since, until, supplier_id)
    values = rules.weekly(
        await _receipts(since, until, supplier_id, {a.receipt_id for a in arrivals if a.receipt_id}),
        await _asns(since, until, supplier_id),
        await _checks(since, until, supplier_id),
        await _bills(since, until, supplier_id),
        business_time.zone(),
        [rules.ArrivalFact(a.supplier_id, a.arrived_at, a.asn_created_at, a.receipt_at) for a in arrivals],
    )
    supplier_query = Supplier.filter(active=True)
    if supplier_id is not None:
        supplier_query = Supplier.filter(id=supplier_id)
    suppliers = await supplier_query.order_by("code")
    master = rules.master_data(
        rules.SupplierFact(
            s.id, s.gln is not None and partner_rules.gln_problem(s.gln) is None, bool(s.contact.strip())
        )
        for s in suppliers
    )
    # the stored list (computed at most once when missing or stale), not the full check on every view
    checked = await snapshot.current()
    disagreements = [d for d in checked.disagreements if supplier_id is None or d.supplier_id == supplier_id]
    counts: dict[int, int] = {}
    for d in disagreements:
        counts[d.supplier_id] = counts.get(d.supplier_id, 0) + 1
    values += rules.books_ledger(counts, [s.id for s in suppliers], rules.week_of(today))
    return Report(
        since,
        until,
        {s.id: (s.code, s.name) for s in suppliers},
        tuple(rules.week_of(first + timedelta(weeks=i)) for i in range(weeks)),
        tuple(values),
        tuple(master),
        tuple(rules.alerts([*values, *master])),
        tuple(disagreements),
        checked.computed_at,
    )
