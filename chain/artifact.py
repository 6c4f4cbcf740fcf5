"""The AnchorRegistry artifact and the client's value types.

``Artifact`` is the compiled contract (``contracts_solidity/AnchorRegistry.json``: ABI, creation and deployed
bytecode as hex, solc version); ``error_selectors`` maps each custom error's 4-byte selector to its name and
argument types so a revert can be decoded. ``AnchorReceipt`` is what an anchoring transaction left on chain
(root, transaction and block hashes as 32 raw bytes), ``AnchoredLog`` one ``Anchored`` event of the registry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chain import hashing

DEFAULT_ARTIFACT = Path(__file__).resolve().parents[1] / "contracts_solidity" / "AnchorRegistry.json"


@dataclass(frozen=True, slots=True)
class AnchorReceipt:
    root: bytes
    tx_hash: bytes
    block_number: int
    block_hash: bytes
    leaf_count: int
    gas_used: int = 0


@dataclass(frozen=True, slots=True)
class AnchoredLog:
    root: bytes
    previous_root: bytes
    leaf_count: int
    anchorer: str
    tx_hash: bytes
    block_number: int


@dataclass(frozen=True, slots=True)
class Artifact:
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: bytes
    solc_version: str

    @classmethod
    def load(cls, path: Path = DEFAULT_ARTIFACT) -> Artifact:
        data = json.loads(path.read_text())
        return cls(
            abi=data["abi"],
            bytecode=data["bytecode"],
            deployed_bytecode=bytes.fromhex(data["deployedBytecode"].removeprefix("0x")),
            solc_version=data["solcVersion"],
        )

    def error_selectors(self) -> dict[bytes, tuple[str, list[str]]]:
        """4-byte selector -> (custom error name, argument types)."""
        selectors = {}
        for item in self.abi:
            if item["type"] == "error":
                types = [i["type"] for i in item["inputs"]]
                signature = f"{item['name']}({','.join(types)})"
                selectors[hashing.keccak256(signature.encode())[:4]] = (item["name"], types)
        return selectors
