"""Off-chain verification of an attestation proof (``chain.attestation_proof.verify_off_chain``, py-ecc)
for 1, 3 and 5 signers, and the parties' signing time: median of a few runs, wall clock.

Run: .venv/bin/python -m bench.bench_attestation_verify [--runs 3]   (no database, no chain)
"""

import argparse
import os
import statistics
import time

from py_ecc.bls import G2ProofOfPossession as bls  # type: ignore[attr-defined]  # noqa: N813 - the scheme, as py-ecc names it

from chain import attestation
from chain.attestation_proof import AttestationProof, Signer, key_id, verify_off_chain

REGISTRY = "0x" + "42" * 20


def proof_of(keys: list[int]) -> tuple[AttestationProof, float]:
    batch, root, claim, t = os.urandom(32), os.urandom(32), "cold_chain", int(time.time())
    message = attestation.claim_message(31337, REGISTRY, batch, root, claim.encode().ljust(32, b"\0"), t)
    started = time.perf_counter()
    sigs = [bls.Sign(sk, message) for sk in keys]
    sign_each = (time.perf_counter() - started) / len(keys)
    pks = [bytes(bls.SkToPk(sk)) for sk in keys]
    signers = [Signer("inspector", None, pk, key_id(pk)) for pk in pks]
    agg = attestation.aggregate([bytes(s) for s in sigs])
    return AttestationProof(31337, REGISTRY, batch, root, claim, t, message, signers, agg, "0x", 0), sign_each


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    print(f"{'signers':>7} {'verify (median)':>16} {'sign, per party':>16}")
    for n in (1, 3, 5):
        keys = [bls.KeyGen(os.urandom(32)) for _ in range(n)]
        times, signing = [], []
        for _ in range(runs):
            proof, sign_each = proof_of(keys)
            signing.append(sign_each)
            started = time.perf_counter()
            assert verify_off_chain(proof).ok
            times.append(time.perf_counter() - started)
        print(f"{n:>7} {statistics.median(times):>14.2f} s {statistics.median(signing):>14.2f} s")


if __name__ == "__main__":
    main()
