"""An insider with write access to PostgreSQL, after the batch's events were anchored and confirmed on Anvil:
each tampering of issue 9 shows on the public page, in GraphQL and in `lotline audit`."""

import asyncio
import contextvars
import hashlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from tortoise import connections
from tortoise.exceptions import OperationalError
from typer.testing import CliRunner, Result

from api import relay as rl
from api.app import create_app
from chain import anvil, hashing
from chain.client import AnchorRegistryClient
from domain.anchoring.models import EventAnchor
from domain.provenance import rules
from domain.provenance import services as provenance
from domain.trace.models import TraceEvent, TraceEventBatch
from lotline import cli
from lotline.config import Settings
from tests.factories import NOW
from tests.integration.anchoring.test_graphql_queries import token_for
from tests.integration.provenance.conftest import Story, make_story
from workers.anchoring import Anchorer

BATCH = """query($id: ID!) { batchVerification(batchId: $id) {
  state events anchored failed altered inserted missing alteredEventIds insertedEventIds beforeReceiptEventIds
  missingEvents { stream seq beforeEventId } } }"""
EVENT = "query($e: String!) { eventAnchor(eventId: $e) { anchored verification event } }"


@dataclass
class World:
    story: Story
    code: str
    events: list[TraceEvent]  # the batch's own events, in chain order
    page: Callable[[], Awaitable[str]]
    gql: Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]
    fetch: Callable[[str], Awaitable[str]]
    audit: Callable[[], Awaitable[Result]]
    anchorer: Anchorer

    def event(self, biz_step: str, disposition: str | None = None) -> TraceEvent:
        return next(
            e
            for e in self.events
            if e.biz_step == biz_step and (disposition is None or e.disposition == disposition)
        )

    async def batch(self) -> dict[str, Any]:
        return (await self.gql(BATCH, {"id": rl.encode_id("Batch", self.story.lot.batch_id)}))[
            "batchVerification"
        ]


