"""The attestation use cases as integrators call them: one transaction each, idempotent by client key,
scoped to the caller (a supplier acts only for its own parties), each returning the ``Posted`` row.

``supplier_id`` is the caller's supplier scope (``None`` for staff). A party out of scope is ``NotFound``, so
its existence does not leak. Signatures are made by the parties (browser, HSM); nothing here holds a key.
"""

from datetime import datetime

from domain.attestations import services
from domain.common.errors import Forbidden, NotFound
from domain.common.services import Posted, document_number, posting
from domain.partners.models import Supplier

PARTY = "attestation_party"
ATTESTATION = "attestation"


def _party(party_id: int, replayed: bool = False) -> Posted:
    return Posted(PARTY, party_id, document_number("PTY", party_id), replayed)


def _attestation(attestation_id: int) -> Posted:
    return Posted(ATTESTATION, attestation_id, document_number("ATT", attestation_id))


async def _supplier_of(code: str | None, scope: int | None, role: str) -> int | None:
    if scope is not None:  # a supplier registers itself, as a supplier party, whatever it names
        if role != "supplier":
            raise Forbidden("a supplier registers only its own supplier party")
        return scope
    if code is None:
        return None
    supplier = await Supplier.get_or_none(code=code)
    if supplier is None:
        raise NotFound("supplier", code, ("supplierCode",))
    return supplier.id


async def register_party(
    name: str,
    role: str,
    public_key: str,
    proof_of_possession: str,
    now: datetime,
    *,
    supplier_code: str | None = None,
    name_public: bool = True,
    supplier_id: int | None = None,
    key: str | None = None,
) -> Posted:
    """``services.party_register`` for the caller; a supplier's party is bound to its own supplier."""

    async def body() -> Posted:
        owner = await _supplier_of(supplier_code, supplier_id, role)
        party = await services.party_register(
            name, role, public_key, proof_of_possession, now, supplier_id=owner, name_public=name_public
        )
        return _party(party.id)

    return await posting("attestation_party_register", key, body)


async def rotate_party(
    party_id: int,
    public_key: str,
    proof_of_possession: str,
    now: datetime,
    *,
    supplier_id: int | None = None,
    key: str | None = None,
) -> Posted:
    """A new key for a party in scope; the result is the new party row (the old one is revoked)."""

    async def body() -> Posted:
        new = await services.party_rotate(
            party_id, public_key, proof_of_possession, now, supplier_id=supplier_id
        )
        return _party(new.id)

    return await posting("attestation_party_rotate", key, body)


async def revoke_party(
    party_id: int, now: datetime, *, supplier_id: int | None = None, key: str | None = None
) -> Posted:
    """Revokes a party's key in scope (a compromised key, a party that left)."""

    async def body() -> Posted:
        party = await services.party_revoke(party_id, now, supplier_id=supplier_id)
        return _party(party.id)

    return await posting("attestation_party_revoke", key, body)


async def open_attestation(
    batch_id: int,
    claim: str,
    threshold: int,
    chain_id: int,
    registry: str,
    now: datetime,
    *,
    key: str | None = None,
) -> Posted:
    """An attestation of the batch's latest anchored root, on the registry ``registry`` of ``chain_id``."""

    async def body() -> Posted:
        att = await services.attestation_open(batch_id, claim, chain_id, registry, now, threshold=threshold)
        return _attestation(att.id)

    return await posting("attestation_open", key, body)


async def sign_attestation(
    attestation_id: int,
    party_id: int,
    signature: str,
    now: datetime,
    *,
    supplier_id: int | None = None,
    key: str | None = None,
) -> Posted:
    """A party's signature, submitted by the party (checked before it is kept)."""

    async def body() -> Posted:
        await services.attestation_sign(attestation_id, party_id, signature, now, supplier_id=supplier_id)
        return _attestation(attestation_id)

    return await posting("attestation_sign", key, body)


async def submit_attestation(attestation_id: int, *, key: str | None = None) -> Posted:
    """Queues the aggregate for the chain now (before the threshold); a no-op once queued or recorded."""

    async def body() -> Posted:
        await services.attestation_submit(attestation_id)
        return _attestation(attestation_id)

    return await posting("attestation_submit", key, body)
