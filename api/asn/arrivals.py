# strawberry.mutation/field(description=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""到货登记 (gate-in) and ASN cancellation over GraphQL.

``arrivalRecord`` is the receiving side's (``receiving``): a delivery at the dock, of an ASN or of an order
without one. ``asnCancel`` follows the ASN rules: a supplier cancels its own open ASNs (another supplier's is
``NotFound``), a buyer may for a supplier; a received ASN, or one already at the gate, is ``Conflict``.
``arrivals`` lists arrivals; a supplier user sees its own deliveries' only.
"""

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api import relay as rl
from api.asn.mutations import require_collaboration
from api.context import Info
from api.nodes import Posted
from domain.asn import arrivals, models, services
from domain.partners.rules import Permission as Perm

READ = [auth.needs(Perm.PURCHASING_READ, supplier_ok=True)]
ArrivalRecordResult = Annotated[Posted | errors.AnyUserError, strawberry.union("ArrivalRecordResult")]
AsnCancelResult = Annotated[Posted | errors.AnyUserError, strawberry.union("AsnCancelResult")]


@strawberry.input(description="到货登记: a delivery at the gate, of an ASN or of a purchase order.")
class ArrivalRecordInput:
    arrived_at: datetime = strawberry.field(description="With its zone; not in the future.")
    asn_id: strawberry.ID | None = strawberry.field(default=None, description="The notice, if one came.")
    purchase_order_id: strawberry.ID | None = strawberry.field(
        default=None, description="Needed without an ASN; with one it must be the ASN's order."
    )
    vehicle: str = strawberry.field(default="", description="Plate number.")
    note: str = ""
    idempotency_key: str | None = None

    def to_domain(self) -> arrivals.ArrivalInput:
        return arrivals.ArrivalInput(
            self.arrived_at,
            rl.maybe_id(self.asn_id, "AdvanceShippingNotice", ("asnId",)),
            rl.maybe_id(self.purchase_order_id, "PurchaseOrder", ("purchaseOrderId",)),
            self.vehicle,
            self.note,
        )


@strawberry.input
class AsnCancelInput:
    asn_id: strawberry.ID
    reason: str = ""
    idempotency_key: str | None = None


@strawberry.type(description="到货登记: a delivery registered at the gate.")
class Arrival:
    id: strawberry.ID
    number: str | None
    arrived_at: datetime
    vehicle: str
    note: str
    recorded_at: datetime
    purchase_order_id: strawberry.ID
    asn_id: strawberry.ID | None

    @classmethod
    def from_row(cls, r: models.Arrival) -> "Arrival":
        return cls(
            id=strawberry.ID(rl.encode_id("Arrival", r.id)),
            number=r.number,
            arrived_at=r.arrived_at,
            vehicle=r.vehicle,
            note=r.note,
            recorded_at=r.recorded_at,
            purchase_order_id=strawberry.ID(rl.encode_id("PurchaseOrder", r.order_id)),
            asn_id=strawberry.ID(rl.encode_id("AdvanceShippingNotice", r.asn_id)) if r.asn_id else None,
        )


@strawberry.type
class ArrivalQuery:
    @strawberry.field(permission_classes=READ, description="Deliveries registered at the gate, oldest first.")
    async def arrivals(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        purchase_order_id: strawberry.ID | None = None,
    ) -> rl.Connection[Arrival]:
        query = models.Arrival.all()
        if (scope := auth.supplier_scope(info)) is not None:
            query = query.filter(supplier_id=scope)
        if (po := rl.maybe_id(purchase_order_id, "PurchaseOrder", ("purchaseOrderId",))) is not None:
            query = query.filter(order_id=po)
        return await rl.paginate(query, first, after, Arrival.from_row)


@strawberry.type
class ArrivalMutation:
    @strawberry.mutation(description="到货登记: register a delivery at the gate (receiving).")
    async def arrival_record(self, info: Info, input: ArrivalRecordInput) -> ArrivalRecordResult:
        async def run() -> Posted:
            principal = auth.require(info, Perm.RECEIVING)
            posted = await arrivals.arrival_record(
                input.to_domain(),
                datetime.now(UTC),
                by_user_id=principal.user_id,
                key=auth.client_key(info, input.idempotency_key),
            )
            return Posted.of(posted)

        return await errors.guard(run())

    @strawberry.mutation(
        description="取消到货通知: cancel an open ASN before it arrives; the reason is kept."
    )
    async def asn_cancel(self, info: Info, input: AsnCancelInput) -> AsnCancelResult:
        async def run() -> Posted:
            principal, scope = require_collaboration(info)
            posted = await services.asn_cancel(
                rl.decode_id(input.asn_id, "AdvanceShippingNotice", ("asnId",)),
                datetime.now(UTC),
                supplier_id=scope,
                reason=input.reason,
                by_user_id=principal.user_id,
                key=auth.client_key(info, input.idempotency_key),
            )
            return Posted.of(posted)

        return await errors.guard(run())
