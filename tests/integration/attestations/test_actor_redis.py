"""The submission through the outbox relay and Dramatiq on the test Redis: the threshold's outbox row is
relayed to the ``attestations_submit`` actor, a chain outage on the first try is retried by Dramatiq with
backoff (an attempt counted, nothing dropped), and the aggregate ends up recorded on Anvil."""

import asyncio

from chain import anvil
from chain.attestation_client import AttestationRegistryClient
from domain.attestations.models import Attestation
from domain.common.models import OutboxMessage
from lotline.config import Settings
from tests.integration.attestations.world import queued_attestation
from workers import attestations, relay
from workers import broker as broker_mod
from workers.runtime import Runtime


async def test_the_actor_retries_through_an_outage_and_records_the_attestation(
    db, pg_url, redis_url, chain, anchorer
) -> None:
    reg = await AttestationRegistryClient.deploy(chain.url, anvil.DEV_ACCOUNT_KEY)
    att_id = await queued_attestation(anchorer, reg, 1)
    tries = []

    async def connect() -> AttestationRegistryClient:
        tries.append(1)
        if len(tries) == 1:
            raise ConnectionError("chain unreachable (first try)")
        return await AttestationRegistryClient.connect(chain.url, reg.address, anvil.DEV_ACCOUNT_KEY)

    settings = Settings(database_url=pg_url, redis_url=redis_url)
    broker = broker_mod.make_broker(settings)
    broker.flush(attestations.QUEUE)
    runtime = Runtime(settings).start()
    actor = attestations.declare_actor(broker, runtime, attestations.Submitter(connect))
    worker = broker_mod.make_worker(broker)
    worker.start()
    try:
        # Only this test's row: earlier tests of the session left theirs (no relay was running for them).
        rows = await OutboxMessage.filter(topic=attestations.TOPIC, relayed_at=None)
        mine = [r.id for r in rows if r.payload == {"attestation_id": att_id}]
        assert len(mine) == 1
        await OutboxMessage.filter(topic=attestations.TOPIC, relayed_at=None).exclude(id__in=mine).delete()
        assert await relay.relay_batch(lambda topic, payload: actor.send(payload), attestations.TOPICS) == 1
        await asyncio.to_thread(broker.join, attestations.QUEUE, timeout=120_000)
    finally:
        worker.stop()
        broker.close()
        runtime.stop()
    row = await Attestation.get(id=att_id)
    assert (row.status, row.attempts, len(tries)) == ("recorded", 1, 2)
    assert await reg.signers_of(row.tx_hash or "") is not None
    assert await OutboxMessage.filter(id__in=mine, relayed_at=None).count() == 0
