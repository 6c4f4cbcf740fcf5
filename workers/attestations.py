"""The attestation job: send a co-signed attestation's aggregate to ``AttestationRegistry`` once its
threshold of signatures is reached (outbox topic ``attestations.submit``), with retries.

An outage delays, never drops: the outbox row is written with the signature that reached the threshold and
relayed only after commit; a failed submission counts an attempt, keeps the attestation ``submitting`` and
raises, so Dramatiq retries it with backoff; and a sweep (``sweep``, every ``tick_seconds`` in ``lotline
worker`` and in ``lotline serve``'s embedded path) submits whatever is still ``submitting`` after the
retries ran out or the broker lost the message. A retry first looks for the ``Attested`` event of the same
message, so an attestation whose reply was lost is adopted, not sent twice.

Keys: the registry only accepts signers whose key its owner registered; the operator registers a party's
key (its proof of possession was checked when the party registered) just before its first attestation.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import dramatiq

from chain import attestation as bls
from chain.attestation_client import AttestationRegistryClient
from domain.attestations import services
from domain.common import outbox
from lotline.config import Settings
from workers import relay
from workers.runtime import Runtime

log = logging.getLogger(__name__)
TOPIC = outbox.ATTESTATION_SUBMIT_TOPIC
TOPICS = (TOPIC,)
ACTOR_NAME = "attestations_submit"
QUEUE = "attestations"
Connect = Callable[[], Awaitable[AttestationRegistryClient]]


class Submitter:
    """Submits queued attestations through a registry client made by ``connect`` (per submission: a chain
    that was down comes back without restarting anything)."""

    def __init__(self, connect: Connect) -> None:
        self.connect = connect

    @classmethod
    def for_registry(cls, rpc_url: str, address: str, private_key: str) -> "Submitter":
        async def connect() -> AttestationRegistryClient:
            return await AttestationRegistryClient.connect(rpc_url, address, private_key)

        return cls(connect)

    @classmethod
    def from_settings(cls, settings: Settings) -> "Submitter | None":
        """None without ``LOTLINE_CHAIN_RPC_URL`` and ``LOTLINE_CHAIN_ATTESTATION_ADDRESS``."""
        if not settings.chain_rpc_url or not settings.chain_attestation_address:
            return None
        key = settings.chain_private_key.get_secret_value()
        return cls.for_registry(settings.chain_rpc_url, settings.chain_attestation_address, key)

    async def submit(self, attestation_id: int) -> bool:
        """Records one attestation on chain; False when there was nothing to do (recorded, unknown).

        Raises whatever failed (after counting the attempt), for the caller's retry."""
        try:
            due = await services.due(attestation_id)
            if due is None:
                return False
            client = await self.connect()
            try:
                if client.address.lower() != due.registry.lower():
                    raise RuntimeError(
                        f"attestation {attestation_id} names registry {due.registry}, not ours"
                    )
                receipt = await client.find_attested(
                    due.batch, due.root, due.claim, bytes(client.w3.keccak(due.message))
                )
                if receipt is None:
                    for key_id, key in zip(due.aggregate.key_ids, due.aggregate.public_keys, strict=True):
                        if not await client.key_registered(key_id):
                            await client.register_key(bls.g1_eip2537(key))
                    receipt = await client.attest(
                        due.batch,
                        due.root,
                        due.claim,
                        due.time,
                        due.aggregate.key_ids,
                        bls.g2_eip2537(due.aggregate.signature),
                    )
                await services.recorded(attestation_id, receipt.tx_hash, receipt.block_number, due.aggregate)
                log.info("attestation %s recorded in %s", attestation_id, receipt.tx_hash)
                return True
            finally:
                await client.close()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            attempts = await services.submission_failed(attestation_id, f"{type(exc).__name__}: {exc}")
            log.warning("attestation %s not submitted (attempt %d): %s", attestation_id, attempts, exc)
            raise

    async def sweep(self) -> int:
        """Submits every attestation still queued; returns how many were recorded (failures are logged)."""
        done = 0
        for attestation_id in await services.submitting_ids():
            with contextlib.suppress(Exception):  # counted and logged by submit; the next sweep retries
                done += await self.submit(attestation_id)
        return done


def declare_actor(
    broker: dramatiq.Broker, runtime: Runtime, submitter: Submitter
) -> "dramatiq.Actor[Any, Any]":
    """The ``attestations_submit`` actor: one attestation per message, retried by Dramatiq with backoff."""

    def attestations_submit(payload: dict[str, Any]) -> None:
        runtime.run(submitter.submit(int(payload["attestation_id"])))

    return dramatiq.Actor(
        attestations_submit,
        broker=broker,
        actor_name=ACTOR_NAME,
        queue_name=QUEUE,
        priority=20,
        options={"max_retries": 8, "min_backoff": 2_000, "max_backoff": 300_000},
    )


async def sweep_forever(submitter: Submitter, every_seconds: float) -> None:
    """The sweep every ``every_seconds`` until cancelled."""
    while True:
        try:
            await submitter.sweep()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("attestation sweep failed")
        await asyncio.sleep(every_seconds)


async def submit_in_process(submitter: Submitter, every_seconds: float) -> None:
    """``lotline serve`` without a broker: relayed rows wake the sweep at once, else it runs every tick."""
    loop = asyncio.get_running_loop()
    wake = asyncio.Event()

    def nudge(topic: str, payload: dict[str, Any]) -> None:  # from the relay's thread
        loop.call_soon_threadsafe(wake.set)

    relaying = asyncio.create_task(relay.relay_forever(nudge, TOPICS), name="lotline-attestation-relay")
    try:
        while True:
            wake.clear()
            try:
                await submitter.sweep()
            except Exception:
                log.exception("attestation sweep failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), every_seconds)
    finally:
        relaying.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await relaying
