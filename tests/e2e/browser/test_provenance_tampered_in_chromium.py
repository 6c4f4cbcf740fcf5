"""A phone scanning a label after an insider edited an anchored reading sees the step flagged, in Chromium,
served by uvicorn reading the real chain (Anvil) and PostgreSQL."""

import asyncio
import os
import sys
from collections.abc import AsyncIterator

import httpx
import pytest
from tortoise import connections

from bench.harness import ROOT, free_port
from chain import anvil
from chain.client import AnchorRegistryClient
from domain.provenance import services
from domain.trace.models import TraceEvent, TraceEventBatch
from tests.e2e.browser.conftest import PHONE, run_chromium
from tests.e2e.browser.test_provenance_page_in_chromium import _Text
from tests.integration.anchoring.conftest import anchorer, chain, registry  # noqa: F401  (fixtures)
from tests.integration.provenance.conftest import make_story
from workers.anchoring import Anchorer


@pytest.fixture
async def chain_server(
    db: object,
    pg_url: str,
    chain: anvil.Anvil,  # noqa: F811
    registry: AnchorRegistryClient,  # noqa: F811
) -> AsyncIterator[str]:
    # As bench.harness.uvicorn_server, with the chain configured and more patience on a loaded machine.
    env = {
        **os.environ,
        "LOTLINE_DATABASE_URL": pg_url,
        "LOTLINE_DB_POOL_MAX": "5",
        "LOTLINE_CHAIN_RPC_URL": chain.url,
        "LOTLINE_CHAIN_CONTRACT_ADDRESS": registry.address,
    }
    port = free_port()
    args = ["-m", "uvicorn", "api.app:create_app", "--factory", "--port", str(port), "--log-level", "warning"]
    proc = await asyncio.create_subprocess_exec(sys.executable, *args, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(1200):
                try:
                    if (await client.get(f"{base}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            else:
                raise RuntimeError("uvicorn did not start in 120 s")
        yield base
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.wait(), timeout=20)


async def test_an_altered_reading_shows_altered_after_anchoring_on_a_phone(
    chain_server,
    chromium,
    tmp_path,
    anchorer: Anchorer,  # noqa: F811
):
    story = await make_story()
    code = await services.public_code_for(story.lot.batch_id)
    assert (await anchorer.run_round(force=True)).confirmed >= 1
    url = f"{chain_server}/p/{code}"
    clean = await run_chromium(chromium, tmp_path / "profile-clean", "--dump-dom", url)
    assert "全部记录已上链验证 every record verified on chain" in _Text.of(clean, "batch-state")
    pks = await TraceEventBatch.filter(batch_id=story.lot.batch_id).values_list("event_id", flat=True)
    cold = await TraceEvent.get(id__in=list(pks), biz_step="storing")
    await connections.get("default").execute_query(
        "UPDATE trace_event SET canonical = replace(canonical, '\"value\":3.5', '\"value\":99.9') "
        "WHERE id = $1",
        [cold.id],
    )

    dom = await run_chromium(chromium, tmp_path / "profile-dom", "--dump-dom", url)
    screenshot = tmp_path / "provenance-altered.png"
    await run_chromium(chromium, tmp_path / "profile-shot", PHONE, f"--screenshot={screenshot}", url)

    assert "⚠ 锚定后被修改 altered after anchoring" in _Text.of(dom, "batch-state")
    path = _Text.of(dom, "path")
    assert path.count("⚠ 锚定后被修改 altered after anchoring") == 1
    assert path.count("✓ 已上链验证 verified on chain") == 4
    altered = path.split("⚠ 锚定后被修改 altered after anchoring")[0].rsplit("verified on chain", 1)[-1]
    assert "温度 temperature: 99.9 °C" in altered  # the flag sits on the step that shows the edited value
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    print(f"screenshot: {screenshot}")
