# strawberry.mutation(description=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Attestation mutations for integrators. A supplier acts only for its own party (another party is
``NotFound``); opening and submitting are staff's. Signatures arrive made by the parties: the server
checks them and never holds a key. A refused key or signature is the ``SignatureRejected`` member."""

from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api.attestations import inputs
from api.context import Info
from api.nodes import Posted
from domain.attestations import commands
from domain.attestations import errors as attestation_errors
from domain.common.errors import Forbidden, ValidationError
from domain.common.services import Posted as DomainPosted
from domain.partners.rules import Permission as Perm
from domain.partners.services import Principal
from lotline import chainview

SignatureProblem = strawberry.enum(
    attestation_errors.Problem, name="SignatureProblem", description="Why a key or signature was refused."
)


@strawberry.type(description="A key or signature refused: a bad signature, a bad point, a revoked key.")
class SignatureRejected(errors.UserError):
    problem: SignatureProblem  # type: ignore[valid-type]


Result = Posted | SignatureRejected | errors.AnyUserError
PartyRegisterResult = Annotated[Result, strawberry.union("PartyRegisterResult")]
PartyRotateKeyResult = Annotated[Result, strawberry.union("PartyRotateKeyResult")]
PartyRevokeResult = Annotated[Result, strawberry.union("PartyRevokeResult")]
AttestationOpenResult = Annotated[Result, strawberry.union("AttestationOpenResult")]
AttestationSignResult = Annotated[Result, strawberry.union("AttestationSignResult")]
AttestationSubmitResult = Annotated[Result, strawberry.union("AttestationSubmitResult")]


def acting(info: Info) -> tuple[Principal, int | None]:
    """The caller and its supplier scope, if it may act for a party; else the ``Forbidden`` member."""
    principal = auth.principal_of(info)
    if not auth.allowed(principal, Perm.ATTESTATION, supplier_ok=True):
        raise Forbidden(f"the {principal.role.value} role lacks {Perm.ATTESTATION.value}")
    return principal, auth.supplier_scope(info)


async def _run(call: Awaitable[DomainPosted]) -> Result:
    try:
        return Posted.of(await call)
    except attestation_errors.SignatureRejected as exc:
        return SignatureRejected(
            message=exc.message, code=errors.ErrorCode.VALIDATION, path=list(exc.path), problem=exc.problem
        )


@strawberry.type
class AttestationMutation:
    @strawberry.mutation(description="Register a co-signing party's BLS key (with its proof of possession).")
    async def party_register(self, info: Info, input: inputs.PartyRegisterInput) -> PartyRegisterResult:
        async def run() -> Result:
            _, scope = acting(info)
            return await _run(
                commands.register_party(
                    input.name,
                    input.role.value,
                    input.public_key,
                    input.proof_of_possession,
                    datetime.now(UTC),
                    supplier_code=input.supplier_code,
                    name_public=input.name_public,
                    supplier_id=scope,
                    key=auth.client_key(info, input.idempotency_key),
                )
            )

        return await errors.guard(run())

    @strawberry.mutation(description="Rotate a party's key: the new key (with its proof) replaces the old.")
    async def party_rotate_key(self, info: Info, input: inputs.PartyRotateKeyInput) -> PartyRotateKeyResult:
        async def run() -> Result:
            _, scope = acting(info)
            return await _run(
                commands.rotate_party(
                    input.party(),
                    input.public_key,
                    input.proof_of_possession,
                    datetime.now(UTC),
                    supplier_id=scope,
                    key=auth.client_key(info, input.idempotency_key),
                )
            )

        return await errors.guard(run())

    @strawberry.mutation(description="Revoke a party's key.")
    async def party_revoke(self, info: Info, input: inputs.PartyRevokeInput) -> PartyRevokeResult:
        async def run() -> Result:
            _, scope = acting(info)
            return await _run(
                commands.revoke_party(
                    input.party(),
                    datetime.now(UTC),
                    supplier_id=scope,
                    key=auth.client_key(info, input.idempotency_key),
                )
            )

        return await errors.guard(run())

    @strawberry.mutation(description="Open an attestation of a batch's latest confirmed anchored root.")
    async def attestation_open(self, info: Info, input: inputs.AttestationOpenInput) -> AttestationOpenResult:
        async def run() -> Result:
            auth.require(info, Perm.ATTESTATION)
            state = getattr(getattr(info.context.request, "app", None), "state", None)
            try:
                target = await chainview.attestation_target(chainview.settings_of_app(state))
            except chainview.NoAttestationRegistry as exc:
                raise ValidationError(str(exc), ("batchId",)) from None
            return await _run(
                commands.open_attestation(
                    input.batch(),
                    input.claim.value,
                    input.threshold,
                    target.chain_id,
                    target.address,
                    datetime.now(UTC),
                    key=auth.client_key(info, input.idempotency_key),
                )
            )

        return await errors.guard(run())

    @strawberry.mutation(description="Submit a party's signature of an attestation's message.")
    async def attestation_sign(self, info: Info, input: inputs.AttestationSignInput) -> AttestationSignResult:
        async def run() -> Result:
            _, scope = acting(info)
            attestation_id, party_id = input.ids()
            return await _run(
                commands.sign_attestation(
                    attestation_id,
                    party_id,
                    input.signature,
                    datetime.now(UTC),
                    supplier_id=scope,
                    key=auth.client_key(info, input.idempotency_key),
                )
            )

        return await errors.guard(run())

    @strawberry.mutation(
        description="Send the aggregate of the signatures so far on chain (the worker does)."
    )
    async def attestation_submit(
        self, info: Info, input: inputs.AttestationSubmitInput
    ) -> AttestationSubmitResult:
        async def run() -> Result:
            auth.require(info, Perm.ATTESTATION)
            return await _run(
                commands.submit_attestation(
                    input.attestation(), key=auth.client_key(info, input.idempotency_key)
                )
            )

        return await errors.guard(run())
