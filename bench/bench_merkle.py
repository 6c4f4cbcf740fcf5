"""Merkle tree figures: build time, proof size and pure verification time at 10 .. 1,000,000 leaves.

Run: .venv/bin/python -m bench.bench_merkle   (prints figures; no asserts on time)
"""

import hashlib
import os
import platform
import time

from chain import hashing, merkle
from chain.proof import ProofFile

SIZES = (10, 1_000, 100_000, 1_000_000)


def main() -> None:
    print(
        f"keccak backend: {hashing.KECCAK_BACKEND}; python {platform.python_version()}; {os.cpu_count()} cpus"
    )
    print(
        f"{'leaves':>10} {'build s':>9} {'µs/leaf':>8} {'proof':>6} {'proof B':>8} "
        f"{'file B':>7} {'verify µs':>10}"
    )
    for n in SIZES:
        event_hashes = [hashlib.sha256(i.to_bytes(8, "big")).digest() for i in range(n)]
        t0 = time.perf_counter()
        tree = merkle.MerkleTree.from_event_hashes(event_hashes)
        build = time.perf_counter() - t0

        samples = [(i * 7919) % n for i in range(min(n, 2_000))]
        proofs = [(tree.leaf(i), tree.proof(i)) for i in samples]
        longest = max(len(p) for _, p in proofs)
        t0 = time.perf_counter()
        for leaf, proof in proofs:
            assert merkle.verify(tree.root, leaf, proof)
        verify_us = (time.perf_counter() - t0) / len(proofs) * 1e6
        file_size = len(ProofFile.for_leaf(tree, samples[-1], event_hashes[samples[-1]]).to_json())
        print(
            f"{n:>10,} {build:>9.3f} {build / n * 1e6:>8.2f} {longest:>6} {longest * 32:>8} "
            f"{file_size:>7} {verify_us:>10.1f}"
        )
        if n == SIZES[-1]:
            t0 = time.perf_counter()
            for _ in tree.proofs():
                pass
            print(f"all {n:,} proofs of the largest tree: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
