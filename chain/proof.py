"""The proof file: what we hand out per trace event so anyone can check it against the chain. Pure.

JSON, hex strings with ``0x``. Version 2 (docs/proof-format.md) adds, when known, what an auditor needs to
check the proof with nothing of ours: ``eventId`` (the CBV 2.0 event hash ID), ``leafIndex``, ``leafCount``,
and in ``anchor`` the ``blockHash``, the chain's ``genesisHash`` and the registry's expected runtime
``codeHash`` (keccak256 of its deployed bytecode). Version 1 files (without them) still load::

    {
      "version": 1,
      "eventHash": "0x…",            sha-256 of the event's canonical JSON (RFC 8785)
      "leaf": "0x…",                 keccak256(keccak256(eventHash))
      "proof": ["0x…", …],           sibling hashes, leaf to root (sorted-pair keccak256)
      "root": "0x…",                 the anchored Merkle root
      "anchor": {                    optional: where the root was committed
        "chainId": 1, "contract": "0x…", "txHash": "0x…", "blockNumber": 123
      }
    }
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from chain import merkle
from chain.errors import ProofFormatError

FORMAT_VERSION = 2
VERSIONS = (1, 2)


def to_hex(value: bytes) -> str:
    return "0x" + value.hex()


def from_hex(value: object, *, size: int | None = 32, what: str = "value") -> bytes:
    if not isinstance(value, str) or not value.startswith(("0x", "0X")):
        raise ProofFormatError(f"{what} must be a 0x-prefixed hex string")
    try:
        raw = bytes.fromhex(value[2:])
    except ValueError as exc:
        raise ProofFormatError(f"{what} is not valid hex") from exc
    if size is not None and len(raw) != size:
        raise ProofFormatError(f"{what} must be {size} bytes, got {len(raw)}")
    return raw


@dataclass(frozen=True, slots=True)
class AnchorRef:
    """Where a root was anchored, as written in a proof file."""

    chain_id: int
    contract: str  # 0x + 40 hex, lower case
    tx_hash: bytes
    block_number: int

    def __post_init__(self) -> None:
        from_hex(self.contract, size=20, what="anchor.contract")
        object.__setattr__(self, "contract", self.contract.lower())
        merkle._check32(self.tx_hash, "anchor.txHash")


@dataclass(frozen=True, slots=True)
class AnchorInfo:
    """What the contract holds for a root (``anchors(root)``), plus where it was read from."""

    root: bytes
    timestamp: int
    block_number: int
    leaf_count: int
    chain_id: int | None = None
    contract: str | None = None


@dataclass(frozen=True, slots=True)
class ProofContext:
    """The version 2 facts: where the leaf sits and which chain and code the anchor must be on."""

    event_id: str  # ni:///sha-256;…?ver=CBV2.0
    leaf_index: int
    leaf_count: int
    block_hash: bytes | None = None
    genesis_hash: bytes | None = None
    code_hash: bytes | None = None  # keccak256 of the registry's runtime bytecode, as compiled


@dataclass(frozen=True, slots=True)
class ProofFile:
    event_hash: bytes
    leaf: bytes
    proof: tuple[bytes, ...]
    root: bytes
    anchor: AnchorRef | None = None
    context: ProofContext | None = None

    @classmethod
    def for_leaf(
        cls, tree: merkle.MerkleTree, index: int, event_hash: bytes, anchor: AnchorRef | None = None
    ) -> ProofFile:
        leaf = tree.leaf(index)
        if merkle.leaf_hash(event_hash) != leaf:
            raise ValueError(f"event hash does not hash to leaf {index} of the tree")
        return cls(event_hash, leaf, tuple(tree.proof(index)), tree.root, anchor)

    def to_dict(self) -> dict[str, Any]:
        ctx = self.context
        data: dict[str, Any] = {"version": FORMAT_VERSION if ctx is not None else 1}
        if ctx is not None:
            data["eventId"] = ctx.event_id
        data.update(
            {
                "eventHash": to_hex(self.event_hash),
                "leaf": to_hex(self.leaf),
                "proof": [to_hex(p) for p in self.proof],
                "root": to_hex(self.root),
            }
        )
        if ctx is not None:
            data["leafIndex"], data["leafCount"] = ctx.leaf_index, ctx.leaf_count
        if self.anchor is not None:
            data["anchor"] = {
                "chainId": self.anchor.chain_id,
                "contract": self.anchor.contract,
                "txHash": to_hex(self.anchor.tx_hash),
                "blockNumber": self.anchor.block_number,
            }
            for key, value in (
                ("blockHash", ctx and ctx.block_hash),
                ("genesisHash", ctx and ctx.genesis_hash),
                ("codeHash", ctx and ctx.code_hash),
            ):
                if value:
                    data["anchor"][key] = to_hex(value)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"

    @classmethod
    def from_dict(cls, data: object) -> ProofFile:
        if not isinstance(data, dict):
            raise ProofFormatError("a proof file is a JSON object")
        if data.get("version", 1) not in VERSIONS:
            raise ProofFormatError(f"unsupported proof file version {data.get('version')!r}")
        proof = data.get("proof")
        if not isinstance(proof, list):
            raise ProofFormatError("proof must be a list of hex strings")
        anchor = data.get("anchor")
        return cls(
            event_hash=from_hex(data.get("eventHash"), what="eventHash"),
            leaf=from_hex(data.get("leaf"), what="leaf"),
            proof=tuple(from_hex(p, what=f"proof[{i}]") for i, p in enumerate(proof)),
            root=from_hex(data.get("root"), what="root"),
            anchor=None if anchor is None else _anchor_from_dict(anchor),
            context=_context_from_dict(data),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> ProofFile:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ProofFormatError(f"proof file is not valid JSON: {exc}") from exc
        return cls.from_dict(data)


def _anchor_from_dict(data: object) -> AnchorRef:
    if not isinstance(data, dict):
        raise ProofFormatError("anchor must be a JSON object")
    contract = data.get("contract")
    from_hex(contract, size=20, what="anchor.contract")
    return AnchorRef(
        chain_id=_non_negative_int(data.get("chainId"), "anchor.chainId"),
        contract=str(contract),
        tx_hash=from_hex(data.get("txHash"), what="anchor.txHash"),
        block_number=_non_negative_int(data.get("blockNumber"), "anchor.blockNumber"),
    )


def _context_from_dict(data: dict[str, Any]) -> ProofContext | None:
    if data.get("version") != 2:
        return None
    event_id = data.get("eventId")
    if not isinstance(event_id, str):
        raise ProofFormatError("eventId must be a string")
    found = data.get("anchor")
    anchor: dict[str, Any] = found if isinstance(found, dict) else {}

    def optional(key: str) -> bytes | None:
        value = anchor.get(key)
        return None if value is None else from_hex(value, what=f"anchor.{key}")

    return ProofContext(
        event_id,
        _non_negative_int(data.get("leafIndex"), "leafIndex"),
        _non_negative_int(data.get("leafCount"), "leafCount"),
        optional("blockHash"),
        optional("genesisHash"),
        optional("codeHash"),
    )


def _non_negative_int(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ProofFormatError(f"{what} must be a non-negative integer")
    return value