@pytest.fixture
async def world(
    db: object,
    pg_settings: Settings,
    chain: anvil.Anvil,
    registry: AnchorRegistryClient,
    anchorer: Anchorer,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[World]:
    settings = pg_settings.model_copy(
        update={"chain_rpc_url": chain.url, "chain_contract_address": registry.address}
    )
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    story = await make_story()
    code = await provenance.public_code_for(story.lot.batch_id)
    assert (await anchorer.run_round(force=True)).confirmed >= 1
    pks = await TraceEventBatch.filter(batch_id=story.lot.batch_id).values_list("event_id", flat=True)
    events = list(await TraceEvent.filter(id__in=list(pks)).order_by("id"))
    token = await token_for("auditor")
    app = create_app(settings, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:

        async def page() -> str:
            response = await client.get(f"/p/{code}")
            assert response.status_code == 200
            return response.text

        async def gql(query: str, variables: dict[str, Any]) -> dict[str, Any]:
            response = await client.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers={"Authorization": f"Bearer {token}"},
            )
            body = response.json()
            assert "errors" not in body, body
            return dict(body["data"])

        async def fetch(path: str) -> str:
            response = await client.get(path)
            assert response.status_code == 200, path
            return response.text

        async def audit() -> Result:
            run = CliRunner().invoke
            return await asyncio.to_thread(contextvars.Context().run, run, cli.app, ["audit"])

        found = World(story, code, events, page, gql, fetch, audit, anchorer)
        before = await found.batch()
        assert (before["state"], before["anchored"], before["failed"]) == ("verified", len(events), 0)
        assert "全部记录已上链验证 every record verified on chain" in await page()
        yield found


async def sql(statement: str, *values: object) -> None:
    await connections.get("default").execute_query(statement, list(values))


def steps_with(html: str, text: str) -> list[str]:
    """The journey entries (``<li>`` of one step) that contain ``text``."""
    return [chunk for chunk in html.split("<li>") if text in chunk and 'class="chain' in chunk]


async def test_untouched_steps_say_verified_with_their_block_the_cast_command_and_a_proof_file(world):
    p = await provenance.provenance_of(world.code, NOW)
    assert p is not None
    html = await world.page()
    first = p.steps[0]
    proof = json.loads(await world.fetch(f"/p/{world.code}/proofs/{first.event_hash[2:]}.json"))

    # Without a chain to read (no ``roots``) anchored steps are unverifiable, never verified from the rows.
    assert {s.state for s in p.steps} == {"unverifiable"}
    block = proof["anchor"]["blockNumber"]
    assert html.count(f"✓ 已上链验证 verified on chain, block {block}") == len(p.steps)
    command = rules.cast_command(proof["anchor"]["contract"], proof["root"], first.event_hash, proof["proof"])
    assert command.replace('"', "&#34;") in html
    assert proof["eventHash"] == first.event_hash
    assert "lotline:chain" not in json.dumps(proof)  # a proof file carries hashes, never the event


async def test_the_pages_proof_file_names_its_chain_and_the_registry_code_as_the_format_says(world, chain):
    """docs/proof-format.md §6: the page's download carries ``genesisHash`` and ``codeHash`` too (it lacked
    both, so verify-proof.js printed "expect undefined" for the two checks that pin chain and registry)."""
    from web3 import Web3

    p = await provenance.provenance_of(world.code, NOW)
    assert p is not None
    proof = json.loads(await world.fetch(f"/p/{world.code}/proofs/{p.steps[0].event_hash[2:]}.json"))
    w3 = Web3(Web3.HTTPProvider(chain.url))
    assert proof["anchor"]["genesisHash"] == "0x" + bytes(w3.eth.get_block(0)["hash"]).hex()
    deployed = bytes(w3.eth.get_code(Web3.to_checksum_address(proof["anchor"]["contract"])))
    assert proof["anchor"]["codeHash"] == "0x" + hashing.keccak256(deployed).hex()
    assert proof["version"] == 2
    assert proof["anchor"]["chainId"] == w3.eth.chain_id


async def test_a_temperature_edited_in_the_database_shows_altered_everywhere(world):
    cold = world.event("storing")
    # The statement hits the dropped second copy: there is no body column to edit any more.
    with pytest.raises(OperationalError, match="body"):
        await sql("UPDATE trace_event SET body = '{}'::jsonb WHERE id = $1", cold.id)
    # The one copy left is the hashed one: editing it is what an insider can still do.
    await sql(
        "UPDATE trace_event SET canonical = replace(canonical, '\"value\":3.5', '\"value\":99.9') "
        "WHERE id = $1",
        cold.id,
    )

    html = await world.page()
    batch = await world.batch()
    event = (await world.gql(EVENT, {"e": cold.event_id}))["eventAnchor"]
    audit = await world.audit()

    [entry] = steps_with(
        html, "99.9 °C"
    )  # the page shows what is stored, and says it is not what was anchored
    assert "⚠ 锚定后被修改 altered after anchoring" in entry
    assert "已上链验证" not in entry
    assert "锚定后被修改 altered after anchoring" in html.split('id="batch-state"')[1][:300]
    assert (batch["state"], batch["altered"], batch["alteredEventIds"]) == ("altered", 1, [cold.event_id])
    assert (event["verification"], event["anchored"]) == ("altered", False)
    assert event["event"]["sensorElementList"][0]["sensorReport"][0]["value"] == 99.9
    assert audit.exit_code == 1, audit.output
    named = f"trace event {cold.id} no longer matches its leaf (锚定后被修改 altered after anchoring: "
    assert f"{named}{cold.event_id})" in audit.output


async def test_rewriting_body_canonical_and_leaf_consistently_still_fails_against_the_chain_root(world):
    cold = world.event("storing")
    forged = cold.canonical.replace('"value":3.5', '"value":99.9')
    leaf = hashlib.sha256(forged.encode()).hexdigest()
    await TraceEvent.filter(id=cold.id).update(canonical=forged, leaf=leaf)

    html = await world.page()
    batch = await world.batch()
    event = (await world.gql(EVENT, {"e": cold.event_id}))["eventAnchor"]
    audit = await world.audit()

    [entry] = steps_with(html, "99.9 °C")
    assert "⚠ 锚定后被修改 altered after anchoring" in entry
    assert (batch["state"], batch["alteredEventIds"]) == ("altered", [cold.event_id])
    assert batch["anchored"] == len(world.events) - 1
    assert event["verification"] == "altered"
    assert audit.exit_code == 1
    named = f"trace event {cold.id} no longer matches its leaf (锚定后被修改 altered after anchoring: "
    assert f"{named}{cold.event_id})" in audit.output


async def test_deleting_an_anchored_event_and_its_links_is_named_as_missing(world):
    passed = world.event("inspecting", "conformant")
    stream = (await TraceEventBatch.filter(event_id=passed.id).first()).epc_class
    seq = json.loads(passed.canonical)["lotline:chain"][0]["seq"]
    after = world.events[world.events.index(passed) + 1]
    for statement in (
        "DELETE FROM event_anchor WHERE event_id = $1",
        "DELETE FROM trace_event_batch WHERE event_id = $1",
        "DELETE FROM batch_lineage WHERE event_id = $1",
        "DELETE FROM trace_event WHERE id = $1",
    ):
        await sql(statement, passed.id)

    html = await world.page()
    batch = await world.batch()
    audit = await world.audit()

    assert f"缺失 missing: {stream} 第 {seq} 条记录 record #{seq}" in html
    assert "⚠ 缺失 missing" in html.split('id="batch-state"')[1][:300]
    assert batch["state"] == "missing"
    assert batch["missingEvents"] == [{"stream": stream, "seq": seq, "beforeEventId": after.event_id}]
    assert audit.exit_code == 1
    assert f"缺失 missing event: {stream} #{seq}, before {after.event_id}" in audit.output
    assert "missing leaves" in audit.output
    assert "recomputed root \n" not in audit.output + "\n"  # never an empty value


async def test_a_forged_event_dated_2020_is_not_anchored_and_is_named_as_slipped_in(world):
    receipt = world.event("receiving")
    body = json.loads(receipt.canonical)
    body["eventTime"] = "2020-01-01T00:00:00.000Z"
    body["eventID"] = "ni:///sha-256;" + "ab" * 32 + "?ver=CBV2.0"
    canonical = json.dumps(body, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    forged = await TraceEvent.create(
        event_id=body["eventID"],
        event_type="ObjectEvent",
        biz_step="receiving",
        action="ADD",
        disposition="in_progress",
        event_time=receipt.event_time.replace(year=2020, month=1, day=1),
        canonical=canonical,
        leaf=hashlib.sha256(canonical.encode()).hexdigest(),
    )
    link = await TraceEventBatch.filter(event_id=receipt.id).first()
    await TraceEventBatch.create(
        event_id=forged.id, batch_id=world.story.lot.batch_id, epc_class=link.epc_class, role="object", seq=1
    )

    await world.anchorer.run_round(force=True)
    html = await world.page()
    batch = await world.batch()
    event = (await world.gql(EVENT, {"e": forged.event_id}))["eventAnchor"]
    audit = await world.audit()

    assert not await EventAnchor.exists(event_id=forged.id)  # the worker refused to anchor it
    [entry] = steps_with(html, "2020-01-01")
    assert "⚠ 不在上链记录中 not in the anchored record" in entry
    assert "⚠ 早于批次入库 dated before the batch's receipt" in entry
    assert (batch["state"], batch["insertedEventIds"]) == ("inserted", [forged.event_id])
    assert batch["beforeReceiptEventIds"] == [forged.event_id]
    assert event["verification"] == "inserted"
    assert audit.exit_code == 1
    assert f"trace event {forged.id} {forged.event_id} dated 2020-01-01T00:00:00.000Z" in audit.output
