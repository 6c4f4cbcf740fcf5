"""Saved reports: definitions (CRUD), run with parameters, export as CSV, XLSX or an SVG chart."""
# mypy: disable-error-code="untyped-decorator"

import base64
from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api import relay as rl
from api.context import Info
from domain.common import business_time
from domain.common.errors import Forbidden, ValidationError
from domain.partners.rules import Permission
from domain.reports import rules, services


@strawberry.input
class ReportFilterInput:
    field: str
    op: str = strawberry.field(description="eq ne lt le gt ge in contains within_days")
    values: list[str]


@strawberry.input
class ReportSpecInput:
    fact: str = strawberry.field(description="stock, expiry, moves, purchases, sales or journal")
    dimensions: list[str] = strawberry.field(default_factory=list)
    measures: list[str] = strawberry.field(default_factory=list)
    filters: list[ReportFilterInput] = strawberry.field(default_factory=list)
    sort: str | None = None
    descending: bool = False
    limit: int = 1000

    def to_domain(self) -> rules.ReportSpec:
        return rules.spec_of(
            {
                "fact": self.fact,
                "dimensions": self.dimensions[: rules.MAX_ITEMS + 1],
                "measures": self.measures[: rules.MAX_ITEMS + 1],
                "filters": [{"field": f.field, "op": f.op, "values": f.values} for f in self.filters[:50]],
                "sort": self.sort,
                "descending": self.descending,
                "limit": self.limit,
            }
        )


@strawberry.input
class SavedReportCreateInput:
    name: str
    spec: ReportSpecInput
    shared_roles: list[str] = strawberry.field(default_factory=list, description="Roles that may run it.")


@strawberry.input
class SavedReportUpdateInput(SavedReportCreateInput):
    report_id: strawberry.ID


@strawberry.input
class SavedReportDeleteInput:
    report_id: strawberry.ID


@strawberry.type
class ReportFilter:
    field: str
    op: str
    values: list[str]


@strawberry.type(description="A saved report (报表): a spec over a curated fact, shared by role.")
class SavedReport:
    id: strawberry.ID
    name: str
    fact: str
    dimensions: list[str]
    measures: list[str]
    filters: list[ReportFilter]
    shared_roles: list[str]

    @classmethod
    def of(cls, v: services.ReportView) -> "SavedReport":
        return cls(
            id=strawberry.ID(rl.encode_id("SavedReport", v.id)),
            name=v.name,
            fact=v.spec.fact,
            dimensions=list(v.spec.dimensions),
            measures=list(v.spec.measures),
            filters=[
                ReportFilter(field=f.field, op=f.op.value, values=list(f.values)) for f in v.spec.filters
            ],
            shared_roles=list(v.shared_roles),
        )


@strawberry.type
class ReportRows:
    columns: list[str]
    rows: list[list[str | None]] = strawberry.field(description="Decimals and dates as exact text.")


@strawberry.type
class ReportFile:
    filename: str
    content_type: str
    content: str = strawberry.field(description="Text (CSV, SVG) or base64 (XLSX).")


SavedReportResult = Annotated[SavedReport | errors.AnyUserError, strawberry.union("SavedReportResult")]
FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "svg": "image/svg+xml",
}


def _caller(info: Info, spec: rules.ReportSpec | None = None) -> services.Caller:
    """The caller, allowed to read the spec's fact (a supplier only facts with a supplier column)."""
    principal = auth.principal_of(info)
    if spec is not None:
        fact = rules.fact_of(spec)
        if not auth.allowed(
            principal, Permission(fact.permission), supplier_ok=fact.supplier_column is not None
        ):
            raise Forbidden(
                f"the {principal.role.value} role may not run reports over {fact.name}", ("fact",)
            )
    return services.Caller(principal.user_id, principal.role.value, auth.supplier_scope(info))


def _report_id(value: strawberry.ID) -> int:
    return rl.decode_id(value, "SavedReport", ("reportId",))


