"""Custom fields: definitions (admin), values checked against them, and filters over them in SQL.

Values are stored in each record's ``custom`` JSON column in the canonical form of ``rules.canonical``, so a
filter compares one text form on both databases: PostgreSQL ``custom ->> 'key'`` and SQLite
``json_extract``/``json_type`` (booleans as ``true``/``false``, numbers and decimals as their digits, dates
as ``YYYY-MM-DD``). Ranges on numbers compare as ``numeric`` on PostgreSQL and as ``REAL`` on SQLite (the demo
database; a 15-digit decimal is the edge of its exactness). The filters are conditions of the list query
itself (annotations), so a page reads only its rows however many records match.
"""

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from typing import Any

from tortoise.expressions import RawSQL
from tortoise.models import Model
from tortoise.queryset import QuerySet

from domain.asn.models import AdvanceShippingNotice
from domain.catalog.models import Sku
from domain.common import dialect
from domain.common import rows as row_models
from domain.common.errors import NotFound, ValidationError
from domain.common.services import Posted, posting
from domain.customfields import rules
from domain.customfields.models import CustomFieldDefinition
from domain.finance.models import CustomerInvoice, SupplierBill
from domain.inventory.models import Batch
from domain.partners.models import Customer, Supplier
from domain.purchasing.models import GoodsReceipt, PurchaseOrder, PurchaseOrderLine
from domain.sales.models import SalesOrder

E = rules.Entity
ENTITY_MODELS: dict[rules.Entity, type[Model]] = {
    E.SKU: Sku,
    E.SUPPLIER: Supplier,
    E.CUSTOMER: Customer,
    E.PURCHASE_ORDER: PurchaseOrder,
    E.PURCHASE_ORDER_LINE: PurchaseOrderLine,
    E.GOODS_RECEIPT: GoodsReceipt,
    E.BATCH: Batch,
    E.SALES_ORDER: SalesOrder,
    E.SUPPLIER_BILL: SupplierBill,
    E.CUSTOMER_INVOICE: CustomerInvoice,
    E.ASN: AdvanceShippingNotice,
}
MAX_FILTERS = 10


@dataclass(frozen=True)
class Definition:
    entity: rules.Entity
    field: rules.FieldDef
    position: int
    active: bool


def _field(r: CustomFieldDefinition) -> rules.FieldDef:
    return rules.FieldDef(
        key=r.key,
        kind=rules.Kind(r.kind),
        label_zh=r.label_zh,
        label_en=r.label_en,
        required=r.required,
        default=r.default[0] if isinstance(r.default, list) else r.default,
        min_length=r.min_length,
        max_length=r.max_length,
        pattern=r.pattern,
        minimum=None if r.minimum is None else Decimal(r.minimum),
        maximum=None if r.maximum is None else Decimal(r.maximum),
        places=r.places,
        choices=tuple(r.choices or ()),
    )


def _stored_default(field: rules.FieldDef) -> list[Any] | None:
    """A default as stored: wrapped in a one-element list, because Tortoise's JSON column cannot hold a
    top-level JSON string (a bare "north" is taken for JSON text and refused). No kind's value is a list,
    so a bare stored value (a boolean or number saved before this) still reads as itself."""
    return None if field.default is None else [rules.canonical(field, field.default)[0]]


@cache
def _definitions_sql(include_inactive: bool) -> str:
    # Hand-written (issue 15): every posting that writes a record with custom fields (a goods receipt among
    # them) checks its values first, and the ORM spent ~0.5 ms of Python building this read even when an
    # entity has no definitions. tests/integration/lowcode/test_hot_definitions.py pins it to the ORM path.
    active = "" if include_inactive else ' AND d."active"'
    return (
        f"SELECT {row_models.columns(CustomFieldDefinition, 'd')} "
        f'FROM "{CustomFieldDefinition._meta.db_table}" AS d WHERE d."entity" = $1{active} '
        'ORDER BY d."position", d."key"'
    )


