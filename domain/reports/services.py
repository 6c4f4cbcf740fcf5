"""Saved reports: define, share by role, run (scoped), export. Specs are data; ``rules`` compiles the SQL."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.common.dialect import is_postgres
from domain.common.errors import NotFound, ValidationError
from domain.customfields.models import CustomFieldDefinition
from domain.partners import rules as partner_rules
from domain.reports import custom, export, rules
from domain.reports.models import SavedReport


@dataclass(frozen=True)
class Caller:
    user_id: int
    role: str
    supplier_id: int | None  # set: a supplier user, confined to its own rows


@dataclass(frozen=True)
class ReportView:
    id: int
    name: str
    spec: rules.ReportSpec
    shared_roles: tuple[str, ...]
    owner_id: int


@dataclass(frozen=True)
class ReportResult:
    columns: tuple[str, ...]
    rows: list[list[str | None]]  # decimals and dates as text, exactly as stored
    measure_count: int


def _view(row: SavedReport) -> ReportView:
    return ReportView(row.id, row.name, rules.spec_of(row.spec), tuple(row.shared_roles), row.owner_id)


async def custom_definitions() -> custom.Definitions:
    """The active custom fields, record type -> key -> kind, that report specs may name."""
    found: custom.Definitions = {}
    rows = await CustomFieldDefinition.filter(active=True).values_list("entity", "key", "kind")
    for entity, key, kind in rows:
        found.setdefault(str(entity), {})[str(key)] = str(kind)
    return found


def _check(
    name: str, spec: rules.ReportSpec, shared_roles: tuple[str, ...], defs: custom.Definitions
) -> None:
    if not name.strip() or len(name) > 120:
        raise ValidationError("a report's name is 1 to 120 characters", ("name",))
    rules.check_spec(spec, defs)
    known = {r.value for r in partner_rules.Role}
    for i, role in enumerate(shared_roles):
        if role not in known:
            raise ValidationError(f"unknown role {role!r}", ("sharedRoles", str(i)))


def _may_see(row: SavedReport, caller: Caller) -> bool:
    return row.owner_id == caller.user_id or caller.role in row.shared_roles or caller.role == "admin"


async def report_create(
    caller: Caller, name: str, spec: rules.ReportSpec, shared_roles: tuple[str, ...], now: datetime
) -> ReportView:
    """Saves a report owned by the caller and shared with ``shared_roles``."""
    _check(name, spec, shared_roles, await custom_definitions())
    row = await SavedReport.create(
        name=name.strip(),
        spec=rules.spec_json(spec),
        shared_roles=list(shared_roles),
        owner_id=caller.user_id,
        created_at=now,
        updated_at=now,
    )
    return _view(row)


async def _owned(report_id: int, caller: Caller) -> SavedReport:
    row = await SavedReport.get_or_none(id=report_id)
    if row is None or not _may_see(row, caller):
        raise NotFound("report", report_id, ("reportId",))
    if row.owner_id != caller.user_id and caller.role != "admin":
        raise NotFound("report", report_id, ("reportId",))  # shared to read, not to change
    return row


async def report_update(
    report_id: int,
    caller: Caller,
    name: str,
    spec: rules.ReportSpec,
    shared_roles: tuple[str, ...],
    now: datetime,
) -> ReportView:
    """Replaces a report (its owner or an admin); ``NotFound`` for anyone else."""
    _check(name, spec, shared_roles, await custom_definitions())
    row = await _owned(report_id, caller)
    row.name, row.spec, row.shared_roles, row.updated_at = (
        name.strip(),
        rules.spec_json(spec),
        list(shared_roles),
        now,
    )
    await row.save()
    return _view(row)


async def report_delete(report_id: int, caller: Caller) -> int:
    row = await _owned(report_id, caller)
    await row.delete()
    return report_id


async def reports_visible(caller: Caller) -> list[ReportView]:
    """Reports the caller owns or that are shared with its role (all for an admin), oldest first."""
    rows = await SavedReport.all().order_by("id").limit(1000)
    return [_view(r) for r in rows if _may_see(r, caller)]


async def report_get(report_id: int, caller: Caller) -> ReportView:
    row = await SavedReport.get_or_none(id=report_id)
    if row is None or not _may_see(row, caller):
        raise NotFound("report", report_id, ("reportId",))
    return _view(row)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        # Normalised, so PostgreSQL's numeric(…, 4) sums read as SQLite's: "2.5", not "2.5000".
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


async def report_run(spec: rules.ReportSpec, caller: Caller, today: date) -> ReportResult:
    """Runs a spec: compiled SQL with bind parameters, confined to the caller's supplier when it is one.
    ``today``: the business date (``business_time``), for ``within_days`` filters."""
    defs = await custom_definitions()
    query = rules.compile_report(spec, today, is_postgres(), caller.supplier_id, defs)
    rows = await SavedReport._meta.db.execute_query_dict(query.sql, query.params)
    aliases = [f"d{i}" for i in range(len(spec.dimensions))] + [f"m{i}" for i in range(len(spec.measures))]
    return ReportResult(query.columns, [[_text(r[a]) for a in aliases] for r in rows], query.measure_count)


def report_export(name: str, result: ReportResult, fmt: str) -> str | bytes:
    """``csv`` (text), ``xlsx`` (bytes) or ``svg`` (text, a bar chart of the first measure)."""
    if fmt == "csv":
        return export.to_csv(result.columns, result.rows)
    if fmt == "xlsx":
        return export.to_xlsx(name, result.columns, result.rows, result.measure_count)
    if fmt == "svg":
        return export.to_svg(result.columns, result.rows, result.measure_count)
    raise ValidationError("format is csv, xlsx or svg", ("format",))
