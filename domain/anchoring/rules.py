"""Anchoring rules: what a batch of leaves commits to, when to anchor, what a chain read means. Pure.

Words: an event's *event hash* is the sha-256 of its canonical JSON (``TraceEvent.leaf``, hex); its Merkle
*leaf* is keccak256(keccak256(event hash)) (``chain.merkle``); the *root* goes on chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from chain import merkle

ZERO_ROOT = "0x" + "00" * 32


class AnchorState(StrEnum):
    PENDING = "pending"  # claimed with its tree, not yet seen on chain
    SUBMITTED = "submitted"  # included in a block, waiting for confirmations
    CONFIRMED = "confirmed"  # enough confirmations; still re-checked within the reorg window
    DROPPED = "dropped"  # its block left the chain: its events went back to pending


LIVE_STATES = (AnchorState.PENDING, AnchorState.SUBMITTED, AnchorState.CONFIRMED)


@dataclass(frozen=True, slots=True)
class AnchorStatus:
    # The provenance page reads exactly these four fields; keep them.
    anchored: bool
    block_number: int | None
    tx_hash: str | None
    root: str | None


NOT_ANCHORED = AnchorStatus(False, None, None, None)


@dataclass(frozen=True, slots=True)
class PendingLeaf:
    event_pk: int
    event_hash: str  # hex sha-256, no 0x


@dataclass(frozen=True, slots=True)
class PlannedProof:
    event_pk: int
    leaf_index: int
    proof: tuple[str, ...]  # 0x hex siblings, leaf to root


@dataclass(frozen=True, slots=True)
class AnchorPlan:
    root: str  # 0x hex
    leaf_count: int
    proofs: tuple[PlannedProof, ...]


def hex0x(value: bytes) -> str:
    return "0x" + value.hex()


def unhex(value: str) -> bytes:
    return bytes.fromhex(value.removeprefix("0x"))


def plan_anchor(leaves: Sequence[PendingLeaf]) -> AnchorPlan:
    """The tree of ``leaves`` in the given order (oldest first) and each event's proof."""
    tree = merkle.MerkleTree.from_event_hashes(unhex(leaf.event_hash) for leaf in leaves)
    proofs = tuple(
        PlannedProof(leaf.event_pk, i, tuple(hex0x(p) for p in tree.proof(i)))
        for i, leaf in enumerate(leaves)
    )
    return AnchorPlan(hex0x(tree.root), tree.leaf_count, proofs)


def should_anchor(
    pending: int, oldest_age_seconds: float, *, min_events: int, max_wait_seconds: float
) -> bool:
    """Anchor when enough events wait, or when the oldest has waited long enough."""
    return pending > 0 and (pending >= min_events or oldest_age_seconds >= max_wait_seconds)


class ChainVerdict(StrEnum):
    WAIT = "wait"  # on chain where we recorded it, not enough confirmations yet
    CONFIRM = "confirm"  # on chain where we recorded it, enough confirmations
    MOVED = "moved"  # on chain, but in another block than recorded (re-included after a reorg)
    DROPPED = "dropped"  # not on chain any more


def judge_on_chain(
    recorded_block: int, chain_block: int | None, head: int, confirmations: int
) -> ChainVerdict:
    """What a read of ``anchors(root)`` (``chain_block``: its block, None if absent) says of an anchor."""
    if chain_block is None:
        return ChainVerdict.DROPPED
    if chain_block != recorded_block:
        return ChainVerdict.MOVED
    if head >= recorded_block + confirmations - 1:
        return ChainVerdict.CONFIRM
    return ChainVerdict.WAIT


def event_hash_of_canonical(canonical: str) -> str:
    """The event hash (hex) of a stored canonical JSON text."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditedEvent:
    event_pk: int
    leaf_index: int
    canonical: str
    proof: tuple[str, ...]  # as stored at claim time


@dataclass(frozen=True, slots=True)
class AuditFinding:
    recomputed_root: str
    root_matches: bool
    changed_events: tuple[int, ...]  # event pks whose canonical JSON no longer hashes to what was anchored


def audit_anchor(root: str, leaf_count: int, events: Sequence[AuditedEvent]) -> AuditFinding:
    """Recompute the root from the events' canonical JSON, in leaf order, and name the events that changed."""
    ordered = sorted(events, key=lambda e: e.leaf_index)
    hashes = [unhex(event_hash_of_canonical(e.canonical)) for e in ordered]
    wanted = unhex(root)
    # An event changed if its record, hashed again, no longer leads to the root along its proof.
    changed = tuple(
        e.event_pk
        for e, h in zip(ordered, hashes, strict=True)
        if merkle.process_proof(merkle.leaf_hash(h), [unhex(p) for p in e.proof]) != wanted
    )
    if not ordered or len(ordered) != leaf_count:
        return AuditFinding("", False, changed)
    recomputed = hex0x(merkle.MerkleTree.from_event_hashes(hashes).root)
    return AuditFinding(recomputed, recomputed == root, changed)
