"""Anchoring fixtures: a fresh Anvil and registry per test (tests stop, restart and reorganise it),
trace events with their outbox rows, and an ``Anchorer`` tuned for tests (no waiting thresholds)."""

import random
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from tortoise.transactions import in_transaction

from chain import anvil
from chain.client import AnchorRegistryClient
from domain.trace import recording
from workers.anchoring import Anchorer, AnchoringConfig

TEST_CONFIG = AnchoringConfig(
    min_events=1, max_wait_seconds=0, lease_seconds=0, poll_interval=0.05, receipt_timeout=10
)


@pytest.fixture
def chain(tmp_path: Path) -> Iterator[anvil.Anvil]:
    # A chain id of its own: every test deploys its registry at the same address (same deployer, nonce 0),
    # and anchors are scoped by (chain id, contract), so anchors of earlier tests stay out of this one.
    node = anvil.Anvil.start(
        state_file=tmp_path / "anvil-state.json", chain_id=random.randrange(10**6, 10**9)
    )
    yield node
    node.stop()


@pytest.fixture
async def registry(chain: anvil.Anvil) -> AsyncIterator[AnchorRegistryClient]:
    client = await AnchorRegistryClient.deploy(chain.url, anvil.DEV_ACCOUNT_KEY, poll_interval=0.05)
    async with client:
        yield client


def make_anchorer(url: str, address: str, confirmations: int = 1) -> Anchorer:
    async def connect() -> AnchorRegistryClient:
        return await AnchorRegistryClient.connect(
            url, address, anvil.DEV_ACCOUNT_KEY, poll_interval=0.05, receipt_timeout=10, retries=0
        )

    return Anchorer(connect, TEST_CONFIG, confirmations=confirmations, url=url, address=address)


@pytest.fixture
async def anchorer(chain: anvil.Anvil, registry: AnchorRegistryClient) -> AsyncIterator[Anchorer]:
    worker = make_anchorer(chain.url, registry.address)
    yield worker
    await worker.close()


def trace_event_body(tag: str) -> dict[str, object]:
    return {
        "type": "ObjectEvent",
        "eventID": f"ni:///sha-256;{uuid.uuid4().hex}{uuid.uuid4().hex}?ver=CBV2.0",
        "eventTime": "2026-01-02T03:04:05.000Z",
        "eventTimeZoneOffset": "+00:00",
        "action": "OBSERVE",
        "bizStep": "shipping",
        "epcList": [f"urn:epc:id:sgtin:0614141.107346.{tag}"],
    }


async def _make_events(count: int) -> list[int]:
    async with in_transaction():
        rows = [
            await recording.store_event(
                trace_event_body(uuid.uuid4().hex[:8]), doc_type="test", doc_id=None, links=[]
            )
            for _ in range(count)
        ]
    return [r.id for r in rows]


@pytest.fixture
def make_events(db: object) -> Callable[[int], Awaitable[list[int]]]:
    """``await make_events(5)``: five committed trace events (and their outbox rows); their ids."""
    return _make_events
