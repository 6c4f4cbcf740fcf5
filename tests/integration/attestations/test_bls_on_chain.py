"""Co-signatures verified on Anvil through the EIP-2537 precompiles, against py-ecc as the reference."""

import hashlib
import os
import time
from collections.abc import Iterator

import pytest
from py_ecc.bls import G2ProofOfPossession as bls  # noqa: N813 - the scheme, as py-ecc names it
from py_ecc.bls.hash_to_curve import hash_to_G2
from py_ecc.optimized_bls12_381 import normalize

from chain import anvil, attestation
from chain.attestation_client import AttestationRegistryClient

DST = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_"


@pytest.fixture(scope="module")
def node() -> Iterator[anvil.Anvil]:
    with anvil.Anvil.start() as n:
        yield n


@pytest.fixture(scope="module")
async def attestation_registry(node: anvil.Anvil) -> AttestationRegistryClient:
    return await AttestationRegistryClient.deploy(node.url, anvil.DEV_ACCOUNT_KEY)


def party(seed: int) -> tuple[int, bytes]:
    sk = bls.KeyGen(seed.to_bytes(32, "big"))
    return sk, bls.SkToPk(sk)


async def test_the_contracts_hash_to_g2_is_the_rfc_9380_one(
    attestation_registry: AttestationRegistryClient,
) -> None:
    for msg in (b"", b"abc", os.urandom(181)):
        x, y = normalize(hash_to_G2(msg, DST, hashlib.sha256))
        expected = b"".join(int(c).to_bytes(64, "big") for c in (*x.coeffs, *y.coeffs))
        assert await attestation_registry.hash_to_g2(msg) == expected


async def test_the_message_is_the_one_signed_off_chain(
    attestation_registry: AttestationRegistryClient,
) -> None:
    batch, root, claim = os.urandom(32), os.urandom(32), b"origin".ljust(32, b"\0")
    on_chain = await attestation_registry.message(batch, root, claim, 1_764_000_000)
    assert on_chain == attestation.claim_message(
        attestation_registry.chain_id, attestation_registry.address, batch, root, claim, 1_764_000_000
    )


@pytest.mark.parametrize("signers", [1, 3, 5])
async def test_an_aggregate_of_n_parties_verifies_on_chain_and_is_recorded(
    attestation_registry: AttestationRegistryClient, signers: int
) -> None:
    parties = [party(1000 * signers + i) for i in range(signers)]
    ids = [await attestation_registry.register_key(attestation.g1_eip2537(pk)) for _, pk in parties]
    batch, root, claim, t = os.urandom(32), os.urandom(32), b"cold-chain".ljust(32, b"\0"), int(time.time())
    msg = attestation.claim_message(
        attestation_registry.chain_id, attestation_registry.address, batch, root, claim, t
    )
    agg = attestation.aggregate([bls.Sign(sk, msg) for sk, _ in parties])
    assert attestation.verify([pk for _, pk in parties], msg, agg)
    receipt = await attestation_registry.attest(batch, root, claim, t, ids, attestation.g2_eip2537(agg))
    print(f"gas for {signers} signer(s): {receipt.gas_used}")
    assert receipt.gas_used > 0
    # A different claim, a missing signer, or a revoked key fails.
    other = attestation.claim_message(
        attestation_registry.chain_id, attestation_registry.address, batch, root, b"x".ljust(32, b"\0"), t
    )
    assert not await attestation_registry.verify(other, ids, attestation.g2_eip2537(agg))
    if signers > 1:
        assert not await attestation_registry.verify(msg, ids[:-1], attestation.g2_eip2537(agg))


def test_keys_without_a_valid_proof_or_at_infinity_are_refused() -> None:
    sk, pk = party(7)
    attestation.check_key(pk, bls.PopProve(sk))
    _, other = party(8)
    with pytest.raises(attestation.InvalidKey):
        attestation.check_key(other, bls.PopProve(sk))
    infinity = bytes([0xC0]) + bytes(47)
    with pytest.raises(attestation.InvalidKey):
        attestation.check_key(infinity, bls.PopProve(sk))
