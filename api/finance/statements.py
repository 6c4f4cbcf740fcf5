# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""``supplierStatement``: a supplier's statement for a period (对账单). Staff need ``finance_read`` and name
the supplier; a supplier user reads its own (``supplierId`` may be left out; another supplier's is
``NOT_FOUND``, as a missing one)."""

from datetime import date

import strawberry

from api import auth
from api import relay as rl
from api.context import Info
from api.scalars import Money, money
from domain.common.errors import NotFound, ValidationError
from domain.finance import statements
from domain.partners.rules import Permission as Perm


@strawberry.type(description="One document of a statement, with the balance after it.")
class StatementLine:
    day: date
    kind: str = strawberry.field(description="bill | credit_note | payment")
    number: str
    reference: str = strawberry.field(
        description="The supplier's invoice number, or the payment's reference."
    )
    due_date: date | None = strawberry.field(description="Only when bills carry payment terms.")
    amount: Money = strawberry.field(description="+ owed more, - owed less")
    balance: Money


@strawberry.type(description="对账单: what we owe a supplier over a period, document by document.")
class SupplierStatement:
    supplier_id: strawberry.ID
    supplier_code: str
    since: date
    until: date = strawberry.field(description="Inclusive.")
    opening: Money
    lines: list[StatementLine]
    closing: Money

    @classmethod
    def of(cls, s: statements.Statement) -> "SupplierStatement":
        return cls(
            supplier_id=strawberry.ID(rl.encode_id("Supplier", s.supplier_id)),
            supplier_code=s.supplier_code,
            since=s.since,
            until=s.until,
            opening=money(s.opening),
            lines=[
                StatementLine(
                    day=ln.day,
                    kind=ln.kind,
                    number=ln.number,
                    reference=ln.reference,
                    due_date=ln.due_date,
                    amount=money(ln.amount),
                    balance=money(ln.balance),
                )
                for ln in s.lines
            ],
            closing=money(s.closing),
        )


@strawberry.type
class StatementQuery:
    @strawberry.field(
        permission_classes=[auth.needs(Perm.PURCHASING_READ, supplier_ok=True)],
        description="A supplier statement for [since, until] (business dates, at most 400 days).",
    )
    async def supplier_statement(
        self, info: Info, since: date, until: date, supplier_id: strawberry.ID | None = None
    ) -> SupplierStatement:
        wanted = rl.maybe_id(supplier_id, "Supplier", ("supplierId",))
        scope = auth.supplier_scope(info)
        if scope is not None:
            if wanted is not None and wanted != scope:
                raise NotFound("supplier", supplier_id, ("supplierId",))
            wanted = scope
        else:
            auth.check(info, Perm.FINANCE_READ)
            if wanted is None:
                raise ValidationError("name the supplier", ("supplierId",))
        return SupplierStatement.of(await statements.supplier_statement(wanted, since, until))
