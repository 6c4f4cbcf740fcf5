"""A batch's anchored history co-signed by its supplier, an inspector and a carrier, recorded on Anvil."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from py_ecc.bls import G2ProofOfPossession as bls  # noqa: N813 - the scheme, as py-ecc names it

from chain import anvil, attestation
from chain.attestation_client import AttestationRegistryClient
from domain.anchoring.models import Anchor
from domain.attestations import evidence, services
from domain.attestations.models import Attestation
from domain.common.errors import ValidationError
from tests import factories as f

NOW = datetime.now(UTC)


def keypair(seed: int) -> tuple[int, str, str]:
    sk = bls.KeyGen(seed.to_bytes(32, "big"))
    return sk, bls.SkToPk(sk).hex(), bls.PopProve(sk).hex()


async def anchored_batch(anchorer) -> int:
    wh, sku, supplier = await f.make_warehouse(), await f.make_sku(), await f.make_supplier()
    lot = await f.receive(sku, wh, supplier, Decimal(5))
    for _ in range(10):
        await anchorer.run_round(force=True)
        if await Anchor.filter(status="confirmed").exists():
            break
    return lot.batch_id


async def test_three_parties_co_sign_a_batch_and_the_aggregate_is_recorded_on_chain(
    db, chain, anchorer
) -> None:
    batch_id = await anchored_batch(anchorer)
    reg = await AttestationRegistryClient.deploy(chain.url, anvil.DEV_ACCOUNT_KEY)
    seeds = {"supplier": 11, "inspector": 12, "carrier": 13}
    parties = {}
    for role, seed in seeds.items():
        sk, pk, pop = keypair(seed + int(NOW.timestamp()))
        party = await services.party_register(f"{role} {f.code('P')}", role, pk, pop, NOW)
        await reg.register_key(attestation.g1_eip2537(bytes.fromhex(pk)))
        parties[role] = (sk, party)
    att = await services.attestation_open(batch_id, "cold_chain", reg.chain_id, reg.address, NOW, threshold=3)
    message = bytes.fromhex(att.message)
    assert message == await reg.message(
        batch_id.to_bytes(32, "big"), bytes.fromhex(att.root[2:]), b"cold_chain".ljust(32, b"\0"), att.time
    )
    _, carrier = parties["carrier"]
    with pytest.raises(ValidationError, match="does not verify"):  # signed by someone else's key
        await services.attestation_sign(
            att.id, carrier.id, bls.Sign(parties["supplier"][0], message).hex(), NOW
        )
    for sk, party in parties.values():
        await services.attestation_sign(att.id, party.id, bls.Sign(sk, message).hex(), NOW)
    agg = await services.aggregate(att.id)
    receipt = await reg.attest(
        batch_id.to_bytes(32, "big"),
        bytes.fromhex(att.root[2:]),
        b"cold_chain".ljust(32, b"\0"),
        att.time,
        agg.key_ids,
        attestation.g2_eip2537(agg.signature),
    )
    await services.recorded(att.id, receipt.tx_hash, receipt.block_number, agg)
    assert (await Attestation.get(id=att.id)).status == "recorded"
    proofs = await evidence.recorded_proofs(batch_id)
    assert [sorted(s.role for s in p.signers) for p in proofs] == [["carrier", "inspector", "supplier"]]


async def test_a_key_without_its_proof_and_a_batch_without_an_anchor_are_refused(db) -> None:
    sk, pk, _ = keypair(99)
    _, _, other_pop = keypair(98)
    with pytest.raises(ValidationError, match="proof of possession"):
        await services.party_register("x", "carrier", pk, other_pop, NOW)
    wh, sku, supplier = await f.make_warehouse(), await f.make_sku(), await f.make_supplier()
    lot = await f.receive(sku, wh, supplier, Decimal(1))
    with pytest.raises(ValidationError, match="no confirmed anchored event"):
        await services.attestation_open(lot.batch_id, "origin", 1, "0x" + "11" * 20, NOW)
    assert sk
