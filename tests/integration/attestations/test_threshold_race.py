"""Two parties' signatures that reach the threshold together, on PostgreSQL: both are kept and the
submission is queued exactly once (the attestation row is locked while a signature is counted)."""

import asyncio
from datetime import UTC, datetime

from chain import anvil
from chain.attestation_client import AttestationRegistryClient
from domain.attestations import commands, services
from domain.attestations.models import Attestation, AttestationSignature
from domain.common.models import OutboxMessage
from tests.integration.attestations.world import anchored_batch, new_key


async def test_two_signatures_reaching_the_threshold_together_queue_one_submission(
    db, chain, anchorer
) -> None:
    reg = await AttestationRegistryClient.deploy(chain.url, anvil.DEV_ACCOUNT_KEY)
    batch = await anchored_batch(anchorer)
    now = datetime.now(UTC)
    att = await services.attestation_open(
        batch.batch_id, "qc_verdict", reg.chain_id, reg.address, now, threshold=2
    )
    signers = []
    for i in range(3):
        key = new_key()
        party = await services.party_register(f"race {i}", "inspector", key.public, key.proof, now)
        signers.append((party.id, key.sign(att.message)))
    await services.attestation_sign(att.id, signers[0][0], signers[0][1], now)  # 1 of 2

    results = await asyncio.gather(
        *(commands.sign_attestation(att.id, pid, sig, now) for pid, sig in signers[1:]),
        return_exceptions=True,
    )

    kept = await AttestationSignature.filter(attestation_id=att.id).count()
    rows = await OutboxMessage.filter(topic="attestations.submit").values_list("payload", flat=True)
    queued = sum(1 for p in rows if p == {"attestation_id": att.id})
    # The second to arrive finds the attestation no longer collecting: refused, not counted twice.
    refused = [r for r in results if isinstance(r, Exception)]
    assert (await Attestation.get(id=att.id)).status == "submitting"
    assert queued == 1
    assert kept == 2
    assert [type(r).__name__ for r in refused] == ["NotFound"]
