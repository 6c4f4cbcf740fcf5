"""Anchoring inside ``lotline serve`` when no broker is configured: the embedded demo anchors its own events.

What runs depends on the settings (``mode_of``):
- ``LOTLINE_REDIS_URL`` set: nothing here; ``lotline worker`` anchors.
- no broker, ``LOTLINE_CHAIN_RPC_URL`` and ``LOTLINE_CHAIN_CONTRACT_ADDRESS`` set: rounds in-process there.
- no broker, no chain, the SQLite demo database: a local Anvil as a child process (``make run``). Its state
  is kept in ``var/anvil-state.json`` (dumped every few seconds and on exit); the registry is deployed on the
  first start and its address kept in ``var/chain.json``; later starts connect and check the bytecode there,
  and deploy again if the chain lost it (state file deleted: anchors then fall off the chain, are dropped by
  the next round and their events anchored again).
A production database without a chain configured gets no dev chain: its events wait, pending, for one.

In-process anchoring is one task on the server's loop: a round every ``tick_seconds``, sooner when the outbox
relay hands on a ``trace.anchor`` row (which it marks relayed, so the outbox does not grow).
"""

import asyncio
import contextlib
import json
import logging
import os
import socket
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from chain import anvil
from chain.attestation_client import AttestationRegistryClient
from chain.client import AnchorRegistryClient
from chain.errors import BytecodeMismatch, ChainError
from lotline import chainview
from lotline.config import VAR_DIR, Settings
from workers import attestations, relay
from workers.anchoring import TOPICS, Anchorer, AnchoringConfig

log = logging.getLogger(__name__)

STATE_FILE = "anvil-state.json"
CHAIN_FILE = "chain.json"
DEMO_PORT = 8545  # Anvil's usual port when free, so `lotline verify --rpc http://127.0.0.1:8545` just works
STATE_INTERVAL_SECONDS = 5  # a killed server loses at most this much of the chain


class Mode(StrEnum):
    OFF = "off"
    IN_PROCESS = "in_process"
    LOCAL_CHAIN = "local_chain"


def mode_of(settings: Settings) -> Mode:
    if settings.redis_url:
        return Mode.OFF
    if settings.chain_rpc_url:
        if not settings.chain_contract_address:
            log.warning("LOTLINE_CHAIN_RPC_URL without LOTLINE_CHAIN_CONTRACT_ADDRESS: nothing is anchored")
            return Mode.OFF
        return Mode.IN_PROCESS
    if settings.database_url.startswith("sqlite://"):
        return Mode.LOCAL_CHAIN
    log.warning("no LOTLINE_CHAIN_RPC_URL: trace events are not anchored")
    return Mode.OFF


# ---- the local chain ----------------------------------------------------------------------------------


@dataclass
class LocalChain:
    node: anvil.Anvil
    address: str
    chain_id: int
    deployed: bool  # on this start (first start, or the chain had lost it)
    attestation_address: str = ""  # the AttestationRegistry beside it (co-signed attestations)

    @property
    def url(self) -> str:
        return self.node.url

    def settings_for(self, settings: Settings) -> Settings:
        return settings.model_copy(
            update={
                "chain_rpc_url": self.url,
                "chain_contract_address": self.address,
                "chain_attestation_address": self.attestation_address,
                "chain_private_key": SecretStr(anvil.DEV_ACCOUNT_KEY),
            }
        )

    async def stop(self) -> None:
        await asyncio.to_thread(self.node.stop)  # SIGINT: Anvil dumps its state file


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _start_node(var_dir: Path, port: int | None) -> anvil.Anvil:
    var_dir.mkdir(parents=True, exist_ok=True)
    state = var_dir / STATE_FILE
    port = port or (DEMO_PORT if _port_free(DEMO_PORT) else anvil.free_port())
    args = ("--state-interval", str(STATE_INTERVAL_SECONDS))
    try:
        return anvil.Anvil.start(port, state_file=state, extra_args=args)
    except RuntimeError:
        if not state.exists():
            raise
        # A state file Anvil cannot load (cut short by a crash): keep it aside and start an empty chain.
        aside = state.with_name(f"{state.name}.broken-{datetime.now(UTC):%Y%m%dT%H%M%S}")
        log.error("Anvil could not load %s; moved to %s, starting an empty chain", state, aside)
        state.rename(aside)
        return anvil.Anvil.start(port, state_file=state, extra_args=args)


