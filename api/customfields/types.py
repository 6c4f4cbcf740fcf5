"""Custom field types, inputs and the filter argument the list queries share."""

from decimal import Decimal
from typing import Any

import strawberry
from strawberry.scalars import JSON

from api.enums import CustomFieldEntity, CustomFieldKind, CustomFilterOp
from domain.common.errors import ValidationError
from domain.customfields import rules
from domain.customfields import services as custom_fields
from domain.customfields.services import Definition


@strawberry.type(description="A custom field of one record type (自定义字段).")
class CustomFieldDefinition:
    entity: CustomFieldEntity
    key: str
    kind: CustomFieldKind
    label_zh: str
    label_en: str
    required: bool
    default: JSON | None
    min_length: int | None
    max_length: int | None
    pattern: str | None
    minimum: Decimal | None
    maximum: Decimal | None
    places: int | None
    choices: list[str]
    position: int
    active: bool

    @classmethod
    def of(cls, d: Definition) -> "CustomFieldDefinition":
        f = d.field
        return cls(
            entity=CustomFieldEntity(d.entity.value),
            key=f.key,
            kind=CustomFieldKind(f.kind.value),
            label_zh=f.label_zh,
            label_en=f.label_en,
            required=f.required,
            default=f.default,
            min_length=f.min_length,
            max_length=f.max_length,
            pattern=f.pattern,
            minimum=f.minimum,
            maximum=f.maximum,
            places=f.places,
            choices=list(f.choices),
            position=d.position,
            active=d.active,
        )


@strawberry.input(description="Creates a custom field, or replaces the one of that entity and key.")
class CustomFieldDefineInput:
    entity: CustomFieldEntity
    key: str = strawberry.field(
        description="camelCase, e.g. taxExemptGoods: the name values are stored under."
    )
    kind: CustomFieldKind
    label_zh: str
    label_en: str
    required: bool = False
    default: JSON | None = strawberry.field(default=None, description="In the kind's JSON form.")
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = strawberry.field(
        default=None, description="A full-match regular expression; no back-references or repeated groups."
    )
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    places: int | None = None
    choices: list[str] = strawberry.field(default_factory=list, description="The values of an enum.")
    position: int = 0
    idempotency_key: str | None = None

    def to_domain(self) -> tuple[rules.Entity, rules.FieldDef]:
        return rules.Entity(self.entity.value), rules.FieldDef(
            key=self.key,
            kind=rules.Kind(self.kind.value),
            label_zh=self.label_zh,
            label_en=self.label_en,
            required=self.required,
            default=self.default,
            min_length=self.min_length,
            max_length=self.max_length,
            pattern=self.pattern,
            minimum=self.minimum,
            maximum=self.maximum,
            places=self.places,
            choices=tuple(self.choices),
        )


@strawberry.input
class CustomFieldDeactivateInput:
    entity: CustomFieldEntity
    key: str
    idempotency_key: str | None = None


@strawberry.input(description="Sets custom values of any record that has them; null clears a value.")
class CustomFieldsSetInput:
    id: strawberry.ID = strawberry.field(description="The record's global ID (Sku, GoodsReceipt …).")
    values: JSON
    idempotency_key: str | None = None


@strawberry.input(description="Keeps the records whose custom field `key` compares with `value`.")
class CustomFieldFilter:
    key: str
    value: JSON
    op: CustomFilterOp = CustomFilterOp.EQ


def filters(given: list[CustomFieldFilter] | None) -> list[custom_fields.Filter] | None:
    """The domain filters of a list query's ``customFilter`` argument."""
    return None if given is None else [custom_fields.Filter(f.key, f.op.value, f.value) for f in given]


def values_of(row: Any) -> JSON:
    """A record's custom values (canonical JSON: decimals as strings), for a type's ``customFields``."""
    return JSON(dict(getattr(row, "custom", None) or {}))


def given(value: JSON | None, path: tuple[str, ...] = ("customFields",)) -> dict[str, Any] | None:
    """A create input's ``customFields`` for its service (the boundary has already refused a non-object)."""
    if value is not None and not isinstance(value, dict):
        raise ValidationError("customFields is a JSON object of values by key", path)
    return value
