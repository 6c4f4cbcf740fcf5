# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""``dataHealth``: completeness, timeliness and consistency per supplier and ISO week, with thresholds and
alerts. Staff see every supplier (or one by ``supplierId``); a supplier user sees its own scorecard, and
another supplier's ID is ``NOT_FOUND``."""

from datetime import UTC, datetime
from decimal import Decimal

import strawberry

from api import auth
from api import relay as rl
from api.context import Info
from domain.common.errors import NotFound
from domain.health import alerts, books, models, rules, services
from domain.partners.rules import Permission as Perm

READ = [auth.needs(Perm.PURCHASING_READ, supplier_ok=True)]


@strawberry.type(description="A data-health metric: what it measures and its threshold.")
class HealthMetric:
    key: str
    kind: str = strawberry.field(description="completeness | timeliness | consistency")
    label_zh: str
    label_en: str
    unit: str = strawberry.field(description='"%" (0-100) or "h" (hours)')
    threshold: Decimal
    higher_is_better: bool

    @classmethod
    def of(cls, m: rules.Metric) -> "HealthMetric":
        return cls(
            key=m.key,
            kind=m.kind.value,
            label_zh=m.label_zh,
            label_en=m.label_en,
            unit=m.unit,
            threshold=m.threshold,
            higher_is_better=m.higher_is_better,
        )


@strawberry.type(description="One metric of one supplier in one week (master data: week is empty).")
class HealthValue:
    supplier_id: strawberry.ID
    supplier_code: str
    week: str
    key: str
    value: Decimal | None = strawberry.field(description="null: no sample that week")
    samples: int
    threshold: Decimal
    breached: bool

    @classmethod
    def of(cls, v: rules.MetricValue, suppliers: dict[int, tuple[str, str]]) -> "HealthValue":
        return cls(
            supplier_id=strawberry.ID(rl.encode_id("Supplier", v.supplier_id)),
            supplier_code=suppliers.get(v.supplier_id, ("", ""))[0],
            week=v.week,
            key=v.key,
            value=v.value,
            samples=v.samples,
            threshold=v.threshold,
            breached=v.breached,
        )


@strawberry.type(description="One disagreement of the books with the ledger, as `lotline check` prints it.")
class LedgerDisagreement:
    source: str = strawberry.field(description="stock | decimals | grni_documents | reconciliation")
    what: str
    text: str = strawberry.field(description="Exactly the line `lotline check` prints.")
    supplier_id: strawberry.ID | None = strawberry.field(description="null: not one supplier's")

    @classmethod
    def of(cls, d: books.Disagreement) -> "LedgerDisagreement":
        sid = strawberry.ID(rl.encode_id("Supplier", d.supplier_id)) if d.supplier_id else None
        return cls(source=d.source, what=d.what, text=d.text, supplier_id=sid)


@strawberry.type(description="A stored data-health alert: raised once per supplier, week and metric.")
class HealthAlert:
    id: strawberry.ID
    supplier_id: strawberry.ID | None = strawberry.field(description="null: not one supplier's")
    week: str
    key: str
    value: Decimal | None
    threshold: Decimal
    samples: int
    raised_at: datetime
    notified_at: datetime | None = strawberry.field(description="null: the notification is pending")

    @classmethod
    def from_row(cls, r: models.HealthAlert) -> "HealthAlert":
        a = alerts.stored(r)
        return cls(
            id=strawberry.ID(rl.encode_id("HealthAlert", a.id)),
            supplier_id=strawberry.ID(rl.encode_id("Supplier", a.supplier_id)) if a.supplier_id else None,
            week=a.week,
            key=a.metric,
            value=a.value,
            threshold=a.threshold,
            samples=a.samples,
            raised_at=a.raised_at,
            notified_at=a.notified_at,
        )


@strawberry.type(description="数据健康度: the report of a window of ISO weeks (business dates).")
class DataHealthReport:
    since: datetime
    until: datetime
    weeks: list[str]
    metrics: list[HealthMetric]
    values: list[HealthValue]
    master_data: list[HealthValue]
    alerts: list[HealthValue] = strawberry.field(
        description="Values past their threshold, latest week first."
    )
    ledger_disagreements: list[LedgerDisagreement] = strawberry.field(
        description="The books against the ledger as last checked (`lotline check`, the hourly scan or "
        "`dataHealthRefresh`); a supplier sees its own only."
    )
    ledger_checked_at: datetime = strawberry.field(
        description="When `ledgerDisagreements` was computed (read from the stored check while recent)."
    )


@strawberry.type
class HealthQuery:
    @strawberry.field(permission_classes=READ)
    async def data_health(
        self, info: Info, weeks: int = 8, supplier_id: strawberry.ID | None = None
    ) -> DataHealthReport:
        wanted = rl.maybe_id(supplier_id, "Supplier", ("supplierId",))
        scope = auth.supplier_scope(info)
        if scope is not None and wanted is not None and wanted != scope:
            raise NotFound("supplier", supplier_id, ("supplierId",))
        report = await services.report(datetime.now(UTC), weeks, scope if scope is not None else wanted)
        names = report.suppliers
        return DataHealthReport(
            since=report.since,
            until=report.until,
            weeks=list(report.weeks),
            metrics=[HealthMetric.of(m) for m in (*rules.METRICS, rules.MASTER_DATA)],
            values=[HealthValue.of(v, names) for v in report.values],
            master_data=[HealthValue.of(v, names) for v in report.master],
            alerts=[HealthValue.of(v, names) for v in report.alerts],
            ledger_disagreements=[LedgerDisagreement.of(d) for d in report.disagreements],
            ledger_checked_at=report.ledger_checked_at,
        )

    @strawberry.field(
        permission_classes=READ,
        description="Stored alerts, oldest first (staff: all; a supplier: its own).",
    )
    async def health_alerts(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        supplier_id: strawberry.ID | None = None,
    ) -> rl.Connection[HealthAlert]:
        wanted = rl.maybe_id(supplier_id, "Supplier", ("supplierId",))
        scope = auth.supplier_scope(info)
        if scope is not None and wanted is not None and wanted != scope:
            raise NotFound("supplier", supplier_id, ("supplierId",))
        query = models.HealthAlert.all()
        if (only := scope if scope is not None else wanted) is not None:
            query = query.filter(supplier_id=only)
        return await rl.paginate(query, first, after, HealthAlert.from_row)
