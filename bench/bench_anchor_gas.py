"""Gas figures on Anvil: one anchor call, amortised per event at 10 / 1,000 / 100,000 events per root, and the
gas of the contract's verify view for those trees' proofs.

Run: .venv/bin/python -m bench.bench_anchor_gas   (starts its own Anvil; installs it with npm ci if missing)
"""

import asyncio
import hashlib

from chain import anvil, merkle
from chain.client import AnchorRegistryClient

SIZES = (10, 1_000, 100_000)


def tree_of(n: int, salt: bytes) -> merkle.MerkleTree:
    return merkle.MerkleTree.from_event_hashes(
        hashlib.sha256(salt + i.to_bytes(8, "big")).digest() for i in range(n)
    )


async def run(url: str) -> None:
    async with await AnchorRegistryClient.deploy(url, anvil.DEV_ACCOUNT_KEY) as client:
        # The very first anchor also turns latestRoot from zero to non-zero (+~17k gas): show it apart.
        first = tree_of(1, b"warm-up")
        receipt = await client.anchor(first.root, 1)
        print(f"first anchor ever (latestRoot 0 -> set): {receipt.gas_used:,} gas")
        previous = first.root
        print(
            f"{'events':>8} {'anchor gas':>11} {'gas/event':>10} {'proof':>6} "
            f"{'verify gas':>11} {'verifyEvent':>12}"
        )
        for n in SIZES:
            tree = tree_of(n, b"size-%d" % n)
            receipt = await client.anchor(tree.root, n, previous)
            previous = tree.root
            i = 0  # leaf 0 always has a full-length proof: ceil(log2(n)) siblings
            proof = tree.proof(i)
            verify_fn = client.contract.functions.verify(tree.root, tree.leaf(i), proof)
            assert await verify_fn.call()
            verify_gas = await verify_fn.estimate_gas()
            event_hash = hashlib.sha256(b"size-%d" % n + i.to_bytes(8, "big")).digest()
            event_gas = await client.contract.functions.verifyEvent(
                tree.root, event_hash, proof
            ).estimate_gas()
            print(
                f"{n:>8,} {receipt.gas_used:>11,} {receipt.gas_used / n:>10.1f} {len(proof):>6} "
                f"{verify_gas:>11,} {event_gas:>12,}"
            )
        print(
            "verify gas: eth_estimateGas of the view as a transaction (21,000 intrinsic, calldata included)"
        )


def main() -> None:
    with anvil.Anvil.start() as node:
        asyncio.run(run(node.url))


if __name__ == "__main__":
    main()
