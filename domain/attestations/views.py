"""What the supplier portal shows a supplier about co-signing: its own party and the attestations of its
batches waiting for its signature (read-only, scoped to the supplier)."""

from dataclasses import dataclass

from domain.attestations.models import Attestation, AttestationSignature, Party
from domain.inventory.models import Batch


@dataclass(frozen=True)
class PartyView:
    id: int
    name: str
    public_key: str  # hex
    key_id: str


@dataclass(frozen=True)
class OpenAttestation:
    id: int
    lot_code: str
    claim: str
    root: str
    message: str  # hex: the exact bytes the browser signs
    signatures: int
    threshold: int
    signed_by_me: bool


@dataclass(frozen=True)
class SupplierView:
    party: PartyView | None
    open: list[OpenAttestation]


async def supplier_view(supplier_id: int) -> SupplierView:
    """The supplier's active party (None before it registers a key) and its batches' open attestations."""
    party = await Party.filter(supplier_id=supplier_id, status="active").order_by("-id").first()
    batches = {b.id: b for b in await Batch.filter(supplier_id=supplier_id)}
    rows = await Attestation.filter(batch_id__in=list(batches), status="collecting").order_by("id")
    out = []
    for att in rows:
        signers = {
            int(str(pid))
            for pid in await AttestationSignature.filter(attestation_id=att.id).values_list(
                "party_id", flat=True
            )
        }
        out.append(
            OpenAttestation(
                att.id,
                batches[att.batch_id].lot_code,
                att.claim,
                att.root,
                att.message,
                len(signers),
                att.threshold,
                party is not None and party.id in signers,
            )
        )
    view = PartyView(party.id, party.name, party.public_key, party.key_id) if party is not None else None
    return SupplierView(view, out)
