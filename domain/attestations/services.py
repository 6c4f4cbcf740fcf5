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
from domain.attestations.errors import Problem, SignatureRejected
from domain.attestations.models import Attestation, AttestationSignature, Party
from domain.common import outbox
from domain.common import services as common
from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.inventory.models import Batch
from domain.trace.models import TraceEventBatch

ROLES = ("supplier", "inspector", "carrier")
CLAIMS = ("origin", "qc_verdict", "cold_chain")
STATES = ("collecting", "submitting", "recorded")
MAX_SIGNERS = 16
SUBMIT_TOPIC = outbox.ATTESTATION_SUBMIT_TOPIC


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


async def party_register(
    name: str,
    role: str,
    public_key_hex: str,
    pop_hex: str,
    now: datetime,
    *,
    supplier_id: int | None = None,
    name_public: bool = True,
) -> Party:
    """A party's key, accepted only with its proof of possession.

    Raises ``ValidationError``, ``SignatureRejected`` (``BAD_POINT``, ``BAD_PROOF_OF_POSSESSION``),
    ``Conflict`` (key already registered)."""
    if role not in ROLES:
        raise ValidationError(f"role is one of {', '.join(ROLES)}", ("role",))
    if not name.strip() or len(name) > 200:
        raise ValidationError("a party needs a name of at most 200 characters", ("name",))
    if supplier_id is not None and role != "supplier":
        raise ValidationError("only a supplier party belongs to a supplier", ("supplierCode",))
    pk = _hex(public_key_hex, 48, ("publicKey",))
    try:
        bls.check_key(pk, _hex(pop_hex, 96, ("proofOfPossession",)))
    except bls.InvalidProof as exc:
        raise SignatureRejected(Problem.BAD_PROOF_OF_POSSESSION, str(exc), ("proofOfPossession",)) from None
    except bls.InvalidKey as exc:
        raise SignatureRejected(Problem.BAD_POINT, str(exc), ("publicKey",)) from None
    if await Party.exists(public_key=pk.hex()):
        raise Conflict("this key is already registered", ("publicKey",))
    return await Party.create(
        name=name.strip(),
        role=role,
        public_key=pk.hex(),
        key_id=key_id(pk),
        registered_at=now,
        supplier_id=supplier_id,
        name_public=name_public,
    )


async def scoped_party(party_id: int, supplier_id: int | None, path: tuple[str, ...] = ("partyId",)) -> Party:
    """The party, if the caller may act for it (staff: any; a supplier: only its own); else ``NotFound``."""
    party = await Party.get_or_none(id=party_id)
    if party is None or (supplier_id is not None and party.supplier_id != supplier_id):
        raise NotFound("party", party_id, path)
    return party


async def _active(party_id: int, supplier_id: int | None) -> Party:
    party = await scoped_party(party_id, supplier_id)
    if party.status != "active":
        raise SignatureRejected(Problem.REVOKED_KEY, f"the key of party {party_id} is revoked", ("partyId",))
    return party


async def party_revoke(party_id: int, now: datetime, *, supplier_id: int | None = None) -> Party:
    """Revokes the party's key (its signatures no longer count). ``NotFound``, ``SignatureRejected``."""
    party = await _active(party_id, supplier_id)
    party.status, party.revoked_at = "revoked", now
    await party.save(update_fields=["status", "revoked_at"])
    return party


async def party_rotate(
    party_id: int, public_key_hex: str, pop_hex: str, now: datetime, *, supplier_id: int | None = None
) -> Party:
    """A new key for a party: the old one is revoked, the new row names the one it replaces."""
    old = await _active(party_id, supplier_id)
    new = await party_register(
        old.name,
        old.role,
        public_key_hex,
        pop_hex,
        now,
        supplier_id=old.supplier_id,
        name_public=old.name_public,
    )
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
    batch_id: int, claim: str, chain_id: int, registry: str, now: datetime, *, threshold: int = 1
) -> Attestation:
    """An attestation of the batch's latest anchored root, with the exact message parties will sign; once
    ``threshold`` parties (1 to 16) have signed, the aggregate is submitted on chain by the worker."""
    if claim not in CLAIMS:
        raise ValidationError(f"claim is one of {', '.join(CLAIMS)}", ("claim",))
    if not 1 <= threshold <= MAX_SIGNERS:
        raise ValidationError(f"threshold is 1 to {MAX_SIGNERS}", ("threshold",))
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
        threshold=threshold,
        created_at=now,
    )


async def _locked(attestation_id: int) -> Attestation | None:
    query = Attestation.filter(id=attestation_id)
    if is_postgres():  # two signatures reaching the threshold together enqueue the submission once
        query = query.select_for_update()
    return await query.first()


