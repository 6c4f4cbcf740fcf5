"""Two inspectors scan the same quarantined lot at the same moment (a real uvicorn process, PostgreSQL)."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from api.relay import decode_id, encode_id
from bench.harness import uvicorn_server
from domain.partners import services as partners
from domain.quality.models import QualityCheck
from domain.trace.models import TraceEvent
from tests import factories
from tests.factories import code

START = """mutation($input: QualityCheckStartInput!) { qualityCheckStart(input: $input) {
  __typename ... on Posted { documentId } ... on UserError { errorCode: code message path } } }"""


@pytest.fixture(scope="module")
async def server(db: object, pg_url: str) -> AsyncIterator[str]:
    async with uvicorn_server(pg_url, pool_max=10) as base:
        yield base


async def _inspector() -> str:
    principal = await partners.create_user(code("qc").lower(), "correct-horse-battery", "warehouse")
    return await partners.issue_token(principal.user_id)


async def _scan(base: str, token: str, batch: str, inspector: str) -> dict[str, Any]:
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60
    ) as http:
        variables = {"input": {"batchId": batch, "inspector": inspector}}
        response = await http.post("/graphql", json={"query": START, "variables": variables})
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()["data"]["qualityCheckStart"]
        return result


async def test_two_inspectors_scanning_one_lot_at_once_start_exactly_one_check(server: str) -> None:
    lot = await factories.receive(
        await factories.make_sku(high_risk=True),
        await factories.make_warehouse(),
        await factories.make_supplier(),
        Decimal(8),
    )
    tokens = [await _inspector(), await _inspector()]
    batch = encode_id("Batch", lot.batch_id)

    results = await asyncio.gather(
        _scan(server, tokens[0], batch, "王"), _scan(server, tokens[1], batch, "张")
    )

    assert Counter(r["__typename"] for r in results) == {"Posted": 1, "Conflict": 1}
    [won] = [r for r in results if r["__typename"] == "Posted"]
    [lost] = [r for r in results if r["__typename"] == "Conflict"]
    assert lost["errorCode"] == "CONFLICT"
    assert lost["path"] == ["batchId"]
    assert "already under inspection" in lost["message"]
    [check] = await QualityCheck.filter(batch_id=lot.batch_id)
    assert check.id == decode_id(won["documentId"], "QualityCheck", ())
    assert check.status == "inspecting"
    assert check.inspector in {"王", "张"}
    starts = await TraceEvent.filter(doc_type="quality_check_start", doc_id=check.id).count()
    assert starts == 1
