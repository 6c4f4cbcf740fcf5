"""Partner mutations."""

from typing import Annotated

import strawberry

from api import auth, errors, nodes
from api.context import Info
from api.customfields.types import given
from api.partners.inputs import CustomerCreateInput, SupplierCreateInput
from api.partners.types import Customer, Supplier
from domain.partners import models, services
from domain.partners.rules import Permission as Perm

SupplierCreateResult = Annotated[Supplier | errors.AnyUserError, strawberry.union("SupplierCreateResult")]
CustomerCreateResult = Annotated[Customer | errors.AnyUserError, strawberry.union("CustomerCreateResult")]


@strawberry.type
class PartnersMutation:
    @strawberry.mutation
    async def supplier_create(self, info: Info, input: SupplierCreateInput) -> SupplierCreateResult:
        async def run() -> Supplier:
            auth.require(info, Perm.PURCHASING_WRITE)
            ref = await services.create_supplier(
                input.code,
                input.name,
                input.contact,
                input.gln,
                input.lead_time_days,
                custom=given(input.custom_fields),
            )
            return await nodes.load_required(info, models.Supplier, ref.id, Supplier.from_row)

        return await errors.guard(run())

    @strawberry.mutation
    async def customer_create(self, info: Info, input: CustomerCreateInput) -> CustomerCreateResult:
        async def run() -> Customer:
            auth.require(info, Perm.SALES_WRITE)
            ref = await services.create_customer(
                input.code, input.name, input.contact, input.gln, custom=given(input.custom_fields)
            )
            return await nodes.load_required(info, models.Customer, ref.id, Customer.from_row)

        return await errors.guard(run())