async def attestation_sign(
    attestation_id: int, party_id: int, signature_hex: str, now: datetime, *, supplier_id: int | None = None
) -> AttestationSignature:
    """Keeps a party's signature of the attestation's message after checking it against the party's key;
    the signature that reaches the threshold queues the on-chain submission (outbox ``attestations.submit``).

    Raises ``NotFound`` (attestation not collecting, party out of scope), ``SignatureRejected``
    (``BAD_POINT``, ``BAD_SIGNATURE``, ``REVOKED_KEY``), ``Conflict`` (the party already signed)."""
    att = await _locked(attestation_id)
    if att is None or att.status != "collecting":
        raise NotFound("open attestation", attestation_id, ("attestationId",))
    party = await _active(party_id, supplier_id)
    sig = _hex(signature_hex, 96, ("signature",))
    try:
        bls.check_signature_point(sig)
    except bls.InvalidPoint as exc:
        raise SignatureRejected(Problem.BAD_POINT, str(exc), ("signature",)) from None
    if not bls.verify([bytes.fromhex(party.public_key)], bytes.fromhex(att.message), sig):
        raise SignatureRejected(
            Problem.BAD_SIGNATURE,
            "the signature does not verify with the party's key for this message",
            ("signature",),
        )
    if await AttestationSignature.exists(attestation_id=att.id, party_id=party.id):
        raise Conflict(f"{party.name} has already signed this attestation", ("partyId",))
    row = await AttestationSignature.create(attestation=att, party=party, signature=sig.hex(), signed_at=now)
    if await AttestationSignature.filter(attestation_id=att.id).count() >= att.threshold:
        await _queue(att)
    return row


async def _queue(att: Attestation) -> None:
    await Attestation.filter(id=att.id).update(status="submitting")
    await common.enqueue(SUBMIT_TOPIC, {"attestation_id": att.id})


async def attestation_submit(attestation_id: int) -> Attestation:
    """Queues the on-chain submission now, before the threshold (at least one signature). Submitting one
    already queued or recorded changes nothing. ``NotFound``, ``ValidationError`` (nobody signed)."""
    att = await _locked(attestation_id)
    if att is None:
        raise NotFound("attestation", attestation_id, ("attestationId",))
    if att.status == "collecting":
        if not await AttestationSignature.exists(attestation_id=att.id):
            raise ValidationError("nobody has signed this attestation yet", ("attestationId",))
        await _queue(att)
    return await Attestation.get(id=attestation_id)


@dataclass(frozen=True)
class Aggregate:
    key_ids: list[bytes]
    public_keys: list[bytes]
    signature: bytes  # 96 bytes compressed
    party_ids: list[int]


async def aggregate(attestation_id: int) -> Aggregate:
    """The attestation's signatures aggregated (checked again: a party revoked since signing is left out)."""
    sigs = (
        await AttestationSignature.filter(attestation_id=attestation_id, party__status="active")
        .order_by("id")
        .prefetch_related("party")
    )
    if not sigs:
        raise ValidationError("nobody with an active key has signed this attestation", ("attestationId",))
    keys = [bytes.fromhex(s.party.public_key) for s in sigs]
    agg = bls.aggregate([bytes.fromhex(s.signature) for s in sigs])
    att = await Attestation.get(id=attestation_id)
    if not bls.verify(keys, bytes.fromhex(att.message), agg):
        raise ValidationError("the aggregate does not verify", ("attestationId",))
    return Aggregate([bytes.fromhex(s.party.key_id[2:]) for s in sigs], keys, agg, [s.party_id for s in sigs])


async def recorded(attestation_id: int, tx_hash: str, block_number: int, sent: Aggregate) -> None:
    """The aggregate ``sent`` is on chain in ``tx_hash`` (block ``block_number``)."""
    await Attestation.filter(id=attestation_id).update(
        status="recorded",
        tx_hash=tx_hash,
        block_number=block_number,
        last_error="",
        aggregate=sent.signature.hex(),
        signer_party_ids=sent.party_ids,
    )


async def submission_failed(attestation_id: int, error: str) -> int:
    """Counts a failed submission (kept ``submitting``: it is tried again); returns the attempts so far."""
    att = await Attestation.get(id=attestation_id)
    att.attempts += 1
    att.last_error = error[:2000]
    await att.save(update_fields=["attempts", "last_error"])
    return att.attempts


@dataclass(frozen=True)
class Due:
    """What the worker sends on chain for one attestation (``AttestationRegistry.attest``'s arguments)."""

    attestation_id: int
    batch: bytes  # 32
    root: bytes  # 32
    claim: bytes  # 32, zero-padded ASCII
    time: int
    registry: str
    message: bytes
    aggregate: Aggregate


async def due(attestation_id: int) -> Due | None:
    """The submission of an attestation queued for the chain, or None (already recorded, or unknown)."""
    att = await Attestation.get_or_none(id=attestation_id, status="submitting")
    if att is None:
        return None
    return Due(
        att.id,
        att.batch_id.to_bytes(32, "big"),
        bytes.fromhex(att.root[2:]),
        att.claim.encode().ljust(32, b"\0"),
        att.time,
        att.registry,
        bytes.fromhex(att.message),
        await aggregate(att.id),
    )


async def submitting_ids(limit: int = 100) -> list[int]:
    """Attestations queued for the chain, oldest first: the sweep's work (a message lost in a broker)."""
    ids = (
        await Attestation.filter(status="submitting").order_by("id").limit(limit).values_list("id", flat=True)
    )
    return [int(str(i)) for i in ids]