async def _spec(
    info: Info,
    report_id: strawberry.ID | None,
    spec: ReportSpecInput | None,
    filters: list[ReportFilterInput],
) -> tuple[str, rules.ReportSpec]:
    if (report_id is None) == (spec is None):
        raise ValidationError("give either reportId or spec", ("reportId",))
    if spec is not None:
        base, name = spec.to_domain(), "report"
    else:
        assert report_id is not None
        view = await services.report_get(_report_id(report_id), _caller(info))
        base, name = view.spec, view.name
    extra = ReportSpecInput(fact=base.fact, filters=filters).to_domain().filters
    return name, rules.ReportSpec(
        base.fact,
        base.dimensions,
        base.measures,
        (*base.filters, *extra),
        base.sort,
        base.descending,
        base.limit,
    )


@strawberry.type
class ReportQuery:
    @strawberry.field(description="Saved reports I own or that are shared with my role.")
    async def saved_reports(self, info: Info) -> list[SavedReport]:
        return [SavedReport.of(v) for v in await services.reports_visible(_caller(info))]

    @strawberry.field(description="Runs a saved report (plus filters as parameters) or an unsaved spec.")
    async def report_run(
        self,
        info: Info,
        report_id: strawberry.ID | None = None,
        spec: ReportSpecInput | None = None,
        filters: list[ReportFilterInput] | None = None,
    ) -> ReportRows:
        _, full = await _spec(info, report_id, spec, filters or [])
        result = await services.report_run(
            full, _caller(info, full), business_time.business_today(datetime.now(UTC))
        )
        return ReportRows(columns=list(result.columns), rows=result.rows)

    @strawberry.field(description="A report's rows as a file: csv, xlsx (base64) or svg (bar chart).")
    async def report_export(
        self,
        info: Info,
        format: str,
        report_id: strawberry.ID | None = None,
        spec: ReportSpecInput | None = None,
        filters: list[ReportFilterInput] | None = None,
    ) -> ReportFile:
        if format not in FORMATS:
            raise ValidationError("format is csv, xlsx or svg", ("format",))
        name, full = await _spec(info, report_id, spec, filters or [])
        result = await services.report_run(
            full, _caller(info, full), business_time.business_today(datetime.now(UTC))
        )
        content = services.report_export(name, result, format)
        text = base64.b64encode(content).decode() if isinstance(content, bytes) else content
        return ReportFile(filename=f"report.{format}", content_type=FORMATS[format], content=text)


@strawberry.type
class ReportMutation:
    @strawberry.mutation(description="Saves a report over a fact I may read.")
    async def saved_report_create(self, info: Info, input: SavedReportCreateInput) -> SavedReportResult:
        async def run() -> SavedReport:
            spec = input.spec.to_domain()
            caller = _staff(info, spec)
            view = await services.report_create(
                caller, input.name, spec, tuple(input.shared_roles[:20]), datetime.now(UTC)
            )
            return SavedReport.of(view)

        return await errors.guard(run())

    @strawberry.mutation(description="Replaces a report I own (or any, as admin).")
    async def saved_report_update(self, info: Info, input: SavedReportUpdateInput) -> SavedReportResult:
        async def run() -> SavedReport:
            spec = input.spec.to_domain()
            caller = _staff(info, spec)
            view = await services.report_update(
                _report_id(input.report_id),
                caller,
                input.name,
                spec,
                tuple(input.shared_roles[:20]),
                datetime.now(UTC),
            )
            return SavedReport.of(view)

        return await errors.guard(run())

    @strawberry.mutation(description="Deletes a report I own (or any, as admin).")
    async def saved_report_delete(self, info: Info, input: SavedReportDeleteInput) -> SavedReportResult:
        async def run() -> SavedReport:
            caller = _staff(info, None)
            report_id = _report_id(input.report_id)
            view = await services.report_get(report_id, caller)
            await services.report_delete(report_id, caller)
            return SavedReport.of(view)

        return await errors.guard(run())


def _staff(info: Info, spec: rules.ReportSpec | None) -> services.Caller:
    caller = _caller(info, spec)
    if caller.supplier_id is not None:
        raise Forbidden("suppliers run shared reports; they do not define them")
    return caller
