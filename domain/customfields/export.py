"""Custom values in exports: one row per record with its reference and a column per active field."""

from dataclasses import dataclass
from typing import Any

from domain.customfields import rules
from domain.customfields import services as custom_fields

MAX_ROWS = 10_000


@dataclass(frozen=True)
class Row:
    # ``custom`` flattens to ``custom.<key>`` columns in domain.finance.export (same order on every row).
    id: int
    reference: str  # the record's number or code
    custom: dict[str, Any]


async def rows(entity: rules.Entity, filters: list[custom_fields.Filter] | None = None) -> list[Row]:
    """The records of ``entity`` passing ``filters``, by id, at most ``MAX_ROWS``; every active field is a
    column (empty where a record has no value), canonical values as stored (decimals as exact strings)."""
    keys = [d.key for d in await custom_fields.active_fields(entity)]
    model = custom_fields.ENTITY_MODELS[entity]
    query = await custom_fields.filtered(model.all(), entity, filters)
    ref = next((f for f in ("number", "code", "lot_code") if f in model._meta.fields_map), "id")
    found = await query.order_by("id").limit(MAX_ROWS).values_list("id", ref, "custom")
    return [
        Row(pk, str(reference or pk), {k: (custom or {}).get(k) for k in keys})
        for pk, reference, custom in found
    ]
