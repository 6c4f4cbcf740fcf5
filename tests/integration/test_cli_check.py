"""`lotline check` on a live database: silent agreement, or every difference listed with exit 1."""

import asyncio
import os
import sys
from decimal import Decimal

from domain.inventory.models import SkuValuation
from tests import factories


async def test_check_agrees_on_consistent_books_and_lists_a_tampered_valuation(db, pg_url):
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    await factories.receive(sku, wh, await factories.make_supplier(), Decimal(5))
    clean_code, clean = await lotline_check(pg_url)
    assert clean_code == 0, clean
    assert "一致 / consistent" in clean

    valuation = await SkuValuation.get(sku_id=sku.id)
    await SkuValuation.filter(sku_id=sku.id).update(value=valuation.value + 1)
    try:
        code, tampered = await lotline_check(pg_url)
    finally:
        await SkuValuation.filter(sku_id=sku.id).update(value=valuation.value)
    assert code == 1
    assert f"valuation_value', key='{sku.id}'" in tampered
    assert "inventory" in tampered  # the inventory account no longer matches the stock valuation


async def lotline_check(database_url: str) -> tuple[int, str]:
    """The real command in its own process, as an operator runs it."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "lotline.cli",
        "check",
        env={**os.environ, "LOTLINE_DATABASE_URL": database_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode()
