# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""``dataHealthRefresh``: run `lotline check`'s books-vs-ledger list now and store it for the data-health
views (``domain.health.snapshot.refresh``). Staff with ``purchasing_read`` only (the dashboard's readers);
suppliers cannot. Idempotent by nature: it stores the state of the books, and concurrent calls share one
computation."""

from datetime import datetime
from decimal import Decimal

import strawberry

from api import auth
from api.context import Info
from api.health.queries import LedgerDisagreement
from domain.health import snapshot
from domain.partners.rules import Permission as Perm


@strawberry.type(description="The stored books-vs-ledger check: what `lotline check` printed, and when.")
class LedgerCheck:
    checked_at: datetime
    seconds: Decimal = strawberry.field(description="How long the check took.")
    disagreements: list[LedgerDisagreement]


@strawberry.type
class HealthMutation:
    @strawberry.mutation(
        permission_classes=[auth.needs(Perm.PURCHASING_READ)],
        description="重新核对账簿与流水 / check the books against the ledger now, stored for the views.",
    )
    async def data_health_refresh(self, info: Info) -> LedgerCheck:
        done = await snapshot.refresh()
        return LedgerCheck(
            checked_at=done.computed_at,
            seconds=done.seconds,
            disagreements=[LedgerDisagreement.of(d) for d in done.disagreements],
        )
