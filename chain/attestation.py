"""BLS12-381 co-signatures of anchored claims: keys, messages and EIP-2537 encodings. Pure (py-ecc).

Scheme: the IETF BLS signature draft's proof-of-possession ciphersuite
``BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_`` (public keys in G1, 48 bytes compressed; signatures in G2,
96 bytes compressed), as Ethereum's consensus layer uses it. Why BLS12-381 and not BN254: about 120-bit
security against the tower number field sieve where BN254 is below 100, and the EIP-2537 precompiles make
on-chain verification cheap (``contracts_solidity/AttestationRegistry.sol``).

The signed message binds the claim to one deployment: ``"LOTLINE-ATTESTATION-V1" || chain id (uint256) ||
registry address (20 bytes) || batch (bytes32) || anchored root or event hash (bytes32) || claim type
(bytes32) || time (uint64, Unix seconds)`` — exactly the contract's ``abi.encodePacked`` in ``message``.
"""

from eth_typing import BLSPubkey, BLSSignature
from py_ecc.bls import G2ProofOfPossession as bls  # type: ignore[attr-defined]  # noqa: N813 - the scheme's name
from py_ecc.bls.g2_primitives import pubkey_to_G1, signature_to_G2, subgroup_check
from py_ecc.optimized_bls12_381 import is_inf, normalize  # type: ignore[attr-defined]

DOMAIN_TAG = b"LOTLINE-ATTESTATION-V1"


class InvalidKey(ValueError):
    """A public key that is malformed, the point at infinity, or outside the prime-order subgroup."""


class InvalidProof(InvalidKey):
    """A well-formed key whose proof of possession does not match it (a possible rogue-key attack)."""


class InvalidPoint(ValueError):
    """A signature that is not a G2 point of the prime-order subgroup (malformed, off curve, infinity)."""


def claim_message(chain_id: int, registry: str, batch: bytes, root: bytes, claim: bytes, time: int) -> bytes:
    """The bytes every party signs (see the module docstring); 32-byte ``batch``, ``root``, ``claim``."""
    for name, value in (("batch", batch), ("root", root), ("claim", claim)):
        if len(value) != 32:
            raise ValueError(f"{name} must be 32 bytes")
    address = bytes.fromhex(registry.removeprefix("0x"))
    if len(address) != 20:
        raise ValueError("registry must be a 20-byte address")
    return (
        DOMAIN_TAG + chain_id.to_bytes(32, "big") + address + batch + root + claim + time.to_bytes(8, "big")
    )


def check_key(public_key: bytes, proof_of_possession: bytes) -> None:
    """Accepts a 48-byte key only with its proof of possession; rejects infinity and non-subgroup points.

    Raises ``InvalidKey``."""
    if len(public_key) != 48 or not bls.KeyValidate(BLSPubkey(public_key)):
        raise InvalidKey("not a valid BLS12-381 G1 public key (infinity, off the subgroup, or malformed)")
    if not bls.PopVerify(BLSPubkey(public_key), BLSSignature(proof_of_possession)):
        raise InvalidProof("the proof of possession does not match the key")


def check_signature_point(signature: bytes) -> None:
    """Accepts 96 bytes that decompress to a G2 point of the subgroup, not infinity.

    Raises ``InvalidPoint``."""
    if len(signature) != 96:
        raise InvalidPoint("a signature is 96 bytes (compressed G2)")
    try:
        point = signature_to_G2(BLSSignature(signature))
    except (ValueError, AssertionError) as exc:
        raise InvalidPoint(f"not a BLS12-381 G2 point: {exc}") from None
    if is_inf(point) or not subgroup_check(point):
        raise InvalidPoint("the signature is the point at infinity or outside the prime-order subgroup")


def _fp(value: int) -> bytes:
    return value.to_bytes(64, "big")  # EIP-2537: 16 zero bytes then the 48-byte big-endian element


def g1_eip2537(public_key: bytes) -> bytes:
    """A compressed G1 key (48 bytes) as EIP-2537's 128-byte uncompressed encoding."""
    x, y = normalize(pubkey_to_G1(BLSPubkey(public_key)))
    return _fp(int(x)) + _fp(int(y))


def g2_eip2537(signature: bytes) -> bytes:
    """A compressed G2 signature (96 bytes) as EIP-2537's 256-byte encoding (x.c0, x.c1, y.c0, y.c1)."""
    x, y = normalize(signature_to_G2(BLSSignature(signature)))
    return b"".join(_fp(int(c)) for c in (*x.coeffs, *y.coeffs))


def aggregate(signatures: list[bytes]) -> bytes:
    """The aggregate (96 bytes compressed) of the parties' signatures of one message."""
    return bytes(bls.Aggregate([BLSSignature(s) for s in signatures]))


def verify(public_keys: list[bytes], message: bytes, signature: bytes) -> bool:
    """FastAggregateVerify: all ``public_keys`` signed ``message`` (keys must have passed ``check_key``)."""
    return bool(
        bls.FastAggregateVerify([BLSPubkey(k) for k in public_keys], message, BLSSignature(signature))
    )
