"""The public provenance page says "共同签署 co-signed by …" with each party's public name and role, at a
phone's 390 px in Chromium, computed from the proof and the chain: a recorded flag whose aggregate does not
verify shows nothing."""

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import async_playwright

from bench.harness import uvicorn_server
from chain import anvil
from chain.attestation_client import AttestationRegistryClient
from domain.attestations.models import Attestation
from domain.provenance import services as provenance
from tests.integration.anchoring.conftest import anchorer, chain, registry  # noqa: F401
from tests.integration.attestations.world import queued_attestation
from workers.attestations import Submitter

PHONE = {"width": 390, "height": 844}


@pytest.fixture
async def chain_server(db, pg_url, chain, registry) -> AsyncIterator[str]:  # noqa: F811
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LOTLINE_CHAIN_RPC_URL", chain.url)
        mp.setenv("LOTLINE_CHAIN_CONTRACT_ADDRESS", registry.address)
        mp.setenv("LOTLINE_PROVENANCE_PAGE_CACHE_SECONDS", "0")
        async with uvicorn_server(pg_url, pool_max=5) as base:
            yield base


async def test_the_page_names_the_co_signers_on_a_phone_and_only_if_the_signatures_verify(
    chain_server: str,
    chain,  # noqa: F811
    anchorer,  # noqa: F811
    chromium: str,
    tmp_path,
) -> None:
    reg = await AttestationRegistryClient.deploy(chain.url, anvil.DEV_ACCOUNT_KEY)
    att_id = await queued_attestation(anchorer, reg, 2)
    await reg.close()
    await Submitter.for_registry(chain.url, reg.address, anvil.DEV_ACCOUNT_KEY).submit(att_id)
    att = await Attestation.get(id=att_id)
    code = await provenance.public_code_for(att.batch_id)

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = await (await browser.new_context(viewport=PHONE, is_mobile=True)).new_page()
        await page.goto(f"{chain_server}/p/{code}")
        text = " ".join((await page.inner_text("#cosigned")).split())
        await page.screenshot(path=tmp_path / "cosigned-390.png", full_page=True)
        width = await page.evaluate("document.documentElement.scrollWidth")

        # The stored aggregate altered (a row edited behind the chain's back): the page shows no co-signature.
        other = "a0" + att.aggregate[2:] if att.aggregate[:2] != "a0" else "b0" + att.aggregate[2:]
        await Attestation.filter(id=att_id).update(aggregate=other)
        # A fresh context: the page is served with max-age=60, the first one would reuse its copy.
        page = await (await browser.new_context(viewport=PHONE, is_mobile=True)).new_page()
        await page.goto(f"{chain_server}/p/{code}")
        after = await page.locator("#cosigned").count()
        await browser.close()

    assert "产地 origin" in text
    assert "共同签署 co-signed by 质检方 0 (检验方 inspector)、质检方 1 (检验方 inspector)" in text
    assert "链上已验证 verified on chain" in text
    assert width <= PHONE["width"]
    assert after == 0
