# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Custom field queries and mutations: definitions are the admin's; values are set by whoever may write the
record (the permission of its area)."""

from typing import Annotated

import strawberry
from strawberry import relay

from api import auth, errors
from api.context import Info
from api.customfields import types as t
from api.enums import CustomFieldEntity
from api.nodes import Posted
from domain.common.errors import NotFound, ValidationError
from domain.customfields import rules
from domain.customfields import services as custom_fields
from domain.partners.rules import Permission as Perm

CustomFieldDefineResult = Annotated[Posted | errors.AnyUserError, strawberry.union("CustomFieldDefineResult")]
CustomFieldDeactivateResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("CustomFieldDeactivateResult")
]
CustomFieldsSetResult = Annotated[Posted | errors.AnyUserError, strawberry.union("CustomFieldsSetResult")]

E = rules.Entity
# Global ID type name -> (entity, the permission that writes such a record).
WRITABLE: dict[str, tuple[rules.Entity, Perm]] = {
    "Sku": (E.SKU, Perm.CATALOG_WRITE),
    "Supplier": (E.SUPPLIER, Perm.PURCHASING_WRITE),
    "Customer": (E.CUSTOMER, Perm.SALES_WRITE),
    "PurchaseOrder": (E.PURCHASE_ORDER, Perm.PURCHASING_WRITE),
    "PurchaseOrderLine": (E.PURCHASE_ORDER_LINE, Perm.PURCHASING_WRITE),
    "GoodsReceipt": (E.GOODS_RECEIPT, Perm.RECEIVING),
    "Batch": (E.BATCH, Perm.INVENTORY_WRITE),
    "SalesOrder": (E.SALES_ORDER, Perm.SALES_WRITE),
    "SupplierBill": (E.SUPPLIER_BILL, Perm.FINANCE_WRITE),
    "CustomerInvoice": (E.CUSTOMER_INVOICE, Perm.FINANCE_WRITE),
    "AdvanceShippingNotice": (E.ASN, Perm.SUPPLIER_COLLABORATION),
}


@strawberry.type
class CustomFieldsQuery:
    @strawberry.field(
        permission_classes=[auth.needs(Perm.CATALOG_READ)],
        description="The custom fields of a record type, in display order.",
    )
    async def custom_field_definitions(
        self, info: Info, entity: CustomFieldEntity, include_inactive: bool = False
    ) -> list[t.CustomFieldDefinition]:
        found = await custom_fields.definitions(E(entity.value), include_inactive=include_inactive)
        return [t.CustomFieldDefinition.of(d) for d in found]


@strawberry.type
class CustomFieldsMutation:
    @strawberry.mutation(description="自定义字段: add or change a custom field (admin); no migration needed.")
    async def custom_field_define(
        self, info: Info, input: t.CustomFieldDefineInput
    ) -> CustomFieldDefineResult:
        async def run() -> Posted:
            auth.require(info, Perm.ADMIN)
            entity, field = input.to_domain()
            key = auth.client_key(info, input.idempotency_key)
            return Posted.of(await custom_fields.definition_save(entity, field, input.position, key))

        return await errors.guard(run())

    @strawberry.mutation(description="Hides a custom field (admin); stored values are kept.")
    async def custom_field_deactivate(
        self, info: Info, input: t.CustomFieldDeactivateInput
    ) -> CustomFieldDeactivateResult:
        async def run() -> Posted:
            auth.require(info, Perm.ADMIN)
            key = auth.client_key(info, input.idempotency_key)
            return Posted.of(await custom_fields.definition_deactivate(E(input.entity.value), input.key, key))

        return await errors.guard(run())

    @strawberry.mutation(description="Sets custom values of one record; the values not given are kept.")
    async def custom_fields_set(self, info: Info, input: t.CustomFieldsSetInput) -> CustomFieldsSetResult:
        async def run() -> Posted:
            try:
                gid = relay.GlobalID.from_id(input.id)
            except relay.GlobalIDValueError:
                raise NotFound("record", input.id, ("id",)) from None
            target = WRITABLE.get(gid.type_name)
            if target is None or not gid.node_id.isdigit():
                raise NotFound("record", input.id, ("id",))
            entity, perm = target
            auth.require(info, perm)
            if not isinstance(input.values, dict):
                raise ValidationError("values is a JSON object of custom field values", ("values",))
            key = auth.client_key(info, input.idempotency_key)
            return Posted.of(await custom_fields.values_set(entity, int(gid.node_id), input.values, key))

        return await errors.guard(run())
