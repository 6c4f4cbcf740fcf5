"""A supplier co-signs in Chromium (Playwright, Debian's Chromium) at 390 px: the browser makes the BLS key
with the vendored noble-curves, registers its public key with a proof of possession, signs the message the
portal shows, and the server verifies it (py-ecc); the secret key never appears in a request."""

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest
from playwright.async_api import async_playwright
from py_ecc.bls import G2ProofOfPossession as bls  # noqa: N813 - the scheme, as py-ecc names it

from bench.harness import uvicorn_server
from chain import anvil
from chain.attestation_client import AttestationRegistryClient
from domain.attestations import services
from domain.attestations.models import AttestationSignature, Party
from domain.partners import services as partners
from tests.integration.anchoring.conftest import anchorer, chain, registry  # noqa: F401
from tests.integration.attestations.world import anchored_batch

PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def portal_env() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LOTLINE_SECRET_KEY", "attest-browser-secret-0123456789abcdef")
        yield


@pytest.fixture(scope="module")
async def portal(db: object, pg_url: str, portal_env: None) -> AsyncIterator[str]:
    async with uvicorn_server(pg_url, pool_max=5) as base:
        yield base


async def test_a_supplier_registers_a_browser_key_and_co_signs_and_the_server_verifies(
    portal: str,
    chain,  # noqa: F811
    anchorer,  # noqa: F811
    chromium: str,
    tmp_path,
) -> None:
    batch = await anchored_batch(anchorer)
    reg = await AttestationRegistryClient.deploy(chain.url, anvil.DEV_ACCOUNT_KEY)
    user = await partners.create_user(
        f"att-{batch.supplier_code.lower()}", PASSWORD, "supplier", batch.supplier_code
    )
    att = await services.attestation_open(
        batch.batch_id, "origin", reg.chain_id, reg.address, datetime.now(UTC)
    )
    posted: list[str] = []

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = await (await browser.new_context(viewport=PHONE, is_mobile=True, locale="zh-CN")).new_page()
        page.on("request", lambda r: posted.append(r.post_data or "") if r.method == "POST" else None)
        await page.goto(f"{portal}/portal/login?next=/portal/attestations")
        await page.fill("#username", user.username)
        await page.fill("#password", PASSWORD)
        await page.click("button[type=submit]")
        await page.wait_for_selector("#attest[data-ready=true]")
        message = (await page.inner_text(f"#attestation-{att.id} .message")).strip()

        await page.click("#new-key button")
        await page.wait_for_selector("#attest-done")
        await page.wait_for_selector("#attest[data-ready=true]")
        secret = await page.evaluate(f"localStorage.getItem('lotline.attestation.secret.{user.username}')")
        await page.click(f"#attestation-{att.id} button")
        await page.wait_for_selector("#attest-done")
        done = await page.inner_text("#attest-done")
        width = await page.evaluate("document.documentElement.scrollWidth")
        await page.screenshot(path=tmp_path / "portal-cosign-390.png", full_page=True)
        await browser.close()

    party = await Party.get(supplier_id=batch.supplier_id, status="active")
    sig = await AttestationSignature.get(attestation_id=att.id, party_id=party.id)
    assert message == att.message
    assert "签名已提交并验证" in done
    assert bls.Verify(
        bytes.fromhex(party.public_key), bytes.fromhex(att.message), bytes.fromhex(sig.signature)
    )
    assert bytes(bls.SkToPk(int(secret, 16))).hex() == party.public_key  # the browser's key, not the server's
    assert re.fullmatch(r"[0-9a-f]{64}", secret)
    assert [body for body in posted if secret in body] == []
    assert width <= PHONE["width"]
