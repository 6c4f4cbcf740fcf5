# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Payment terms and what to pay by when: ``paymentTermsSet`` and ``paymentProposals``."""

from datetime import UTC, date, datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from api import auth, errors
from api.context import Info
from api.enums import PartnerKind
from api.nodes import Posted
from api.scalars import Money, money
from domain.common import business_time
from domain.common.errors import ValidationError
from domain.finance import due_dates
from domain.partners.rules import Permission as Perm

PaymentTermsSetResult = Annotated[Posted | errors.AnyUserError, strawberry.union("PaymentTermsSetResult")]
MAX_HORIZON_DAYS = 366


@strawberry.input(
    description=(
        'Payment terms (账期) as JSON: {"kind": "net", "days": 30}, {"kind": "eom", "days": 15} (month end '
        'plus days) or {"kind": "instalments", "parts": [{"share": "0.3", "days": 0}, {"share": "0.7", '
        '"days": 60}], "endOfMonth": false}; null clears them (due on the document date).'
    )
)
class PaymentTermsSetInput:
    kind: PartnerKind
    code: str
    terms: JSON | None
    idempotency_key: str | None = None


@strawberry.type(description="One open instalment due by the proposal's date (付款建议).")
class PaymentProposal:
    partner_code: str
    partner_name: str
    document_id: int
    number: str
    document_date: date
    due_date: date
    amount: Money
    days_overdue: int

    @classmethod
    def of(cls, p: due_dates.Proposal) -> "PaymentProposal":
        return cls(
            partner_code=p.partner_code,
            partner_name=p.partner_name,
            document_id=p.document_id,
            number=p.number,
            document_date=p.document_date,
            due_date=p.due_date,
            amount=money(p.amount),
            days_overdue=p.days_overdue,
        )


@strawberry.type
class DueDatesQuery:
    @strawberry.field(
        permission_classes=[auth.needs(Perm.FINANCE_READ)],
        description="Open bill (supplier) or invoice (customer) instalments due by dueBy, earliest first.",
    )
    async def payment_proposals(
        self,
        info: Info,
        kind: PartnerKind = PartnerKind.SUPPLIER,
        due_by: date | None = None,
        partner_code: str | None = None,
    ) -> list[PaymentProposal]:
        today = business_time.business_today(datetime.now(UTC))  # in the business zone
        until = due_by or today
        if (until - today).days > MAX_HORIZON_DAYS:
            raise ValidationError(f"dueBy is at most {MAX_HORIZON_DAYS} days ahead", ("dueBy",))
        found = await due_dates.payment_proposals(kind.value, today, until, partner_code)
        return [PaymentProposal.of(p) for p in found]


@strawberry.type
class DueDatesMutation:
    @strawberry.mutation(
        description="Sets a supplier's or customer's payment terms; new documents follow them."
    )
    async def payment_terms_set(self, info: Info, input: PaymentTermsSetInput) -> PaymentTermsSetResult:
        async def run() -> Posted:
            auth.require(info, Perm.FINANCE_WRITE)
            if input.terms is not None and not isinstance(input.terms, dict):
                raise ValidationError("terms is a JSON object", ("terms",))
            key = auth.client_key(info, input.idempotency_key)
            return Posted.of(
                await due_dates.payment_terms_set(input.kind.value, input.code, input.terms, key)
            )

        return await errors.guard(run())
