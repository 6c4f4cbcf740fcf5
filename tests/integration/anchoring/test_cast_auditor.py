"""An auditor with Foundry's own `cast` and nothing of ours: the anchored root, its log, the contract's check.

The function and event signatures come from the compiled artifact's ABI, so the test speaks the contract's
real interface; `cast` (npm ``@foundry-rs/cast``, pinned in contracts_solidity/package.json) does the rest.
"""

import asyncio
import json
import shutil
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from chain import anvil
from chain.client import DEFAULT_ARTIFACT
from chain.proof import ProofFile
from domain.anchoring import services
from domain.anchoring.models import Anchor, EventAnchor
from workers.anchoring import Anchorer

ABI: list[dict[str, Any]] = json.loads(DEFAULT_ARTIFACT.read_text())["abi"]


def find_cast() -> Path:
    """The native binary from node_modules (`npm ci` there if it is missing), else one on PATH."""
    modules = anvil.CONTRACTS_DIR / "node_modules"
    for _ in range(2):
        found = sorted(modules.glob("@foundry-rs/cast-*/bin/cast")) or [modules / ".bin" / "cast"]
        if found[0].exists():
            return found[0]
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=anvil.CONTRACTS_DIR, check=True)
    on_path = shutil.which("cast")
    if on_path is None:
        pytest.fail("no cast binary: `npm ci --prefix contracts_solidity` installs @foundry-rs/cast")
    return Path(on_path)


CAST = find_cast()


def _types(params: list[dict[str, Any]], *, indexed: bool = False) -> str:
    return ",".join(p["type"] + (" indexed" if indexed and p.get("indexed") else "") for p in params)


def function_signature(name: str) -> str:
    """``anchors(bytes32)(uint64,uint64,uint64)``: cast's form, inputs then outputs, from the ABI."""
    [item] = [i for i in ABI if i["type"] == "function" and i["name"] == name]
    return f"{name}({_types(item['inputs'])})({_types(item['outputs'])})"


def event_signature(name: str) -> str:
    [item] = [i for i in ABI if i["type"] == "event" and i["name"] == name]
    return f"{name}({_types(item['inputs'], indexed=True)})"


def cast(*args: str) -> str:
    done = subprocess.run([str(CAST), *args], capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, f"cast {' '.join(args)}: {done.stderr}"
    return done.stdout.strip()


def hex32(value: bytes) -> str:
    return "0x" + value.hex()


async def anchored_proof(make_events: Callable[[int], Awaitable[list[int]]], anchorer: Anchorer) -> ProofFile:
    event_ids = await make_events(5)
    assert (await anchorer.run_round()).confirmed >= 1
    found = await services.proof_of(event_ids[2])
    assert found is not None
    assert found.status == "confirmed"
    assert len(found.proof_file.proof) >= 2
    return found.proof_file


async def test_cast_reads_the_anchored_root_with_its_block_and_leaf_count(
    make_events, chain, registry, anchorer
):
    proof = await anchored_proof(make_events, anchorer)
    anchor = await Anchor.get(root=hex32(proof.root), contract=registry.address.lower())

    out = await asyncio.to_thread(
        cast,
        "call",
        registry.address,
        function_signature("anchors"),
        hex32(proof.root),
        "--rpc-url",
        chain.url,
    )

    timestamp, block_number, leaf_count = (int(line.split()[0]) for line in out.splitlines())
    assert timestamp > 0
    assert block_number == anchor.block_number
    assert leaf_count == anchor.leaf_count == await EventAnchor.filter(anchor_id=anchor.id).count()
    unknown = await asyncio.to_thread(
        cast,
        "call",
        registry.address,
        function_signature("anchors"),
        "0x" + "ab" * 32,
        "--rpc-url",
        chain.url,
    )
    assert [int(line.split()[0]) for line in unknown.splitlines()] == [0, 0, 0]


async def test_cast_finds_the_anchored_log_by_its_root(make_events, chain, registry, anchorer):
    proof = await anchored_proof(make_events, anchorer)
    anchor = await Anchor.get(root=hex32(proof.root), contract=registry.address.lower())
    args = ["--from-block", "0", "--address", registry.address, "--rpc-url", chain.url, "--json"]

    out = await asyncio.to_thread(cast, "logs", event_signature("Anchored"), hex32(proof.root), *args)

    [log] = json.loads(out)
    topic0 = cast("keccak", event_signature("Anchored").replace(" indexed", ""))
    assert [t.lower() for t in log["topics"]] == [topic0, anchor.root, anchor.previous_root]
    assert int(log["blockNumber"], 16) == anchor.block_number
    assert log["transactionHash"].lower() == anchor.tx_hash
    data = bytes.fromhex(log["data"].removeprefix("0x"))
    assert int.from_bytes(data[:32]) == anchor.leaf_count  # uint64 leafCount, then address anchorer
    assert "0x" + data[44:64].hex() == anvil.rpc(chain.url, "eth_accounts")[0].lower()  # type: ignore[index]


async def test_the_contracts_own_check_through_cast_is_true_for_the_stored_proof_and_false_if_tampered(
    make_events, chain, registry, anchorer
):
    proof = await anchored_proof(make_events, anchorer)
    siblings = "[" + ",".join(hex32(p) for p in proof.proof) + "]"

    def check(fn: str, root: bytes, first: bytes, path: str) -> bool:
        out = cast("call", registry.address, function_signature(fn), hex32(root), hex32(first), path,
                   "--rpc-url", chain.url)  # fmt: skip
        assert out in ("true", "false"), out
        return out == "true"

    def flipped(value: bytes) -> bytes:
        return bytes([value[0] ^ 1]) + value[1:]

    assert await asyncio.to_thread(check, "verifyEvent", proof.root, proof.event_hash, siblings)
    assert await asyncio.to_thread(check, "verify", proof.root, proof.leaf, siblings)

    tampered_path = "[" + ",".join(hex32(p) for p in [flipped(proof.proof[0]), *proof.proof[1:]]) + "]"
    assert not await asyncio.to_thread(check, "verifyEvent", proof.root, flipped(proof.event_hash), siblings)
    assert not await asyncio.to_thread(check, "verifyEvent", proof.root, proof.event_hash, tampered_path)
    assert not await asyncio.to_thread(check, "verify", proof.root, flipped(proof.leaf), siblings)
    assert not await asyncio.to_thread(check, "verifyEvent", flipped(proof.root), proof.event_hash, siblings)
