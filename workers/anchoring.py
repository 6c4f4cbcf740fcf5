"""The anchoring job: gather pending trace events into a Merkle root, commit it, follow it to confirmation.

A round (``Anchorer.run_round``), at most one at a time per process:
1. check the anchors in flight: submitted ones get confirmed once ``chain_confirmations`` blocks hold them;
   a root no longer on chain (reorg) is marked dropped and its events become pending again;
2. retry pending anchors: those this worker holds the lease of, then those whose lease lapsed (their worker
   died: ``domain.anchoring.leases``). A root already on chain (the previous try went through) is adopted,
   never sent twice;
3. if enough events wait (``min_events``) or the oldest waited ``max_wait_seconds``, claim them (up to
   ``max_events`` per root, leased for ``lease_seconds``) and send each root.
Beside the rounds, ``heartbeat_forever`` renews this worker's leases every ``heartbeat_seconds``, so a
killed worker's anchor is resumed by another within ``lease_seconds`` plus one tick.
``ChainUnavailable`` (node down) and ``BytecodeMismatch`` (no registry at the address) end the round:
everything stays as it was, for the next one; ``ChainHealth`` logs one line per change of that state.
"""

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import dramatiq
from pydantic_settings import BaseSettings, SettingsConfigDict

from chain.client import AnchorRegistryClient
from chain.errors import AnchorRejected, BytecodeMismatch, ChainUnavailable
from domain.anchoring import leases, rules, services
from domain.common.outbox import ANCHOR_TOPIC
from lotline.config import Settings
from workers.chain_health import ChainHealth, ChainState
from workers.runtime import Runtime

log = logging.getLogger(__name__)
ACTOR_NAME = "anchor_trace_events"
QUEUE = "anchoring"


class AnchoringConfig(BaseSettings):
    # TODO(lead): fold into lotline.config.Settings; kept here so this area edits no shared file.
    model_config = SettingsConfigDict(env_prefix="LOTLINE_ANCHOR_", extra="ignore")

    min_events: int = 500  # anchor as soon as this many events wait...
    max_wait_seconds: float = 10.0  # ...or once the oldest has waited this long
    max_events: int = 10_000  # leaves per root
    lease_seconds: float = 15.0  # a claimed anchor is another worker's to send once its lease lapses...
    heartbeat_seconds: float = 5.0  # ...which its live owner renews this often (keep it under the lease)
    reorg_window_blocks: int = 64  # confirmed anchors are re-checked while this close to the head
    tick_seconds: float = 2.0  # how often the worker runs a round without being asked
    poll_interval: float = 0.5
    receipt_timeout: float = 120.0


@dataclass
class RoundResult:
    confirmed: int = 0
    dropped: int = 0
    adopted: int = 0
    resumed: int = 0  # pending anchors taken over from a worker whose lease lapsed
    anchors_sent: int = 0
    events_claimed: int = 0
    chain_unavailable: bool = False
    skipped: bool = False
    errors: list[str] = field(default_factory=list)


ClientFactory = Callable[[], Awaitable[AnchorRegistryClient]]


def _hex(value: bytes) -> str:
    return "0x" + value.hex()


