"""The attestation proof's off-chain check is pure: it accepts what the parties signed and refuses any
change to a field of the message, a key or the aggregate (property-tested, few examples: py-ecc is slow)."""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from py_ecc.bls import G2ProofOfPossession as bls  # noqa: N813 - the scheme, as py-ecc names it

from chain import attestation
from chain.attestation_proof import AttestationProof, Signer, key_id, verify_off_chain

KEYS = [bls.KeyGen(os.urandom(32)) for _ in range(3)]


def proof_of(signers: int, batch: bytes, root: bytes, claim: str, time: int) -> AttestationProof:
    registry = "0x" + "42" * 20
    message = attestation.claim_message(7, registry, batch, root, claim.encode().ljust(32, b"\0"), time)
    keys = KEYS[:signers]
    agg = attestation.aggregate([bls.Sign(sk, message) for sk in keys])
    pks = [bytes(bls.SkToPk(sk)) for sk in keys]
    return AttestationProof(
        7, registry, batch, root, claim, time, message,
        [Signer("inspector", f"p{i}", pk, key_id(pk)) for i, pk in enumerate(pks)],
        agg, "0x" + "00" * 32, 1,
    )  # fmt: skip


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    signers=st.integers(1, 3),
    batch=st.binary(min_size=32, max_size=32),
    root=st.binary(min_size=32, max_size=32),
    claim=st.sampled_from(["origin", "qc_verdict", "cold_chain"]),
    time=st.integers(0, 2**64 - 1),
    flip=st.sampled_from(["batch", "root", "time", "claim", "drop_signer", "none"]),
)
def test_a_proof_verifies_exactly_when_nothing_was_changed(signers, batch, root, claim, time, flip) -> None:
    proof = proof_of(signers, batch, root, claim, time)
    assert AttestationProof.from_json(proof.to_json()) == proof
    changed = {
        "batch": lambda p: p.__class__(**{**p.__dict__, "batch": bytes(31) + bytes([p.batch[31] ^ 1])}),
        "root": lambda p: p.__class__(**{**p.__dict__, "root": bytes([p.root[0] ^ 1]) + p.root[1:]}),
        "time": lambda p: p.__class__(**{**p.__dict__, "time": (p.time + 1) % 2**64}),
        "claim": lambda p: p.__class__(**{**p.__dict__, "claim": "x" + p.claim}),
        "drop_signer": lambda p: p.__class__(**{**p.__dict__, "signers": p.signers[1:]}),
        "none": lambda p: p,
    }[flip](proof)
    verdict = verify_off_chain(changed)
    assert verdict.ok == (flip == "none")
