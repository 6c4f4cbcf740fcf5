"""The stand-alone verifier: does a proof file hold, and is its root anchored? Pure, no web3.

The on-chain part is an argument (``AnchorInfo``, fetched by ``client.fetch_anchor_info``), so an auditor
can run this with the chain package alone and data they fetched however they like.
Every reason starts with a stable code (``event_hash_mismatch: …``) so callers can match on it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import rfc8785

from chain import merkle
from chain.proof import AnchorInfo, ProofFile, to_hex

EVENT_HASH_MISMATCH = "event_hash_mismatch"
LEAF_MISMATCH = "leaf_mismatch"
PROOF_TOO_LONG = "proof_too_long"
PROOF_MISMATCH = "proof_mismatch"
NOT_ANCHORED = "not_anchored"
ANCHOR_MISMATCH = "anchor_mismatch"


@dataclass(frozen=True, slots=True)
class VerificationResult:
    reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reasons

    @property
    def codes(self) -> list[str]:
        return [reason.split(":", 1)[0] for reason in self.reasons]


def event_hash_of(event_json: bytes | Mapping[str, Any]) -> bytes:
    """sha-256 of the event's canonical JSON, given as canonical bytes or as a dict (RFC 8785)."""
    data = event_json if isinstance(event_json, bytes) else rfc8785.dumps(dict(event_json))
    return hashlib.sha256(data).digest()


def verify_proof_file(
    proof_file: ProofFile,
    anchored: AnchorInfo | None,
    event_json: bytes | Mapping[str, Any] | None = None,
    *,
    require_anchor: bool = True,
) -> VerificationResult:
    """Check a proof file; ``anchored`` is what the chain holds for its root (None: nothing there).

    ``require_anchor=False`` checks only the event, leaf and proof (offline, before anchoring).
    """
    reasons: list[str] = []
    pf = proof_file
    if event_json is not None:
        actual = event_hash_of(event_json)
        if actual != pf.event_hash:
            reasons.append(
                f"{EVENT_HASH_MISMATCH}: the event hashes to {to_hex(actual)}, "
                f"the proof file says {to_hex(pf.event_hash)}"
            )
    if merkle.leaf_hash(pf.event_hash) != pf.leaf:
        reasons.append(f"{LEAF_MISMATCH}: leaf {to_hex(pf.leaf)} is not keccak256(keccak256(eventHash))")
    if merkle.process_proof(pf.leaf, pf.proof) != pf.root:
        reasons.append(f"{PROOF_MISMATCH}: the proof does not lead from the leaf to root {to_hex(pf.root)}")
    if anchored is None or anchored.leaf_count == 0:
        if require_anchor:
            reasons.append(f"{NOT_ANCHORED}: root {to_hex(pf.root)} is not anchored on chain")
    else:
        reasons.extend(_anchor_reasons(pf, anchored))
    return VerificationResult(reasons)


def _anchor_reasons(pf: ProofFile, anchored: AnchorInfo) -> list[str]:
    reasons: list[str] = []
    if anchored.root != pf.root:
        reasons.append(f"{ANCHOR_MISMATCH}: the anchor given is for root {to_hex(anchored.root)}")
        return reasons
    if len(pf.proof) > merkle.max_proof_length(anchored.leaf_count):
        reasons.append(
            f"{PROOF_TOO_LONG}: {len(pf.proof)} siblings, but a tree of {anchored.leaf_count} leaves "
            f"has proofs of at most {merkle.max_proof_length(anchored.leaf_count)}"
        )
    ref = pf.anchor
    if ref is None:
        return reasons
    if anchored.chain_id is not None and anchored.chain_id != ref.chain_id:
        reasons.append(
            f"{ANCHOR_MISMATCH}: proof file says chain {ref.chain_id}, read from {anchored.chain_id}"
        )
    if anchored.contract is not None and anchored.contract.lower() != ref.contract:
        reasons.append(
            f"{ANCHOR_MISMATCH}: proof file says contract {ref.contract}, "
            f"read from {anchored.contract.lower()}"
        )
    if anchored.block_number != ref.block_number:
        reasons.append(
            f"{ANCHOR_MISMATCH}: proof file says block {ref.block_number}, "
            f"the contract recorded block {anchored.block_number}"
        )
    return reasons
