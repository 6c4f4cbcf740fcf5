"""Co-signed attestations: parties register keys (with a proof of possession), an attestation names the
batch's latest confirmed anchored root and a claim, parties sign its exact message with their own keys,
and the aggregate is recorded on chain by the API (``api/attestations``), which holds the chain client.

The server never holds a party's private key: a signature arrives already made (from the supplier portal's
browser key or an integrator's HSM) and is checked against the party's registered key before it is kept.
"""

from dataclasses import dataclass
from datetime import datetime

from chain import attestation as bls
from domain.anchoring.models import Anchor, EventAnchor
from domain.attestations.models import Attestation, AttestationSignature, Party
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.inventory.models import Batch
from domain.trace.models import TraceEventBatch

ROLES = ("supplier", "inspector", "carrier")
CLAIMS = ("origin", "qc_verdict", "cold_chain")


def _hex(value: str, size: int, path: tuple[str, ...]) -> bytes:
    try:
        raw = bytes.fromhex(value.removeprefix("0x"))
    except ValueError:
        raise ValidationError("not hexadecimal", path) from None
    if len(raw) != size:
        raise ValidationError(f"must be {size} bytes", path)
    return raw


def key_id(public_key: bytes) -> str:
    """The registry's id of a key: keccak256 of its EIP-2537 encoding (0x hex)."""
    import sha3  # safe-pysha3, already a dependency (the Merkle trees use it)

    digest: str = sha3.keccak_256(bls.g1_eip2537(public_key)).hexdigest()
    return "0x" + digest


async def party_register(name: str, role: str, public_key_hex: str, pop_hex: str, now: datetime) -> Party:
    """A party's key, accepted only with its proof of possession. Raises ``ValidationError``, ``Conflict``."""
    if role not in ROLES:
        raise ValidationError(f"role is one of {', '.join(ROLES)}", ("role",))
    if not name.strip() or len(name) > 200:
        raise ValidationError("a party needs a name of at most 200 characters", ("name",))
    pk = _hex(public_key_hex, 48, ("publicKey",))
    try:
        bls.check_key(pk, _hex(pop_hex, 96, ("proofOfPossession",)))
    except bls.InvalidKey as exc:
        raise ValidationError(str(exc), ("publicKey",)) from None
    if await Party.exists(public_key=pk.hex()):
        raise Conflict("this key is already registered", ("publicKey",))
    return await Party.create(
        name=name.strip(), role=role, public_key=pk.hex(), key_id=key_id(pk), registered_at=now
    )


async def party_revoke(party_id: int, now: datetime) -> Party:
    party = await Party.get_or_none(id=party_id, status="active")
    if party is None:
        raise NotFound("party", party_id, ("partyId",))
    party.status, party.revoked_at = "revoked", now
    await party.save(update_fields=["status", "revoked_at"])
    return party


async def party_rotate(party_id: int, public_key_hex: str, pop_hex: str, now: datetime) -> Party:
    """A new key for a party: the old one is revoked, the new row names the one it replaces."""
    old = await Party.get_or_none(id=party_id, status="active")
    if old is None:
        raise NotFound("party", party_id, ("partyId",))
    new = await party_register(old.name, old.role, public_key_hex, pop_hex, now)
    new.replaces_id = old.id
    await new.save(update_fields=["replaces_id"])
    await party_revoke(old.id, now)
    return new


async def latest_root(batch_id: int) -> str:
    """The newest confirmed anchored root covering an event of the batch; ``ValidationError`` when none."""
    event_ids = await TraceEventBatch.filter(batch_id=batch_id).values_list("event_id", flat=True)
    anchored = await EventAnchor.filter(event_id__in=list(event_ids), anchor__status="confirmed").values_list(
        "anchor_id", flat=True
    )
    anchor = await Anchor.filter(id__in=list(anchored)).order_by("-block_number", "-id").first()
    if anchor is None:
        raise ValidationError("the batch has no confirmed anchored event to attest yet", ("batchId",))
    return anchor.root


async def attestation_open(
    batch_id: int, claim: str, chain_id: int, registry: str, now: datetime
) -> Attestation:
    """An attestation of the batch's latest anchored root, with the exact message parties will sign."""
    if claim not in CLAIMS:
        raise ValidationError(f"claim is one of {', '.join(CLAIMS)}", ("claim",))
    if not await Batch.exists(id=batch_id):
        raise NotFound("batch", batch_id, ("batchId",))
    root = await latest_root(batch_id)
    t = int(now.timestamp())
    message = bls.claim_message(
        chain_id,
        registry,
        batch_id.to_bytes(32, "big"),
        bytes.fromhex(root[2:]),
        claim.encode().ljust(32, b"\0"),
        t,
    )
    return await Attestation.create(
        batch_id=batch_id,
        claim=claim,
        root=root,
        time=t,
        chain_id=chain_id,
        registry=registry,
        message=message.hex(),
        created_at=now,
    )


async def attestation_sign(
    attestation_id: int, party_id: int, signature_hex: str, now: datetime
) -> AttestationSignature:
    """Keeps a party's signature of the attestation's message after checking it against the party's key."""
    att = await Attestation.get_or_none(id=attestation_id, status="collecting")
    if att is None:
        raise NotFound("open attestation", attestation_id, ("attestationId",))
    party = await Party.get_or_none(id=party_id, status="active")
    if party is None:
        raise NotFound("active party", party_id, ("partyId",))
    sig = _hex(signature_hex, 96, ("signature",))
    if not bls.verify([bytes.fromhex(party.public_key)], bytes.fromhex(att.message), sig):
        raise ValidationError(
            "the signature does not verify with the party's key for this message", ("signature",)
        )
    if await AttestationSignature.exists(attestation_id=att.id, party_id=party.id):
        raise Conflict(f"{party.name} has already signed this attestation", ("partyId",))
    return await AttestationSignature.create(attestation=att, party=party, signature=sig.hex(), signed_at=now)


@dataclass(frozen=True)
class Aggregate:
    key_ids: list[bytes]
    public_keys: list[bytes]
    signature: bytes  # 96 bytes compressed


async def aggregate(attestation_id: int) -> Aggregate:
    """The attestation's signatures aggregated (checked again: a party revoked since signing is left out)."""
    sigs = await AttestationSignature.filter(
        attestation_id=attestation_id, party__status="active"
    ).prefetch_related("party")
    if not sigs:
        raise ValidationError("nobody has signed this attestation yet", ("attestationId",))
    keys = [bytes.fromhex(s.party.public_key) for s in sigs]
    agg = bls.aggregate([bytes.fromhex(s.signature) for s in sigs])
    att = await Attestation.get(id=attestation_id)
    if not bls.verify(keys, bytes.fromhex(att.message), agg):
        raise ValidationError("the aggregate does not verify", ("attestationId",))
    return Aggregate([bytes.fromhex(s.party.key_id[2:]) for s in sigs], keys, agg)


async def recorded(attestation_id: int, tx_hash: str, block_number: int) -> None:
    await Attestation.filter(id=attestation_id).update(
        status="recorded", tx_hash=tx_hash, block_number=block_number
    )


@dataclass(frozen=True)
class CoSigner:
    name: str
    role: str
    claim: str
    recorded: bool


async def cosigners(batch_id: int) -> list[CoSigner]:
    """Who co-signed what about a batch, for the provenance page ("co-signed by …")."""
    out = []
    for att in await Attestation.filter(batch_id=batch_id).order_by("id"):
        for s in await AttestationSignature.filter(attestation_id=att.id).prefetch_related("party"):
            out.append(CoSigner(s.party.name, s.party.role, att.claim, att.status == "recorded"))
    return out
