"""Shared steps of the attestation tests: an anchored batch, parties' keys (held by the test, as a browser
or an HSM would hold them), the registry on Anvil."""

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from py_ecc.bls import G2ProofOfPossession as bls  # noqa: N813 - the scheme, as py-ecc names it

from chain.attestation_client import AttestationRegistryClient
from domain.anchoring.models import Anchor
from domain.attestations import services
from tests import factories as f


@dataclass(frozen=True)
class Key:
    secret: int
    public: str  # hex
    proof: str  # hex PopProve

    def sign(self, message_hex: str) -> str:
        return bytes(bls.Sign(self.secret, bytes.fromhex(message_hex))).hex()


def new_key() -> Key:
    sk = bls.KeyGen(os.urandom(32))
    return Key(sk, bytes(bls.SkToPk(sk)).hex(), bytes(bls.PopProve(sk)).hex())


@dataclass(frozen=True)
class AnchoredBatch:
    batch_id: int
    supplier_id: int
    supplier_code: str


async def anchored_batch(anchorer) -> AnchoredBatch:
    """A received lot whose receipt event is anchored and confirmed on the test chain."""
    wh, sku, supplier = await f.make_warehouse(), await f.make_sku(), await f.make_supplier()
    lot = await f.receive(sku, wh, supplier, Decimal(5))
    for _ in range(10):
        await anchorer.run_round(force=True)
        if await Anchor.filter(status="confirmed").exists():
            break
    return AnchoredBatch(lot.batch_id, supplier.id, supplier.code)


async def queued_attestation(
    anchorer, registry: AttestationRegistryClient, signers: int, *, name_public: bool = True
) -> int:
    """An attestation of a fresh anchored batch signed by ``signers`` inspectors: queued for the chain."""
    batch = await anchored_batch(anchorer)
    att = await services.attestation_open(
        batch.batch_id, "origin", registry.chain_id, registry.address, datetime.now(UTC), threshold=signers
    )
    for i in range(signers):
        key = new_key()
        party = await services.party_register(
            f"质检方 {i}", "inspector", key.public, key.proof, datetime.now(UTC), name_public=name_public
        )
        await services.attestation_sign(att.id, party.id, key.sign(att.message), datetime.now(UTC))
    return att.id
