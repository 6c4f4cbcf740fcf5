"""The attestation proof file (docs/proof-format.md §9) and its stand-alone checks: off chain (py-ecc, no
network) and on chain (one RPC URL). Imports nothing of Lotline's but ``chain``: an auditor runs it alone.

A proof names the message's fields, the parties' public keys with their registry ids, the aggregate
signature and the transaction that recorded it. Off chain: the message rebuilt from its fields is the one
given, each key id is keccak256 of the key's EIP-2537 encoding, every key is a valid subgroup point, and the
aggregate verifies (FastAggregateVerify). On chain: the transaction's ``Attested`` event names this batch,
root, claim, message hash and signer ids, the registry holds exactly these keys, and its ``verify`` agrees.
"""

import json
from dataclasses import dataclass, field

from chain import attestation as bls

FORMAT = "lotline-attestation/1"
SCHEME = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_"


@dataclass(frozen=True)
class Signer:
    role: str
    name: str | None  # None: the party keeps its name off public pages
    public_key: bytes  # 48
    key_id: bytes  # 32


@dataclass(frozen=True)
class AttestationProof:
    chain_id: int
    registry: str
    batch: bytes  # 32
    root: bytes  # 32
    claim: str
    time: int
    message: bytes
    signers: list[Signer]
    aggregate: bytes  # 96
    tx_hash: str
    block_number: int

    def claim_bytes(self) -> bytes:
        return self.claim.encode().ljust(32, b"\0")

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "scheme": SCHEME,
                "domainTag": bls.DOMAIN_TAG.decode(),
                "chainId": self.chain_id,
                "registry": self.registry,
                "batch": "0x" + self.batch.hex(),
                "root": "0x" + self.root.hex(),
                "claim": self.claim,
                "time": self.time,
                "message": "0x" + self.message.hex(),
                "signers": [
                    {
                        "role": s.role,
                        "name": s.name,
                        "publicKey": "0x" + s.public_key.hex(),
                        "keyId": "0x" + s.key_id.hex(),
                    }
                    for s in self.signers
                ],
                "aggregateSignature": "0x" + self.aggregate.hex(),
                "txHash": self.tx_hash,
                "blockNumber": self.block_number,
            },
            indent=2,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> "AttestationProof":
        """Parses a proof file; ``ValueError`` if it is not one (wrong format, a missing or bad field)."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} proof")
        try:
            return cls(
                int(data["chainId"]),
                str(data["registry"]),
                _hex(data["batch"], 32),
                _hex(data["root"], 32),
                str(data["claim"]),
                int(data["time"]),
                _hex(data["message"], None),
                [
                    Signer(str(s["role"]), s.get("name"), _hex(s["publicKey"], 48), _hex(s["keyId"], 32))
                    for s in data["signers"]
                ],
                _hex(data["aggregateSignature"], 96),
                str(data["txHash"]),
                int(data["blockNumber"]),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"malformed attestation proof: {exc!r}") from None


def is_proof(text: str | bytes) -> bool:
    """Whether ``text`` is JSON of an attestation proof (as opposed to an event's proof or anything else)."""
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("format") == FORMAT


def _hex(value: object, size: int | None) -> bytes:
    raw = bytes.fromhex(str(value).removeprefix("0x"))
    if size is not None and len(raw) != size:
        raise ValueError(f"{value!r} is not {size} bytes")
    return raw


def key_id(public_key: bytes) -> bytes:
    import sha3  # safe-pysha3 (keccak256, as the contract hashes keys)

    return bytes(sha3.keccak_256(bls.g1_eip2537(public_key)).digest())


@dataclass(frozen=True)
class Verdict:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth knowing, not a failure (a key revoked since)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_off_chain(proof: AttestationProof) -> Verdict:
    """The checks that need no network (see the module docstring). Pure; ~0.1 s per key with py-ecc."""
    problems = []
    expected = bls.claim_message(
        proof.chain_id, proof.registry, proof.batch, proof.root, proof.claim_bytes(), proof.time
    )
    if expected != proof.message:
        problems.append("MESSAGE_MISMATCH: the message is not the one its fields make")
    if not proof.signers:
        problems.append("NO_SIGNERS: the proof names no signer")
    for s in proof.signers:
        try:
            if key_id(s.public_key) != s.key_id:
                problems.append(f"KEY_ID_MISMATCH: {s.role} key id is not keccak256 of its key")
        except Exception:  # a point that does not decompress
            problems.append(f"BAD_KEY: {s.role} key is not a G1 point")
    if not problems and not bls.verify([s.public_key for s in proof.signers], expected, proof.aggregate):
        problems.append("BAD_SIGNATURE: the aggregate does not verify with these keys for this message")
    return Verdict(problems)
