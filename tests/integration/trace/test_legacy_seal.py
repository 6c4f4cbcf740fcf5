"""Events recorded before chain links (pre-0003 rows: no ``lotline:chain``, no ``seq``) are "not in the
anchored record" until ``seal-legacy`` vouches for them; after that, deleting, slipping in or editing one is
still caught, and the page says honestly when they were sealed."""

import hashlib
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from typer.testing import CliRunner

from api.app import create_app
from domain.anchoring import verification
from domain.provenance import services as provenance
from domain.trace import epcis, legacy
from domain.trace.integrity import State
from domain.trace.models import TraceEvent, TraceEventBatch
from lotline import cli
from lotline.config import Settings
from tests import factories
from tests.factories import NOW, code

SEALED_AT = NOW + timedelta(days=2)


async def _legacy_event(batch_id: int, epc_class: str, minutes: int) -> TraceEvent:
    """A row as the recorder wrote it before migration 0003: canonical JSON without chain links."""
    event = {
        "type": "ObjectEvent",
        "eventID": f"urn:uuid:{code('E').lower()}",
        "eventTime": epcis.format_time(NOW + timedelta(minutes=minutes)),
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "bizStep": "storing",
        "quantityList": [{"epcClass": epc_class, "quantity": 1}],
        "recordTime": epcis.format_time(NOW + timedelta(minutes=minutes)),
    }
    canonical = epcis.canonical_json(event)
    row = await TraceEvent.create(
        event_id=event["eventID"],
        event_type="ObjectEvent",
        biz_step="storing",
        action="OBSERVE",
        event_time=NOW + timedelta(minutes=minutes),
        canonical=canonical.decode(),
        leaf=hashlib.sha256(canonical).hexdigest(),
    )
    await TraceEventBatch.create(event_id=row.id, batch_id=batch_id, epc_class=epc_class, role="object")
    return row


async def _lot_with_legacy() -> tuple[int, str, list[TraceEvent]]:
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    lot = await factories.receive(sku, wh, await factories.make_supplier(), Decimal(5))
    epc_class = (await TraceEventBatch.filter(batch_id=lot.batch_id).first()).epc_class
    olds = [await _legacy_event(lot.batch_id, epc_class, m) for m in (10, 20)]
    return lot.batch_id, epc_class, olds


def _states(found: verification.Verification) -> dict[int, State]:
    return {c.pk: c.state for c in found.events}


async def test_unlinked_events_are_not_in_the_anchored_record_until_a_seal_vouches_for_them(db):
    batch_id, epc_class, olds = await _lot_with_legacy()
    before = await verification.verify_batch(batch_id, None)
    assert [_states(before)[o.id] for o in olds] == [State.INSERTED, State.INSERTED]

    sealed = await legacy.seal_legacy(SEALED_AT)

    assert sealed.event_id is not None
    assert [(s.events, s.refused) for s in sealed.streams if s.stream == epc_class] == [(2, 0)]
    after = await verification.verify_batch(batch_id, None)
    checks = {c.pk: c for c in after.events}
    assert [checks[o.id].state for o in olds] == [State.NOT_ANCHORED, State.NOT_ANCHORED]  # the seal's state
    assert [checks[o.id].sealed_on for o in olds] == [SEALED_AT, SEALED_AT]
    assert (after.state, after.missing) == (State.NOT_ANCHORED, ())
    again = await legacy.seal_legacy(SEALED_AT + timedelta(hours=1))
    assert all(s.stream != epc_class for s in again.streams)  # already sealed: nothing to add


async def test_after_sealing_a_deleted_legacy_event_is_missing(db):
    batch_id, epc_class, olds = await _lot_with_legacy()
    await legacy.seal_legacy(SEALED_AT)

    await TraceEventBatch.filter(event_id=olds[0].id).delete()
    await TraceEvent.filter(id=olds[0].id).delete()

    found = await verification.verify_batch(batch_id, None)
    assert [(g.stream, g.seq) for g in found.missing] == [(epc_class, 0)]
    assert found.state == State.MISSING


async def test_after_sealing_an_unlinked_event_slipped_in_is_inserted(db):
    batch_id, epc_class, _ = await _lot_with_legacy()
    await legacy.seal_legacy(SEALED_AT)

    forged = await _legacy_event(batch_id, epc_class, 15)

    found = await verification.verify_batch(batch_id, None)
    assert _states(found)[forged.id] == State.INSERTED
    assert found.state == State.INSERTED


async def test_after_sealing_an_edited_legacy_event_is_altered(db):
    batch_id, _, olds = await _lot_with_legacy()
    await legacy.seal_legacy(SEALED_AT)

    body = olds[1].canonical.replace('"storing"', '"receiving"')
    await TraceEvent.filter(id=olds[1].id).update(canonical=body)

    found = await verification.verify_batch(batch_id, None)
    assert _states(found)[olds[1].id] == State.ALTERED
    assert found.state == State.ALTERED


async def test_an_event_already_altered_is_refused_by_the_seal_and_stays_flagged(db):
    batch_id, epc_class, olds = await _lot_with_legacy()
    await TraceEvent.filter(id=olds[0].id).update(canonical=olds[0].canonical.replace("storing", "holding"))

    sealed = await legacy.seal_legacy(SEALED_AT)

    assert [(s.events, s.refused) for s in sealed.streams if s.stream == epc_class] == [(1, 1)]
    found = await verification.verify_batch(batch_id, None)
    assert _states(found)[olds[0].id] == State.ALTERED


@pytest.fixture
async def client(db: object, pg_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(pg_settings, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        yield c


async def test_the_page_says_a_sealed_event_was_recorded_before_chain_links_and_when_it_was_sealed(
    db, client
):
    batch_id, _, _ = await _lot_with_legacy()
    public = await provenance.public_code_for(batch_id)
    assert "recorded before chain links" not in (await client.get(f"/p/{public}")).text

    await legacy.seal_legacy(SEALED_AT)

    html = (await client.get(f"/p/{public}")).text
    assert html.count("记录于链接之前") == 2
    assert f"recorded before chain links; sealed, not yet anchored, on {SEALED_AT.date().isoformat()}" in html
    assert "urn:lotline:bizstep:legacy_seal" not in html  # the seal itself is not a journey step


def test_the_seal_step_is_hidden_from_the_page():
    from domain.provenance import rules

    assert legacy.SEAL_STEP in rules.HIDDEN_STEPS


def test_seal_legacy_dry_run_writes_nothing(monkeypatch, pg_settings: Settings):
    monkeypatch.setattr(cli, "get_settings", lambda: pg_settings)
    result = CliRunner().invoke(cli.app, ["seal-legacy", "--dry-run"])
    assert result.exit_code in (0, 1), result.output
    assert "试运行" in result.output or "nothing to seal" in result.output


async def test_the_audit_accepts_sealed_events_and_names_a_deleted_one(db):
    from domain.anchoring import chain_audit

    _, epc_class, olds = await _lot_with_legacy()
    flagged = {e.pk for e in (await chain_audit.audit_chains()).extra}
    assert {o.id for o in olds} <= flagged
    await legacy.seal_legacy(SEALED_AT)
    audit = await chain_audit.audit_chains()
    assert not {o.id for o in olds} & {e.pk for e in audit.extra}

    await TraceEventBatch.filter(event_id=olds[0].id).delete()
    await TraceEvent.filter(id=olds[0].id).delete()

    gone = [m for m in (await chain_audit.audit_chains()).missing if m.stream == epc_class]
    assert [m.seq for m in gone] == [0]
