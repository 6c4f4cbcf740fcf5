# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Partner field mappings (字段映射): suppliers' mappings are the buyers', customers' the sales staff's."""

import json
from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from api import auth, errors
from api.context import Info
from api.enums import MappingTarget, PartnerKind
from api.nodes import Posted
from domain.common.errors import ValidationError
from domain.mappings import services as mappings
from domain.partners.rules import Permission as Perm

WRITE = {PartnerKind.SUPPLIER: Perm.PURCHASING_WRITE, PartnerKind.CUSTOMER: Perm.SALES_WRITE}
READ = {PartnerKind.SUPPLIER: Perm.PURCHASING_READ, PartnerKind.CUSTOMER: Perm.SALES_READ}


def _payload(value: JSON, path: str = "payload") -> Any:
    if len(json.dumps(value, default=str)) > mappings.MAX_PAYLOAD_CHARS:
        raise ValidationError(
            f"{path} has more than {mappings.MAX_PAYLOAD_CHARS} characters of JSON", (path,)
        )
    return value


@strawberry.type(description="One saved version of a partner's mapping.")
class PartnerMapping:
    partner_kind: PartnerKind
    partner_code: str
    target: MappingTarget
    version: int
    spec: JSON
    note: str
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, m: mappings.MappingView) -> "PartnerMapping":
        return cls(
            partner_kind=PartnerKind(m.partner_kind),
            partner_code=m.partner_code,
            target=MappingTarget(m.target),
            version=m.version,
            spec=JSON(m.spec),
            note=m.note,
            created_by=m.created_by,
            created_at=m.created_at,
        )


@strawberry.type
class MappingProblem:
    path: list[str]
    message: str


@strawberry.type(description="What a mapping makes of a payload, and every field's problem (none: ready).")
class MappingDryRun:
    version: int
    values: JSON
    lines: JSON
    problems: list[MappingProblem]

    @classmethod
    def of(cls, run: mappings.DryRun) -> "MappingDryRun":
        m = run.mapped
        return cls(
            version=run.mapping.version,
            values=JSON(m.values),
            lines=JSON(m.lines),
            problems=[MappingProblem(path=list(p.path), message=p.message) for p in m.problems],
        )


@strawberry.type(description="The dry run, and the document made from it when it had no problem.")
class MappingApplied:
    dry_run: MappingDryRun
    posted: Posted | None


@strawberry.input
class PartnerMappingSaveInput:
    partner_kind: PartnerKind
    partner_code: str
    spec: JSON = strawberry.field(description="See domain/mappings/rules.py: target, fields, lines, tables.")
    note: str = ""
    idempotency_key: str | None = None


@strawberry.input
class PartnerMappingApplyInput:
    partner_kind: PartnerKind
    partner_code: str
    target: MappingTarget
    payload: JSON
    version: int | None = strawberry.field(default=None, description="Null: the latest version.")
    idempotency_key: str | None = None


PartnerMappingSaveResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("PartnerMappingSaveResult")
]
PartnerMappingApplyResult = Annotated[
    MappingApplied | errors.AnyUserError, strawberry.union("PartnerMappingApplyResult")
]


@strawberry.type
class MappingsQuery:
    @strawberry.field(description="A partner's mapping versions, latest first per target.")
    async def partner_mappings(
        self, info: Info, partner_kind: PartnerKind, partner_code: str | None = None
    ) -> list[PartnerMapping]:
        auth.check(info, READ[partner_kind])
        return [PartnerMapping.of(m) for m in await mappings.mappings(partner_kind.value, partner_code)]

    @strawberry.field(description="Maps a partner's payload without writing anything (试运行).")
    async def partner_mapping_dry_run(
        self,
        info: Info,
        partner_kind: PartnerKind,
        partner_code: str,
        target: MappingTarget,
        payload: JSON,
        version: int | None = None,
    ) -> MappingDryRun:
        auth.check(info, READ[partner_kind])
        run = await mappings.dry_run(
            partner_kind.value, partner_code, target.value, _payload(payload), version
        )
        return MappingDryRun.of(run)


@strawberry.type
class MappingsMutation:
    @strawberry.mutation(description="Saves a mapping as the partner's next version for its target.")
    async def partner_mapping_save(
        self, info: Info, input: PartnerMappingSaveInput
    ) -> PartnerMappingSaveResult:
        async def run() -> Posted:
            principal = auth.require(info, WRITE[input.partner_kind])
            if not isinstance(input.spec, dict):
                raise ValidationError("spec is a JSON object", ("spec",))
            posted = await mappings.mapping_save(
                input.partner_kind.value,
                input.partner_code,
                _payload(input.spec, "spec"),
                input.note,
                principal.username,
                auth.client_key(info, input.idempotency_key),
            )
            return Posted.of(posted)

        return await errors.guard(run())

    @strawberry.mutation(description="Maps a payload and, when every field maps, creates the document.")
    async def partner_mapping_apply(
        self, info: Info, input: PartnerMappingApplyInput
    ) -> PartnerMappingApplyResult:
        async def run() -> MappingApplied:
            principal = auth.require(info, WRITE[input.partner_kind])
            if input.target is MappingTarget.ASN:
                auth.require(info, Perm.SUPPLIER_COLLABORATION)
            run, posted = await mappings.apply(
                input.partner_kind.value,
                input.partner_code,
                input.target.value,
                _payload(input.payload),
                datetime.now(UTC),
                supplier_scope=None,
                by_user_id=principal.user_id,
                version=input.version,
                key=auth.client_key(info, input.idempotency_key),
            )
            return MappingApplied(dry_run=MappingDryRun.of(run), posted=Posted.of(posted) if posted else None)

        return await errors.guard(run())
