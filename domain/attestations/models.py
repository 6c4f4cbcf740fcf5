"""Parties' BLS keys and their co-signed attestations of batches."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from domain.inventory.models import Batch
    from domain.partners.models import Supplier


class Party(Model):
    # Someone who co-signs what was anchored: a supplier (origin), an inspector (QC verdict), a carrier (cold
    # chain). The server keeps only the public key; the private key stays with the party.
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    role = fields.CharField(max_length=16)  # supplier, inspector, carrier
    public_key = fields.CharField(max_length=96, unique=True)  # 48-byte compressed G1, hex
    key_id = fields.CharField(max_length=66)  # keccak256 of the EIP-2537 key: the registry's id
    status = fields.CharField(max_length=16, default="active")  # active, revoked
    registered_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    replaces: fields.ForeignKeyNullableRelation["Party"] = fields.ForeignKeyField(
        "lotline.Party", related_name="replaced_by", null=True, on_delete=fields.RESTRICT
    )
    replaces_id: int | None
    # A supplier party acts only for itself: its supplier's portal users and API tokens are its scope.
    supplier: fields.ForeignKeyNullableRelation["Supplier"] = fields.ForeignKeyField(
        "lotline.Supplier", related_name="attestation_parties", null=True, on_delete=fields.RESTRICT
    )
    supplier_id: int | None
    # The party agreed to have its name on the public provenance page; otherwise the page names its role only.
    name_public = fields.BooleanField(default=True)

    class Meta:
        table = "attestation_party"


class Attestation(Model):
    # A claim about a batch's anchored history that parties sign: the exact message is stored, so anyone
    # can re-verify the signatures and the on-chain record.
    id = fields.IntField(primary_key=True)
    batch: fields.ForeignKeyRelation["Batch"] = fields.ForeignKeyField(
        "lotline.Batch", related_name="attestations", on_delete=fields.RESTRICT
    )
    batch_id: int
    claim = fields.CharField(max_length=32)  # origin, qc_verdict, cold_chain
    root = fields.CharField(max_length=66)  # the anchored Merkle root the claim covers
    time = fields.BigIntField()  # Unix seconds, signed
    chain_id = fields.BigIntField()
    registry = fields.CharField(max_length=42)
    message = fields.TextField()  # hex of the signed bytes
    status = fields.CharField(max_length=16, default="collecting")  # collecting, submitting, recorded
    # Signatures needed before the worker submits the aggregate on its own (attestationSubmit may ask sooner).
    threshold = fields.SmallIntField(default=1, ge=1, le=16)
    attempts = fields.IntField(default=0)  # submissions tried by the worker (an outage delays, never drops)
    last_error = fields.TextField(default="")
    # What went on chain, kept as sent: the aggregate (96-byte G2, hex) and the parties it aggregates, in
    # the order of the contract's signer list. A party revoked later does not change what was recorded.
    aggregate = fields.CharField(max_length=192, default="")
    signer_party_ids: list[int] = fields.JSONField(default=list)
    tx_hash = fields.CharField(max_length=66, null=True)
    block_number = fields.BigIntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "attestation"


class AttestationSignature(Model):
    id = fields.IntField(primary_key=True)
    attestation: fields.ForeignKeyRelation[Attestation] = fields.ForeignKeyField(
        "lotline.Attestation", related_name="signatures", on_delete=fields.CASCADE
    )
    attestation_id: int
    party: fields.ForeignKeyRelation[Party] = fields.ForeignKeyField(
        "lotline.Party", related_name="signatures", on_delete=fields.RESTRICT
    )
    party_id: int
    signature = fields.CharField(max_length=192)  # 96-byte compressed G2, hex
    signed_at = fields.DatetimeField()

    class Meta:
        table = "attestation_signature"
        unique_together = (("attestation", "party"),)
