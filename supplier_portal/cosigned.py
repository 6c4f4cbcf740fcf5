""" "共同签署 co-signed by …" on the public provenance page, computed from the proofs each time the page is
built: an attestation is shown only if its aggregate verifies off chain, and (when the chain answers) its
``Attested`` event on chain matches. Nothing here trusts a stored "recorded" flag on its own.

Off-chain verdicts of a proof are remembered (the proof is immutable and py-ecc takes about a second per
aggregate on a loaded machine); the chain is asked again at every build.
"""

import asyncio
import logging
from dataclasses import dataclass

from chain.attestation_check import verify_on_chain
from chain.attestation_proof import AttestationProof, verify_off_chain
from domain.attestations import evidence
from domain.provenance import facts

log = logging.getLogger(__name__)

ROLES: dict[str, tuple[str, str]] = {
    "supplier": ("供应商", "supplier"),
    "inspector": ("检验方", "inspector"),
    "carrier": ("承运商", "carrier"),
}
CLAIMS: dict[str, tuple[str, str]] = {
    "origin": ("产地", "origin"),
    "qc_verdict": ("质检结论", "QC verdict"),
    "cold_chain": ("冷链", "cold chain"),
}
_OFF_CHAIN: dict[tuple[str, bytes, bytes], bool] = {}
MAX_REMEMBERED = 4096


@dataclass(frozen=True)
class Party:
    name: str | None  # None: the party keeps its name off public pages
    role_zh: str
    role_en: str


@dataclass(frozen=True)
class CoSigned:
    claim_zh: str
    claim_en: str
    parties: list[Party]
    on_chain: bool  # False: verified off chain, the chain did not answer (or none is configured)
    tx_hash: str


async def _off_chain_ok(proof: AttestationProof) -> bool:
    key = (proof.tx_hash, proof.message, proof.aggregate)
    if key not in _OFF_CHAIN:
        if len(_OFF_CHAIN) >= MAX_REMEMBERED:
            _OFF_CHAIN.pop(next(iter(_OFF_CHAIN)))
        _OFF_CHAIN[key] = (await asyncio.to_thread(verify_off_chain, proof)).ok  # CPU: off the loop
    return _OFF_CHAIN[key]


async def cosigned_of(public_code: str, rpc: str | None) -> list[CoSigned]:
    """The batch's attestations that verify, with the parties' public names and roles (oldest first)."""
    batch = await facts.batch_of(public_code)
    if batch is None:
        return []
    shown = []
    for proof in await evidence.recorded_proofs(batch.id, public=True):
        if not await _off_chain_ok(proof):
            log.warning("attestation in %s does not verify off chain: not shown", proof.tx_hash)
            continue
        on_chain = False
        if rpc:
            try:
                verdict = await verify_on_chain(proof, rpc)
            except Exception as exc:  # the chain is away: say "off chain only", do not hide it
                log.info("chain unavailable for attestation %s: %s", proof.tx_hash, exc)
            else:
                if not verdict.ok:
                    log.warning(
                        "attestation %s does not match the chain: %s", proof.tx_hash, verdict.problems
                    )
                    continue
                on_chain = True
        claim = CLAIMS.get(proof.claim, (proof.claim, proof.claim))
        parties = [Party(s.name, *ROLES.get(s.role, (s.role, s.role))) for s in proof.signers]
        shown.append(CoSigned(claim[0], claim[1], parties, on_chain, proof.tx_hash))
    return shown
