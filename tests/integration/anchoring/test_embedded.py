"""`make run`: the SQLite demo starts its own chain and anchors its postings in-process."""

import asyncio
import contextlib
import contextvars
import json
import sqlite3
import time
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from chain import anvil
from chain.client import AnchorRegistryClient
from domain.anchoring import services
from domain.trace.models import TraceEvent
from lotline import cli
from lotline.cli import database, run_migrations
from lotline.config import Settings
from tests import factories
from tests.integration.anchoring.checks import assert_anchored_exactly_once
from tests.integration.anchoring.conftest import TEST_CONFIG
from workers import embedded

DEMO = Settings(database_url="sqlite://var/lotline.sqlite3")  # as `make run`: no chain, no broker
CONFIG = TEST_CONFIG.model_copy(update={"tick_seconds": 0.2})


async def post_receipts(count: int) -> list[int]:
    """``count`` goods receipts (real postings); the ids of the trace events they recorded."""
    before = set(await TraceEvent.all().values_list("id", flat=True))
    wh, supplier = await factories.make_warehouse(), await factories.make_supplier()
    for _ in range(count):
        await factories.receive(await factories.make_sku(), wh, supplier, Decimal(10))
    events = sorted(set(await TraceEvent.all().values_list("id", flat=True)) - before)
    assert len(events) >= count
    return events  # type: ignore[return-value]


async def wait_anchored(event_ids: list[int], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(s.anchored for s in (await services.anchor_status_of_events(event_ids)).values()):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"events {event_ids} not anchored within {seconds}s")


def test_the_demo_settings_start_a_local_chain_and_production_ones_do_not():
    assert embedded.mode_of(DEMO) is embedded.Mode.LOCAL_CHAIN
    assert embedded.mode_of(DEMO.model_copy(update={"redis_url": "redis://r"})) is embedded.Mode.OFF
    postgres = DEMO.model_copy(update={"database_url": "postgres://db/lotline"})
    assert embedded.mode_of(postgres) is embedded.Mode.OFF  # never a dev chain for a real database
    chain = {"chain_rpc_url": "http://node:8545", "chain_contract_address": "0x" + "11" * 20}
    assert embedded.mode_of(postgres.model_copy(update=chain)) is embedded.Mode.IN_PROCESS


async def test_the_demo_anchors_its_postings_and_a_restart_reuses_the_registry_from_the_state_file(
    sqlite_db, tmp_path
):
    var = tmp_path / "var"
    port = anvil.free_port()
    async with embedded.anchoring(DEMO, var_dir=var, config=CONFIG, port=port) as running:
        assert running is not None
        assert running.mode is embedded.Mode.LOCAL_CHAIN
        assert running.chain is not None
        assert running.chain.deployed
        first_address = running.chain.address
        url = running.chain.url
        first = await post_receipts(2)
        await wait_anchored(first)
        async with await AnchorRegistryClient.connect(url, first_address) as registry:
            await assert_anchored_exactly_once(first, registry)
    # Stopped: Anvil has exited and written its state; the address is remembered beside it.
    assert running.chain.node.process.poll() is not None
    assert (var / embedded.STATE_FILE).is_file()
    remembered = json.loads((var / embedded.CHAIN_FILE).read_text())
    assert remembered["address"] == first_address
    assert remembered["chainId"] == 31337

    async with embedded.anchoring(DEMO, var_dir=var, config=CONFIG, port=port) as again:
        assert again is not None
        assert again.chain is not None
        assert not again.chain.deployed  # connected to the registry in the state file, bytecode checked
        assert again.chain.address == first_address
        second = await post_receipts(1)
        await wait_anchored(second)
        async with await AnchorRegistryClient.connect(url, first_address) as registry:
            # The first run's anchors came back with the chain's state: all still on chain, and chained on.
            await assert_anchored_exactly_once(first + second, registry)
            newest, *older = await services.list_anchors()
            assert newest.previous_root == max(older, key=lambda a: a.block_number or 0).root


