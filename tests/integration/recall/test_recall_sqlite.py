"""The embedded demo database (SQLite): a recall blocks its lots, and the provenance page's verification
(plain SQL reads, per-event memo) works there too and shows the recall."""

from datetime import UTC, datetime
from decimal import Decimal

from domain.anchoring import verification
from domain.inventory.models import Batch
from domain.provenance import services as provenance
from domain.trace import legacy
from domain.trace.integrity import State
from tests import factories
from tests.integration.recall.test_recall_workflow import NOTICE_EN, NOTICE_ZH, RECALL_AT, _open, _world


async def test_a_recall_and_the_provenance_check_work_on_sqlite(sqlite_db):
    w = await _world()
    public = await provenance.public_code_for(w.lot.batch_id)

    await _open(w)

    assert {b.status for b in await Batch.filter(id__in=[w.lot.batch_id, w.out.id])} == {"blocked"}
    assert await factories.on_hand(w.raw) == Decimal(0)
    page = await provenance.provenance_of(public, datetime.now(UTC), None)
    assert page is not None
    assert page.recall is not None
    assert (page.recall.notice_zh, page.recall.notice_en, page.recall.closed) == (NOTICE_ZH, NOTICE_EN, False)
    assert page.state == State.NOT_ANCHORED  # no chain configured: intact, nothing verified
    assert len(page.steps) >= 4
    found = await verification.verify_batch(w.lot.batch_id, None)
    assert {c.state for c in found.events} == {State.NOT_ANCHORED}
    assert found.missing == ()
    assert (await legacy.seal_legacy(RECALL_AT)).event_id is None  # every event here carries its links
