"""What was recorded about a batch's co-signatures, as proofs an auditor or a page can check: the message's
fields, the parties' keys, the aggregate sent and its transaction (``chain.attestation_proof``). The page
says "co-signed by …" only after checking these (off chain, and on chain when it can): never a stored flag.
"""

from chain.attestation_proof import AttestationProof, Signer
from domain.attestations.models import Attestation, Party
from domain.common.errors import NotFound


def _proof(att: Attestation, parties: dict[int, Party], public: bool) -> AttestationProof:
    signers = []
    for pid in att.signer_party_ids:
        p = parties[pid]
        name = p.name if p.name_public or not public else None
        signers.append(Signer(p.role, name, bytes.fromhex(p.public_key), bytes.fromhex(p.key_id[2:])))
    return AttestationProof(
        att.chain_id,
        att.registry,
        att.batch_id.to_bytes(32, "big"),
        bytes.fromhex(att.root[2:]),
        att.claim,
        att.time,
        bytes.fromhex(att.message),
        signers,
        bytes.fromhex(att.aggregate),
        att.tx_hash or "",
        att.block_number or 0,
    )


async def recorded_proofs(batch_id: int, *, public: bool = True) -> list[AttestationProof]:
    """The batch's recorded attestations as proofs, oldest first. ``public``: a party that keeps its name off
    public pages appears by role only (``name`` None)."""
    atts = await Attestation.filter(batch_id=batch_id, status="recorded").order_by("id")
    ids = {pid for a in atts for pid in a.signer_party_ids}
    parties = {p.id: p for p in await Party.filter(id__in=list(ids))}
    return [_proof(a, parties, public) for a in atts]


async def proof_of(attestation_id: int) -> AttestationProof:
    """One recorded attestation's proof (names as the parties allow). ``NotFound`` if not recorded."""
    att = await Attestation.get_or_none(id=attestation_id, status="recorded")
    if att is None:
        raise NotFound("recorded attestation", attestation_id, ("attestationId",))
    parties = {p.id: p for p in await Party.filter(id__in=att.signer_party_ids)}
    return _proof(att, parties, True)
