"""The public page's cache against an insider with SQL access, on PostgreSQL + Anvil: a page is served again
only while no row it was built from has been inserted, updated or deleted -- even an UPDATE that writes the
same values, or one that is undone by a second UPDATE, makes the next request build the page afresh."""

import asyncio
import json
from collections.abc import Callable

import pytest

from domain.anchoring.models import EventAnchor
from domain.provenance import fingerprint
from domain.trace.models import TraceStream
from supplier_portal import provenance as page_module
from tests.integration.anchoring.test_tampering import World, sql, world  # noqa: F401  (fixture)

#: Per trace table: an UPDATE of the lot's row that writes back the value it holds (a no-op on content).
SAME_VALUE_EDITS: dict[str, str] = {
    "trace_event": "UPDATE trace_event SET canonical = canonical WHERE id = $1",
    "trace_event_batch": "UPDATE trace_event_batch SET seq = seq WHERE event_id = $1",
    "event_anchor": "UPDATE event_anchor SET proof = proof WHERE event_id = $1",
    "anchor": (
        "UPDATE anchor SET root = root WHERE id = (SELECT anchor_id FROM event_anchor WHERE event_id = $1)"
    ),
    "trace_stream": (
        "UPDATE trace_stream SET head_seq = head_seq WHERE stream IN"
        " (SELECT epc_class FROM trace_event_batch WHERE event_id = $1)"
    ),
    "batch_lineage": (  # an INSERT: the lot named as made from itself by its own event
        "INSERT INTO batch_lineage (parent_id, child_id, event_id)"
        " SELECT batch_id, batch_id, event_id FROM trace_event_batch WHERE event_id = $1"
    ),
}


@pytest.fixture
def builds(world: World, monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:  # noqa: F811
    """How many times the page has been built since the fixture (every build re-verifies everything)."""
    count = [0]
    render = page_module._render_page

    async def counted(*args: object) -> str | None:
        count[0] += 1
        return await render(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(page_module, "_render_page", counted)
    return lambda: count[0]


async def served(w: World) -> str:
    html = await w.page()
    assert "全部记录已上链验证 every record verified on chain" in html
    return html


async def test_an_untouched_batch_is_served_from_the_cache(world, builds):  # noqa: F811
    first = await served(world)
    assert await served(world) == first
    assert builds() == 0  # built once by the fixture, reused since


@pytest.mark.parametrize("table", sorted(SAME_VALUE_EDITS))
async def test_a_same_value_edit_of_each_trace_table_row_rebuilds_the_page(world, builds, table):  # noqa: F811
    await served(world)
    before = await fingerprint.page_fingerprint(world.code)
    await sql(SAME_VALUE_EDITS[table], world.event("receiving").id)
    assert await fingerprint.page_fingerprint(world.code) != before
    await world.page()
    assert builds() == 1
    await world.page()
    assert builds() == 1  # and the rebuilt page is reused in its turn


async def test_an_edit_undone_by_a_second_update_still_rebuilds(world, builds):  # noqa: F811
    cold = world.event("storing")
    before = await fingerprint.page_fingerprint(world.code)
    await sql("UPDATE trace_event SET canonical = replace(canonical, '3.5', '2.5') WHERE id = $1", cold.id)
    await sql("UPDATE trace_event SET canonical = replace(canonical, '2.5', '3.5') WHERE id = $1", cold.id)
    assert await fingerprint.page_fingerprint(world.code) != before
    assert "全部记录已上链验证 every record verified on chain" in await world.page()
    assert builds() == 1


async def test_a_deleted_and_an_inserted_row_rebuild(world, builds):  # noqa: F811
    anchored = await EventAnchor.get(event_id=world.event("storing").id)
    before = await fingerprint.page_fingerprint(world.code)
    await sql("DELETE FROM event_anchor WHERE id = $1", anchored.id)
    deleted = await fingerprint.page_fingerprint(world.code)
    assert deleted != before
    assert "尚未上链" in await world.page()
    assert builds() == 1
    await sql(
        "INSERT INTO event_anchor (id, event_id, anchor_id, leaf_index, proof)"
        " VALUES ($1, $2, $3, $4, $5::jsonb)",
        anchored.id,
        anchored.event_id,
        anchored.anchor_id,
        anchored.leaf_index,
        json.dumps(anchored.proof),
    )
    restored = await fingerprint.page_fingerprint(world.code)
    assert restored not in (before, deleted)  # the same values again, but a new row version
    await served(world)
    assert builds() == 2


async def test_rows_of_another_lot_leave_the_page_cached(world, builds):  # noqa: F811
    await served(world)
    before = await fingerprint.page_fingerprint(world.code)
    await TraceStream.create(stream="urn:epc:class:lgtin:0000000.000000.other", head_seq=0)
    assert await fingerprint.page_fingerprint(world.code) == before
    await served(world)
    assert builds() == 0


async def test_sixteen_requests_after_an_edit_build_the_page_once(world, builds):  # noqa: F811
    await sql(SAME_VALUE_EDITS["trace_event"], world.event("storing").id)
    pages = await asyncio.gather(*(served(world) for _ in range(16)))
    assert len(set(pages)) == 1
    assert builds() == 1


async def test_sixteen_requests_for_a_stale_page_are_served_it_and_rebuild_it_once(world, builds):  # noqa: F811
    first = await served(world)
    for key, (_, digest, html) in list(page_module._PAGES.items()):
        page_module._PAGES[key] = (0.0, digest, html)  # past its time: rebuilt behind the next request
    assert set(await asyncio.gather(*(served(world) for _ in range(16)))) == {first}
    await asyncio.gather(*list(page_module._BUILDING.values()))
    assert builds() == 1
