"""The worker's submission on Anvil: the threshold queues it, an outage delays it (attempts counted, the
attestation kept ``submitting``), the sweep records it later, and a retry after a lost reply adopts the
``Attested`` event already on chain instead of sending it twice."""

import pytest

from chain import anvil
from chain.attestation_client import AttestationRegistryClient
from domain.attestations.models import Attestation
from tests.integration.attestations.world import queued_attestation
from workers.attestations import Submitter


async def test_an_outage_delays_the_submission_and_a_later_sweep_records_it(db, chain, anchorer) -> None:
    reg = await AttestationRegistryClient.deploy(chain.url, anvil.DEV_ACCOUNT_KEY)
    att_id = await queued_attestation(anchorer, reg, 2)
    assert (await Attestation.get(id=att_id)).status == "submitting"

    async def down() -> AttestationRegistryClient:
        raise ConnectionError("chain unreachable")

    with pytest.raises(ConnectionError):
        await Submitter(down).submit(att_id)
    assert await Submitter(down).sweep() == 0
    row = await Attestation.get(id=att_id)
    assert (row.status, row.attempts) == ("submitting", 2)
    assert row.last_error == "ConnectionError: chain unreachable"

    up = Submitter.for_registry(chain.url, reg.address, anvil.DEV_ACCOUNT_KEY)
    assert await up.sweep() == 1
    row = await Attestation.get(id=att_id)
    assert (row.status, row.last_error) == ("recorded", "")
    assert len(await reg.signers_of(row.tx_hash or "") or []) == 2


async def test_a_retry_after_a_lost_reply_adopts_the_event_on_chain(db, chain, anchorer) -> None:
    reg = await AttestationRegistryClient.deploy(chain.url, anvil.DEV_ACCOUNT_KEY)
    att_id = await queued_attestation(anchorer, reg, 1)
    up = Submitter.for_registry(chain.url, reg.address, anvil.DEV_ACCOUNT_KEY)
    assert await up.submit(att_id) is True
    first = await Attestation.get(id=att_id)
    # The database update after the transaction was lost: the attestation is still queued.
    await Attestation.filter(id=att_id).update(status="submitting", tx_hash=None, block_number=None)
    assert await up.submit(att_id) is True
    again = await Attestation.get(id=att_id)
    assert (again.tx_hash, again.block_number) == (first.tx_hash, first.block_number)
    logs = await reg.contract.events.Attested.get_logs(from_block=0)
    assert len(logs) == 1