def new_owner_id() -> str:
    """This worker's lease owner name: host, process and a random part (a restarted pid is another owner)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class Anchorer:
    def __init__(
        self,
        connect: ClientFactory,
        config: AnchoringConfig,
        *,
        confirmations: int = 1,
        url: str = "",
        address: str = "",
        owner: str | None = None,
    ) -> None:
        self._connect = connect
        self.config = config
        self.confirmations = confirmations
        self._client: AnchorRegistryClient | None = None
        self._lock = asyncio.Lock()
        self.owner = owner or new_owner_id()
        self.health = ChainHealth(url, address, log)

    @classmethod
    def from_settings(cls, settings: Settings, config: AnchoringConfig | None = None) -> "Anchorer":
        config = config or AnchoringConfig()

        async def connect() -> AnchorRegistryClient:
            return await AnchorRegistryClient.connect(
                settings.chain_rpc_url,
                settings.chain_contract_address,
                settings.chain_private_key.get_secret_value() or None,
                confirmations=1,  # inclusion; more confirmations are counted by the round, reorgs included
                poll_interval=config.poll_interval,
                receipt_timeout=config.receipt_timeout,
            )

        return cls(
            connect,
            config,
            confirmations=settings.chain_confirmations,
            url=settings.chain_rpc_url,
            address=settings.chain_contract_address,
        )

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.config.lease_seconds)

    async def client(self) -> AnchorRegistryClient:
        if self._client is None:
            self._client = await self._connect()
        return self._client

    async def reset_client(self) -> None:
        # A fresh client also forgets its cached nonce, which a reorg or a restarted node may have undone.
        if self._client is not None:
            client, self._client = self._client, None
            try:
                await client.close()
            except Exception:
                log.debug("closing the chain client failed", exc_info=True)

    async def close(self) -> None:
        await self.reset_client()

    async def heartbeat(self) -> int:
        """Renews the lease of every pending anchor this worker holds; returns how many."""
        return await leases.renew(self.owner, self.lease)

    async def heartbeat_forever(self) -> None:
        """Heartbeats until cancelled; a failed one (database away) is logged once until one succeeds."""
        failing = False
        while True:
            try:
                await self.heartbeat()
                if failing:
                    log.info("anchor lease heartbeat working again")
                failing = False
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if not failing:
                    log.warning("anchor lease heartbeat failed (retrying): %s", exc)
                failing = True
            await asyncio.sleep(self.config.heartbeat_seconds)

    async def run_round(self, *, force: bool = False) -> RoundResult:
        """One round (see the module doc). ``force`` anchors whatever is pending, ignoring the thresholds."""
        result = RoundResult()
        if self._lock.locked():
            result.skipped = True
            return result
        async with self._lock:
            try:
                # Each step asks for the client again: a check that saw a reorg replaces it.
                client = await self.client()
                self.health.observe(ChainState.UP, chain_id=client.chain_id)
                await self._check(client, result)
                await self._retry_pending(await self.client(), result)
                await self._anchor_new(await self.client(), result, force=force)
                await self._check(await self.client(), result)
            except ChainUnavailable as exc:
                self.health.observe(ChainState.DOWN, str(exc))
                result.chain_unavailable = True
                await self.reset_client()
            except BytecodeMismatch as exc:
                self.health.observe(ChainState.MISSING, str(exc))
                result.chain_unavailable = True
                await self.reset_client()
        return result

    async def _check(self, client: AnchorRegistryClient, result: RoundResult) -> None:
        head = await client.block_number()
        dropped = False
        for anchor in await services.anchors_to_check(
            client.chain_id, client.address, head, self.config.reorg_window_blocks
        ):
            assert anchor.block_number is not None
            info = await client.get_anchor(rules.unhex(anchor.root))
            verdict = rules.judge_on_chain(
                anchor.block_number, info.block_number if info else None, head, self.confirmations
            )
            if verdict is rules.ChainVerdict.DROPPED:
                count = await services.mark_dropped(anchor.anchor_id)
                log.warning(
                    "anchor %s (%s) left the chain; %d events pending again",
                    anchor.anchor_id,
                    anchor.root,
                    count,
                )
                result.dropped += 1
                dropped = True
            elif verdict is rules.ChainVerdict.MOVED:
                await self._adopt(client, anchor.anchor_id, anchor.root)
            elif verdict is rules.ChainVerdict.CONFIRM and anchor.status == rules.AnchorState.SUBMITTED:
                await services.record_confirmed(anchor.anchor_id)
                result.confirmed += 1
        if dropped:
            await self.reset_client()

    async def _retry_pending(self, client: AnchorRegistryClient, result: RoundResult) -> None:
        for anchor in await leases.held(self.owner, client.chain_id, client.address):
            await self._send(client, anchor.anchor_id, anchor.root, anchor.leaf_count, result)
        taken = await leases.take_over(self.owner, client.chain_id, client.address, self.lease)
        for anchor, previous in taken:
            log.info("anchor %s: lease of %s lapsed, resuming it", anchor.anchor_id, previous or "nobody")
            result.resumed += 1
            await self._send(client, anchor.anchor_id, anchor.root, anchor.leaf_count, result)

    async def _anchor_new(self, client: AnchorRegistryClient, result: RoundResult, *, force: bool) -> None:
        summary = await services.pending_summary()
        age = 0.0
        if summary.oldest_created_at is not None:
            age = (datetime.now(UTC) - summary.oldest_created_at).total_seconds()
        if not force and not rules.should_anchor(
            summary.count,
            age,
            min_events=self.config.min_events,
            max_wait_seconds=self.config.max_wait_seconds,
        ):
            return
        while True:
            claimed = await services.claim_pending(
                self.config.max_events,
                chain_id=client.chain_id,
                contract=client.address,
                owner=self.owner,
                lease=self.lease,
            )
            if claimed is None:
                return
            result.events_claimed += claimed.leaf_count
            await self._send(client, claimed.anchor_id, claimed.root, claimed.leaf_count, result)
            if claimed.leaf_count < self.config.max_events:
                return

    async def _send(
        self, client: AnchorRegistryClient, anchor_id: int, root: str, leaf_count: int, result: RoundResult
    ) -> None:
        """Commit a pending anchor's root, or adopt it if it is on chain already (a retry after a crash)."""
        root_bytes = rules.unhex(root)
        if await client.get_anchor(root_bytes) is None:
            previous = await services.previous_root(client.chain_id, client.address)
            try:
                receipt = await client.anchor(root_bytes, leaf_count, rules.unhex(previous))
            except AnchorRejected as exc:
                if exc.reason != "AlreadyAnchored":
                    log.error("anchor %s rejected: %s", anchor_id, exc)
                    result.errors.append(f"{anchor_id}: {exc}")
                    return
            else:
                await services.record_submitted(
                    anchor_id,
                    tx_hash=_hex(receipt.tx_hash),
                    block_number=receipt.block_number,
                    block_hash=_hex(receipt.block_hash),
                    previous_root=previous,
                )
                result.anchors_sent += 1
                return
        await self._adopt(client, anchor_id, root)
        result.adopted += 1

    async def _adopt(self, client: AnchorRegistryClient, anchor_id: int, root: str) -> None:
        """Record where the chain holds ``root`` (block from ``anchors(root)``, transaction from its log)."""
        root_bytes = rules.unhex(root)
        info = await client.get_anchor(root_bytes)
        if info is None:
            return  # gone meanwhile: the next check drops it or the next retry sends it
        logs = await client.get_logs(info.block_number, info.block_number)
        entry = next((e for e in logs if e.root == root_bytes), None)
        if entry is None:
            raise ChainUnavailable(f"no Anchored log for {root} in block {info.block_number}")
        await services.record_submitted(
            anchor_id,
            tx_hash=_hex(entry.tx_hash),
            block_number=info.block_number,
            block_hash=None,
            previous_root=_hex(entry.previous_root),
        )


def declare_actor(
    broker: dramatiq.Broker, runtime: Runtime, anchorer: Anchorer
) -> "dramatiq.Actor[Any, Any]":
    """The actor for ``trace.anchor`` outbox messages: each one is a nudge to run a round (cheap if below
    the thresholds); the event itself is found in the database, so a lost message loses nothing."""

    def anchor_trace_events(payload: dict[str, Any]) -> None:
        runtime.run(anchorer.run_round())

    return dramatiq.Actor(
        anchor_trace_events,
        broker=broker,
        actor_name=ACTOR_NAME,
        queue_name=QUEUE,
        priority=0,
        options={"max_retries": 0},
    )


TOPICS = (ANCHOR_TOPIC,)
