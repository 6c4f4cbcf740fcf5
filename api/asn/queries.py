# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""ASN queries, filtered to the caller's own supplier for supplier users."""

import strawberry

from api import auth
from api import relay as rl
from api.asn.types import AdvanceShippingNotice, PurchaseOrderLineAcknowledgement
from api.context import Info
from domain.asn import models, services
from domain.common.errors import NotFound
from domain.partners.rules import Permission as Perm

READ = [auth.needs(Perm.PURCHASING_READ, supplier_ok=True)]


@strawberry.type
class AsnQuery:
    @strawberry.field(permission_classes=READ)
    async def advance_shipping_notices(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        purchase_order_id: strawberry.ID | None = None,
        status: str | None = None,
    ) -> rl.Connection[AdvanceShippingNotice]:
        query = models.AdvanceShippingNotice.all()
        if (scope := auth.supplier_scope(info)) is not None:
            query = query.filter(supplier_id=scope)
        if (po := rl.maybe_id(purchase_order_id, "PurchaseOrder", ("purchaseOrderId",))) is not None:
            query = query.filter(order_id=po)
        if status is not None:
            query = query.filter(status=status)
        return await rl.paginate(query, first, after, AdvanceShippingNotice.from_row)

    @strawberry.field(
        permission_classes=READ,
        description="The latest acknowledgement of each line of an order (lines never acknowledged are "
        "absent); an order out of the caller's reach is an empty list.",
    )
    async def purchase_order_acknowledgements(
        self, info: Info, purchase_order_id: strawberry.ID
    ) -> list[PurchaseOrderLineAcknowledgement]:
        po = rl.decode_id(purchase_order_id, "PurchaseOrder", ("purchaseOrderId",))
        try:
            await services.scoped_order(po, auth.supplier_scope(info))
        except NotFound:
            return []
        latest: dict[int, models.PurchaseOrderLineAck] = {}
        for row in await models.PurchaseOrderLineAck.filter(order_id=po).order_by("id"):
            latest[row.order_line_id] = row
        return [PurchaseOrderLineAcknowledgement.from_row(r) for _, r in sorted(latest.items())]
