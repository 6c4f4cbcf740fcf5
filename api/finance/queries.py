# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Finance queries: the chart, the journal, documents and reports (all need finance_read)."""

import base64
import re
from datetime import UTC, date, datetime

import strawberry

from api import auth, enums
from api import relay as rl
from api.context import Info
from api.enums import AgeingBasis, ExportFormat, FinanceReport, PartnerKind
from api.finance import report_types as rt
from api.finance import types as t
from domain.common import business_time
from domain.common.errors import ValidationError
from domain.finance import due_dates, export, models, reports
from domain.partners.rules import Permission as Perm

READ = [auth.needs(Perm.FINANCE_READ)]
FILE_NAMES = {FinanceReport.TRIAL_BALANCE: "trialBalance", FinanceReport.AGEING: "ageing"}
_PERIOD = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


@strawberry.type
class FinanceQuery:
    @strawberry.field(permission_classes=READ)
    async def accounts(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> rl.Connection[t.Account]:
        return await rl.paginate(models.Account.all(), first, after, t.Account.from_row)

    @strawberry.field(permission_classes=READ)
    async def journal_entries(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        period: str | None = None,
        doc_type: enums.DocumentType | None = None,
        doc_id: int | None = None,
    ) -> rl.Connection[t.JournalEntry]:
        query = models.JournalEntry.all()
        if period is not None:
            if not _PERIOD.fullmatch(period):
                raise ValidationError(f"period {period!r} is not a month written YYYY-MM", ("period",))
            query = query.filter(period=period)
        if doc_type is not None:
            query = query.filter(doc_type=doc_type.value)
        if doc_id is not None:
            query = query.filter(doc_id=doc_id)
        return await rl.paginate(query, first, after, t.JournalEntry.from_row)

    @strawberry.field(permission_classes=READ)
    async def supplier_bills(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        status: enums.SupplierBillStatus | None = None,
    ) -> rl.Connection[t.SupplierBill]:
        query = models.SupplierBill.all()
        if status is not None:
            query = query.filter(status=status.value)
        return await rl.paginate(query, first, after, t.SupplierBill.from_row)

    @strawberry.field(permission_classes=READ)
    async def customer_invoices(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> rl.Connection[t.CustomerInvoice]:
        return await rl.paginate(models.CustomerInvoice.all(), first, after, t.CustomerInvoice.from_row)

    @strawberry.field(permission_classes=READ)
    async def payments(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> rl.Connection[t.Payment]:
        return await rl.paginate(models.Payment.all(), first, after, t.Payment.from_row)

    @strawberry.field(permission_classes=READ)
    async def trial_balance(self, info: Info, start: date, end: date) -> list[rt.TrialBalanceRow]:
        return [rt.TrialBalanceRow.of(r) for r in await reports.trial_balance(start, end)]

    @strawberry.field(permission_classes=READ)
    async def general_ledger(self, info: Info, account_code: str, start: date, end: date) -> rt.Ledger:
        return rt.Ledger.of(await reports.general_ledger(account_code, start, end))

    @strawberry.field(permission_classes=READ)
    async def partner_statement(
        self, info: Info, kind: PartnerKind, partner_code: str, start: date, end: date
    ) -> rt.Ledger:
        return rt.Ledger.of(await reports.partner_statement(kind.value, partner_code, start, end))

    @strawberry.field(
        permission_classes=READ, description="kind: supplier (payables) or customer (receivables)."
    )
    async def ageing(
        self,
        info: Info,
        kind: PartnerKind,
        as_of: date | None = None,
        basis: AgeingBasis = AgeingBasis.DOCUMENT_DATE,
    ) -> list[rt.AgeingRow]:
        day = as_of or business_time.business_today(datetime.now(UTC))  # null: today, in the business zone
        if basis is AgeingBasis.DUE_DATE:
            return [rt.AgeingRow.by_due(r) for r in await due_dates.ageing_by_due_date(kind.value, day)]
        return [rt.AgeingRow.of(r) for r in await reports.ageing(kind.value, day)]

    @strawberry.field(permission_classes=READ)
    async def inventory_valuation(
        self, info: Info, warehouse_code: str | None = None
    ) -> list[rt.ValuationRow]:
        return [rt.ValuationRow(**r.__dict__) for r in await reports.inventory_valuation(warehouse_code)]

    @strawberry.field(
        permission_classes=READ, description="Books against sub-ledgers: stock, GRNI, bills, invoices."
    )
    async def reconciliation(self, info: Info) -> list[rt.Reconciliation]:
        return [rt.Reconciliation.of(r) for r in await reports.reconciliation()]

    @strawberry.field(permission_classes=READ, description="trialBalance or ageing as CSV or XLSX.")
    async def finance_export(
        self,
        info: Info,
        report: FinanceReport,
        format: ExportFormat,
        start: date,
        end: date,
        kind: PartnerKind = PartnerKind.CUSTOMER,
    ) -> rt.Export:
        if report is FinanceReport.TRIAL_BALANCE:
            rows: list[object] = list(await reports.trial_balance(start, end))
        else:
            rows = list(await reports.ageing(kind.value, end))
        if format is ExportFormat.CSV:
            data, ctype = export.to_csv(rows).encode(), "text/csv; charset=utf-8"
        else:
            data = export.to_xlsx(rows, FILE_NAMES[report])
            ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return rt.Export(
            filename=f"{FILE_NAMES[report]}-{end}.{format.value}",
            content_type=ctype,
            base64=base64.b64encode(data).decode(),
        )
