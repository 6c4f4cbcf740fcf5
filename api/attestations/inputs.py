"""Attestation inputs: parties and attestations by global ID, keys and signatures as hex (0x optional)."""

import strawberry

from api import relay as rl
from api.enums import AttestationClaim, PartyRole


@strawberry.input(description="A party's BLS12-381 key with its proof of possession (PopProve of the key).")
class PartyRegisterInput:
    name: str
    role: PartyRole
    public_key: str = strawberry.field(description="48-byte compressed G1 key, hex.")
    proof_of_possession: str = strawberry.field(description="96-byte compressed G2 PopProve, hex.")
    supplier_code: str | None = strawberry.field(
        default=None, description="Staff registering a supplier's party; a supplier user's own is implied."
    )
    name_public: bool = strawberry.field(
        default=True, description="Show the name on the public provenance page (else the role only)."
    )
    idempotency_key: str | None = None


@strawberry.input(description="A new key for a party; the old key is revoked.")
class PartyRotateKeyInput:
    party_id: strawberry.ID
    public_key: str
    proof_of_possession: str
    idempotency_key: str | None = None

    def party(self) -> int:
        return rl.decode_id(self.party_id, "AttestationParty", ("partyId",))


@strawberry.input(description="Revoke a party's key: its signatures stop counting.")
class PartyRevokeInput:
    party_id: strawberry.ID
    idempotency_key: str | None = None

    def party(self) -> int:
        return rl.decode_id(self.party_id, "AttestationParty", ("partyId",))


@strawberry.input(description="Open an attestation of the batch's latest confirmed anchored root.")
class AttestationOpenInput:
    batch_id: strawberry.ID
    claim: AttestationClaim
    threshold: int = strawberry.field(
        default=1, description="Signatures (1 to 16) after which the aggregate goes on chain by itself."
    )
    idempotency_key: str | None = None

    def batch(self) -> int:
        return rl.decode_id(self.batch_id, "Batch", ("batchId",))


@strawberry.input(description="A signature the party made of the attestation's message (never a server key).")
class AttestationSignInput:
    attestation_id: strawberry.ID
    party_id: strawberry.ID
    signature: str = strawberry.field(description="96-byte compressed G2 signature, hex.")
    idempotency_key: str | None = None

    def ids(self) -> tuple[int, int]:
        return (
            rl.decode_id(self.attestation_id, "Attestation", ("attestationId",)),
            rl.decode_id(self.party_id, "AttestationParty", ("partyId",)),
        )


@strawberry.input(description="Send the aggregate of the signatures so far on chain now.")
class AttestationSubmitInput:
    attestation_id: strawberry.ID
    idempotency_key: str | None = None

    def attestation(self) -> int:
        return rl.decode_id(self.attestation_id, "Attestation", ("attestationId",))