def _read_chain_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_chain_file(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    os.replace(tmp, path)


async def _registry(url: str, chain_file: Path) -> tuple[str, int, bool]:
    """(address, chain id, deployed now): the remembered registry if its code is there, else a new one."""
    known = _read_chain_file(chain_file).get("address")
    if isinstance(known, str) and known:
        try:
            async with await AnchorRegistryClient.connect(url, known, retries=0) as client:
                return client.address, client.chain_id, False
        except BytecodeMismatch:
            log.warning("no registry at %s any more (%s deleted?): deploying a new one", known, STATE_FILE)
    async with await AnchorRegistryClient.deploy(url, anvil.DEV_ACCOUNT_KEY, retries=0) as client:
        log.info("AnchorRegistry deployed at %s (remembered in %s)", client.address, chain_file)
        return client.address, client.chain_id, True


async def _attestation_registry(url: str, known: object) -> str:
    """The remembered AttestationRegistry if its code is there, else a new one (its address)."""
    if isinstance(known, str) and known:
        with contextlib.suppress(LookupError):
            return (await AttestationRegistryClient.connect(url, known, anvil.DEV_ACCOUNT_KEY)).address
    client = await AttestationRegistryClient.deploy(url, anvil.DEV_ACCOUNT_KEY)
    log.info("AttestationRegistry deployed at %s", client.address)
    return client.address


async def start_local_chain(var_dir: Path = VAR_DIR, *, port: int | None = None) -> LocalChain:
    """Anvil with its state under ``var_dir``, and the registry on it (deployed on the first start)."""
    node = await asyncio.to_thread(_start_node, var_dir, port)
    try:
        address, chain_id, deployed = await _registry(node.url, var_dir / CHAIN_FILE)
        known = _read_chain_file(var_dir / CHAIN_FILE).get("attestationAddress")
        attestation_address = await _attestation_registry(node.url, known)
        # The URL too, for `lotline verify --rpc` and `cast` (the port is 8545 unless that was taken).
        _write_chain_file(
            var_dir / CHAIN_FILE,
            {
                "chainId": chain_id,
                "address": address,
                "rpcUrl": node.url,
                "attestationAddress": attestation_address,
            },
        )
    except BaseException:
        await asyncio.to_thread(node.stop)
        raise
    return LocalChain(node, address, chain_id, deployed, attestation_address)


# ---- in-process anchoring -----------------------------------------------------------------------------


async def anchor_forever(anchorer: Anchorer, tick_seconds: float) -> None:
    """Rounds until cancelled: every ``tick_seconds``, or as soon as the relay hands on an anchoring row."""
    loop = asyncio.get_running_loop()
    wake = asyncio.Event()

    def nudge(topic: str, payload: dict[str, Any]) -> None:  # called from the relay's thread
        loop.call_soon_threadsafe(wake.set)

    relaying = asyncio.create_task(relay.relay_forever(nudge, TOPICS), name="lotline-outbox-relay")
    heartbeat = asyncio.create_task(anchorer.heartbeat_forever(), name="lotline-anchor-leases")
    try:
        while True:
            wake.clear()
            try:
                await anchorer.run_round()
            except Exception:
                log.exception("anchoring round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), tick_seconds)
    finally:
        for task in (relaying, heartbeat):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


@dataclass
class Embedded:
    mode: Mode
    anchorer: Anchorer
    chain: LocalChain | None
    task: "asyncio.Task[None]"


async def _local_chain_or_none(var_dir: Path, port: int | None) -> LocalChain | None:
    try:
        return await start_local_chain(var_dir, port=port)
    except (OSError, subprocess.CalledProcessError, RuntimeError, TimeoutError, ChainError) as exc:
        # The demo still serves without a chain (npm missing, say); its events wait, pending.
        log.error("the local chain did not start, trace events are not anchored: %s", exc)
        return None


@contextlib.asynccontextmanager
async def anchoring(
    settings: Settings,
    *,
    var_dir: Path = VAR_DIR,
    config: AnchoringConfig | None = None,
    port: int | None = None,
) -> AsyncIterator[Embedded | None]:
    """For the server's lifespan (Tortoise open): what ``mode_of`` says; stops it all on the way out."""
    mode = mode_of(settings)
    chain = None
    if mode is Mode.LOCAL_CHAIN:
        chain = await _local_chain_or_none(var_dir, port)
        if chain is None:
            mode = Mode.OFF
        else:
            settings = chain.settings_for(settings)
            # pages and GraphQL verify against it, and attestations are opened on its registry
            chainview.use_local_chain(chain.url, chain.address, chain.attestation_address)
            log.info("local chain %s (id %s), AnchorRegistry %s", chain.url, chain.chain_id, chain.address)
    if mode is Mode.OFF:
        yield None
        return
    config = config or AnchoringConfig()
    anchorer = Anchorer.from_settings(settings, config)
    task = asyncio.create_task(anchor_forever(anchorer, config.tick_seconds), name="lotline-anchoring")
    submitter = attestations.Submitter.from_settings(settings)
    cosigning = (
        asyncio.create_task(
            attestations.submit_in_process(submitter, config.tick_seconds), name="lotline-attestations"
        )
        if submitter is not None
        else None
    )
    try:
        yield Embedded(mode, anchorer, chain, task)
    finally:
        for running in (task, cosigning):
            if running is None:
                continue
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running
        await anchorer.close()
        if chain is not None:
            chainview.use_local_chain(None)
            await chain.stop()
