"""`lotline serve` without Redis (the SQLite demo): the local chain carries an AttestationRegistry too,
attestations are opened on it, and the in-process path records an aggregate once its threshold is reached;
a restart reuses the remembered registry."""

import asyncio
import json
import time
from datetime import UTC, datetime

from chain import anvil
from chain.attestation_client import AttestationRegistryClient
from domain.attestations import services
from domain.attestations.models import Attestation
from lotline import chainview
from tests.integration.anchoring.test_embedded import CONFIG, DEMO, post_receipts, wait_anchored
from tests.integration.attestations.world import new_key
from workers import embedded


async def wait_recorded(attestation_id: int, seconds: float = 120) -> Attestation:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = await Attestation.get(id=attestation_id)
        if row.status == "recorded":
            return row
        await asyncio.sleep(0.2)
    raise AssertionError(f"attestation {attestation_id} not recorded within {seconds}s")


async def test_the_demo_records_a_co_signed_attestation_in_process(sqlite_db, tmp_path) -> None:
    var = tmp_path / "var"
    async with embedded.anchoring(DEMO, var_dir=var, config=CONFIG, port=anvil.free_port()) as running:
        assert running is not None
        assert running.chain is not None
        events = await post_receipts(1)
        await wait_anchored(events)
        target = await chainview.attestation_target(DEMO)
        assert target.address == running.chain.attestation_address
        batch_id = await _batch_of(events[0])
        now = datetime.now(UTC)
        att = await services.attestation_open(batch_id, "origin", target.chain_id, target.address, now)
        key = new_key()
        party = await services.party_register("合作社", "supplier", key.public, key.proof, now)
        await services.attestation_sign(att.id, party.id, key.sign(att.message), now)
        row = await wait_recorded(att.id)
        registry = await AttestationRegistryClient.connect(
            running.chain.url, running.chain.attestation_address, anvil.DEV_ACCOUNT_KEY
        )
        assert await registry.signers_of(row.tx_hash or "") == [bytes.fromhex(party.key_id[2:])]
        first = running.chain.attestation_address
    assert json.loads((var / embedded.CHAIN_FILE).read_text())["attestationAddress"] == first
    async with embedded.anchoring(DEMO, var_dir=var, config=CONFIG, port=anvil.free_port()) as again:
        assert again is not None
        assert again.chain is not None
        assert again.chain.attestation_address == first


async def _batch_of(event_id: int) -> int:
    from domain.trace.models import TraceEventBatch

    link = await TraceEventBatch.filter(event_id=event_id).first()
    assert link is not None
    return link.batch_id