async def definitions(entity: rules.Entity, *, include_inactive: bool = False) -> list[Definition]:
    """The definitions of one entity, in display order (position, then key)."""
    if dialect.is_postgres():
        _, found = await CustomFieldDefinition._meta.db.execute_query(
            _definitions_sql(include_inactive), [entity.value]
        )
        rows = [row_models.build(CustomFieldDefinition, r) for r in found]
    else:
        query = CustomFieldDefinition.filter(entity=entity.value)
        if not include_inactive:
            query = query.filter(active=True)
        rows = await query.order_by("position", "key")
    return [Definition(entity, _field(r), r.position, r.active) for r in rows]


async def active_fields(entity: rules.Entity) -> list[rules.FieldDef]:
    return [d.field for d in await definitions(entity)]


async def definition_save(
    entity: rules.Entity, field: rules.FieldDef, position: int = 0, key: str | None = None
) -> Posted:
    """Creates or replaces (by entity and key) one definition, active. Raises ``ValidationError`` with the
    input field as path. Stored values are not rewritten: they are checked again when next written."""

    async def body() -> Posted:
        problems = rules.definition_problems(field)
        if problems:
            raise ValidationError(problems[0].message, problems[0].path)
        count = (
            await CustomFieldDefinition.filter(entity=entity.value, active=True)
            .exclude(key=field.key)
            .count()
        )
        if count >= rules.MAX_FIELDS:
            raise ValidationError(f"an entity has at most {rules.MAX_FIELDS} custom fields", ("key",))
        values: dict[str, Any] = {
            "kind": field.kind.value,
            "label_zh": field.label_zh.strip(),
            "label_en": field.label_en.strip(),
            "required": field.required,
            "default": _stored_default(field),
            "min_length": field.min_length,
            "max_length": field.max_length,
            "pattern": field.pattern,
            "minimum": field.minimum,
            "maximum": field.maximum,
            "places": field.places,
            "choices": list(field.choices),
            "position": position,
            "active": True,
        }
        row, _ = await CustomFieldDefinition.update_or_create(values, entity=entity.value, key=field.key)
        return Posted("custom_field_definition", row.id, f"{entity.value}.{field.key}")

    return await posting("custom_field_definition_save", key, body)


async def definition_deactivate(entity: rules.Entity, field_key: str, key: str | None = None) -> Posted:
    """Hides a definition; values already stored are kept (saving it again restores them)."""

    async def body() -> Posted:
        row = await CustomFieldDefinition.get_or_none(entity=entity.value, key=field_key)
        if row is None:
            raise NotFound("custom field", f"{entity.value}.{field_key}", ("key",))
        row.active = False
        await row.save(update_fields=["active", "updated_at"])
        return Posted("custom_field_definition", row.id, f"{entity.value}.{field_key}")

    return await posting("custom_field_definition_deactivate", key, body)


def raise_first(problems: list[rules.Problem], prefix: tuple[str, ...] = ()) -> None:
    if problems:
        raise ValidationError(problems[0].message, (*prefix, *problems[0].path))


