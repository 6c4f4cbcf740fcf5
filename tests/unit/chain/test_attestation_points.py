"""Keys and signatures are points of the prime-order subgroups or refused: random bytes never pass as a
key without its proof, and a signature that is not a G2 subgroup point is refused before any pairing."""

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py_ecc.bls import G2ProofOfPossession as bls  # noqa: N813 - the scheme, as py-ecc names it

from chain import attestation

SK = bls.KeyGen(os.urandom(32))
PK, POP = bytes(bls.SkToPk(SK)), bytes(bls.PopProve(SK))


@settings(max_examples=25, deadline=None)
@given(st.binary(min_size=96, max_size=96))
def test_random_bytes_are_a_valid_signature_point_only_if_they_decompress_into_the_subgroup(
    raw: bytes,
) -> None:
    try:
        attestation.check_signature_point(raw)
    except attestation.InvalidPoint:
        return
    # The rare random string that is a point: it must verify nothing it was not made for.
    assert not attestation.verify([PK], b"message", raw)


@settings(max_examples=25, deadline=None)
@given(st.binary(min_size=48, max_size=48))
def test_random_bytes_never_register_as_a_key_with_someone_elses_proof(raw: bytes) -> None:
    with pytest.raises(attestation.InvalidKey):
        attestation.check_key(raw, POP)


def test_the_identity_and_a_wrong_length_are_refused_and_a_real_signature_passes() -> None:
    infinity = bytes([0xC0]) + bytes(95)
    for bad in (infinity, b"\x00" * 95, bytes(bls.Sign(SK, b"m"))[:-1]):
        with pytest.raises(attestation.InvalidPoint):
            attestation.check_signature_point(bad)
    attestation.check_signature_point(bytes(bls.Sign(SK, b"m")))
    attestation.check_key(PK, POP)
    with pytest.raises(attestation.InvalidProof):
        attestation.check_key(PK, bytes(bls.Sign(SK, b"not a proof")))