async def test_a_lost_chain_state_gets_a_new_registry_and_the_events_anchored_again(sqlite_db, tmp_path):
    var = tmp_path / "var"
    async with embedded.anchoring(DEMO, var_dir=var, config=CONFIG) as running:
        assert running is not None
        assert running.chain is not None
        events = await post_receipts(1)
        await wait_anchored(events)
    (var / embedded.STATE_FILE).unlink()  # `rm var/anvil-state.json`: the chain starts empty

    async with embedded.anchoring(DEMO, var_dir=var, config=CONFIG) as again:
        assert again is not None
        assert again.chain is not None
        assert again.chain.deployed
        # The check sees the roots gone, drops their anchors and anchors the events again on the new chain.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            anchors = await services.list_anchors()
            if any(a.status == "dropped" for a in anchors) and any(a.status == "confirmed" for a in anchors):
                break
            await asyncio.sleep(0.1)
        await wait_anchored(events)
        async with await AnchorRegistryClient.connect(again.chain.url, again.chain.address) as registry:
            await assert_anchored_exactly_once(events, registry)


async def test_no_chain_binary_means_the_demo_serves_without_anchoring(tmp_path, monkeypatch):
    def missing(*args: object, **kwargs: object) -> anvil.Anvil:
        raise FileNotFoundError("npm")

    monkeypatch.setattr(anvil.Anvil, "start", missing)
    async with embedded.anchoring(DEMO, var_dir=tmp_path / "var", config=CONFIG) as running:
        assert running is None


def _confirmed_count(db_file: Path) -> int:
    # The test's own read of the server's SQLite file (the server holds Tortoise in its own thread and loop).
    with contextlib.closing(sqlite3.connect(db_file)) as conn:
        sql = "SELECT count(*) FROM event_anchor ea JOIN anchor a ON a.id = ea.anchor_id WHERE a.status = ?"
        return int(conn.execute(sql, ("confirmed",)).fetchone()[0])


def _serve_until(db_file: Path, settings: Settings, confirmed: int) -> tuple[int, str]:
    """The app of `lotline serve` through its lifespan, as uvicorn runs it (Tortoise global, its own loop)."""

    async def serve() -> tuple[int, str]:
        app = cli._serve_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://demo") as client:
                assert (await client.get("/healthz")).status_code == 200
            for _ in range(300):  # 30 s
                if (count := _confirmed_count(db_file)) >= confirmed:
                    break
                await asyncio.sleep(0.1)
            url = json.loads((Path("var") / embedded.CHAIN_FILE).read_text())["rpcUrl"]
            return count, str(anvil.rpc(url, "eth_chainId"))

    return asyncio.run(serve())


async def test_lotline_serve_runs_the_chain_and_the_anchoring_in_the_apps_lifespan(tmp_path, monkeypatch):
    # The app `lotline serve` runs for `make run`, with var/ under tmp_path; events posted before it starts.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOTLINE_ANCHOR_MAX_WAIT_SECONDS", "0")
    monkeypatch.setenv("LOTLINE_ANCHOR_TICK_SECONDS", "0.2")
    db_file = tmp_path / "demo.sqlite3"
    settings = Settings(database_url=f"sqlite://{db_file}")
    await run_migrations(settings)
    async with database(settings):
        events = await post_receipts(2)

    # An empty context: the server must not see the test session's Tortoise context (the PostgreSQL one).
    count, chain_id = await asyncio.to_thread(
        contextvars.Context().run, _serve_until, db_file, settings, len(events)
    )

    assert count == len(events)
    assert int(chain_id, 16) == 31337
    remembered = json.loads((tmp_path / "var" / embedded.CHAIN_FILE).read_text())
    assert (tmp_path / "var" / embedded.STATE_FILE).is_file()
    with pytest.raises(OSError, match=r"(?i)connection refused"):  # the shutdown stopped the node
        anvil.rpc(remembered["rpcUrl"], "eth_chainId")
    async with database(settings):
        statuses = await services.anchor_status_of_events(events)
    assert all(s.anchored for s in statuses.values())
