"""Custom-field definitions, which every posting that writes a record with custom fields reads first, are
one hand-written SELECT on PostgreSQL (issue 15, ``custom_fields.definitions``): the definitions the ORM
path (SQLite's) reads, in the same order, inactive ones only when asked for."""

import uuid
from decimal import Decimal

import pytest

from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity, FieldDef, Kind


async def _both(monkeypatch: pytest.MonkeyPatch, entity: Entity, include_inactive: bool):
    hand = await custom_fields.definitions(entity, include_inactive=include_inactive)
    with monkeypatch.context() as m:
        m.setattr(custom_fields.dialect, "is_postgres", lambda: False)
        orm = await custom_fields.definitions(entity, include_inactive=include_inactive)
    return hand, orm


async def test_the_definitions_are_what_the_orm_reads(db, monkeypatch):
    entity = Entity.ASN
    keys = ["k" + uuid.uuid4().hex[:8] for _ in range(4)]
    saved = [
        (FieldDef(keys[0], Kind.TEXT, "备注", "Note", max_length=20, pattern="^[A-Z]+$", default="AB"), 2),
        (
            FieldDef(
                keys[1], Kind.DECIMAL, "温度", "Temp", minimum=Decimal("-5.5"), maximum=Decimal(8), places=1
            ),
            1,
        ),
        (FieldDef(keys[2], Kind.ENUM, "区域", "Zone", choices=("north", "south"), default="north"), 1),
        (FieldDef(keys[3], Kind.BOOLEAN, "加急", "Urgent", default=True), 0),
    ]
    try:
        for field, position in saved:
            await custom_fields.definition_save(entity, field, position)
        await custom_fields.definition_deactivate(entity, keys[3])
        for include_inactive in (False, True):
            hand, orm = await _both(monkeypatch, entity, include_inactive)
            assert repr(hand) == repr(orm)  # the decimals' places too
            mine = [d for d in hand if d.field.key in keys]
            by_position = [*sorted(keys[1:3]), keys[0]]
            assert [d.field.key for d in mine] == ([keys[3]] if include_inactive else []) + by_position
            assert [d.active for d in mine] == ([False] if include_inactive else []) + [True, True, True]
        assert {d.field.key: d.field for d in mine} == {f.key: f for f, _ in saved}
    finally:
        for key in keys:
            await custom_fields.definition_deactivate(entity, key)


async def test_an_entity_with_no_active_definition_reads_the_same(db, monkeypatch):
    entity = Entity.CUSTOMER_INVOICE
    for include_inactive in (False, True):
        hand, orm = await _both(monkeypatch, entity, include_inactive)
        assert repr(hand) == repr(orm)