async def checked(
    entity: rules.Entity,
    given: dict[str, Any] | None,
    stored: dict[str, Any] | None = None,
    prefix: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The values to store for a record of ``entity`` (see ``rules.checked``); ``ValidationError`` at
    ``(*prefix, "customFields", key)`` for the first problem. Called by every service that writes a record."""
    values, problems = rules.checked(await active_fields(entity), given, stored)
    raise_first(problems, prefix)
    return values


async def values_set(
    entity: rules.Entity, row_id: int, given: dict[str, Any], key: str | None = None
) -> Posted:
    """Sets (``None`` clears) custom values of one existing record, keeping the others; the row is locked
    so two concurrent updates of different keys both survive."""
    model = ENTITY_MODELS[entity]

    async def body() -> Posted:
        query = model.filter(id=row_id)
        if dialect.is_postgres():
            query = query.select_for_update()
        row = await query.first()
        if row is None:
            raise NotFound(entity.value, row_id, ("id",))
        stored = dict(getattr(row, "custom", None) or {})
        values, problems = rules.checked(await active_fields(entity), given, stored)
        if problems:  # the mutation's input names them "values", not "customFields"
            raise ValidationError(problems[0].message, ("values", *problems[0].path[1:]))
        row.custom = values
        await row.save(update_fields=["custom"])
        return Posted(entity.value, row_id, str(getattr(row, "number", None) or getattr(row, "code", row_id)))

    return await posting("custom_values_set", key, body)


@dataclass(frozen=True)
class Filter:
    """``key`` compared with ``value`` (decoded JSON): ``op`` is eq, gte or lte."""

    key: str
    op: str
    value: Any


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def value_sql(table: str, key: str, numeric: bool) -> RawSQL:
    """The SQL of one custom value, as text (or as a number). ``key`` is a stored definition's key, which
    ``rules.KEY`` restricts to ASCII letters and digits: it can stand in the SQL text; values never do."""
    if not rules.KEY.fullmatch(key):  # pragma: no cover - definitions are checked when saved
        raise ValidationError(f"{key!r} is not a custom field key", ("customFilter",))
    column = f'"{table}"."custom"'
    # A numeric read is NULL for a value that is not a number (stored before the field's kind changed), so a
    # sort over every row never fails on one stale value.
    if dialect.is_postgres():
        text = f"({column} ->> '{key}')"
        if numeric:
            return RawSQL(f"(CASE WHEN {text} ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN {text}::numeric END)")
        return RawSQL(text)
    if numeric:
        path = f"{column}, '$.{key}'"
        return RawSQL(
            f"(CASE WHEN json_type({path}) IN ('integer', 'real') OR (json_type({path}) = 'text' AND "
            f"json_extract({path}) GLOB '*[0-9]*' AND NOT json_extract({path}) GLOB '*[^-0-9.]*') "
            f"THEN CAST(json_extract({path}) AS REAL) END)"
        )
    return RawSQL(
        f"CASE json_type({column}, '$.{key}') WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' "
        f"ELSE CAST(json_extract({column}, '$.{key}') AS TEXT) END"
    )


async def filtered(query: QuerySet[Any], entity: rules.Entity, filters: list[Filter] | None) -> QuerySet[Any]:
    """``query`` narrowed to the records whose custom values pass every filter (``ValidationError`` at
    ``("customFilter", i, …)`` for an unknown key, a bad value or an order on a kind without one)."""
    if not filters:
        return query
    if len(filters) > MAX_FILTERS:
        raise ValidationError(f"at most {MAX_FILTERS} custom filters", ("customFilter",))
    by_key = {d.key: d for d in await active_fields(entity)}
    table = ENTITY_MODELS[entity]._meta.db_table
    for i, f in enumerate(filters):
        d = by_key.get(f.key)
        if d is None:
            raise ValidationError(
                f"{f.key} is not a custom field of {entity.value}", ("customFilter", str(i), "key")
            )
        ordered = d.kind in (rules.Kind.NUMBER, rules.Kind.DECIMAL, rules.Kind.DATE)
        if f.op not in ("eq", "gte", "lte") or (f.op != "eq" and not ordered):
            raise ValidationError(
                f"{f.key} ({d.kind.value}) is compared with eq only", ("customFilter", str(i), "op")
            )
        # A filter value is any value the field accepts: the limits of a stored value do not apply to it.
        loose = replace(d, minimum=None, maximum=None, min_length=None, pattern=None)
        value, problem = rules.canonical(loose, f.value)
        if problem:
            raise ValidationError(f"{f.key} {problem}", ("customFilter", str(i), "value"))
        numeric = d.kind in (rules.Kind.NUMBER, rules.Kind.DECIMAL)
        operand: Any = _as_text(value)
        if numeric:  # exact numeric on PostgreSQL; SQLite (the demo) compares REALs
            operand = Decimal(str(value)) if dialect.is_postgres() else float(value)
        name = f"custom_filter_{i}"
        suffix = "" if f.op == "eq" else f"__{f.op}"
        query = query.annotate(**{name: value_sql(table, f.key, numeric)}).filter(**{name + suffix: operand})
    return query
