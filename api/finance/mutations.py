# mypy: disable-error-code="untyped-decorator"
"""Finance mutations: they translate inputs, call one service and map expected failures onto the union."""

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api import relay as rl
from api.context import Info
from api.customfields.types import given
from api.finance import inputs
from api.finance import types as t
from api.nodes import Posted
from domain.finance import bills, invoices, payments, services
from domain.partners.rules import Permission as Perm

W = Perm.FINANCE_WRITE


SupplierBillPostResult = Annotated[Posted | errors.AnyUserError, strawberry.union("SupplierBillPostResult")]
SupplierBillApproveResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("SupplierBillApproveResult")
]
SupplierBillRejectResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("SupplierBillRejectResult")
]
CustomerInvoicePostResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("CustomerInvoicePostResult")
]
CustomerCreditNotePostResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("CustomerCreditNotePostResult")
]
PaymentPostResult = Annotated[Posted | errors.AnyUserError, strawberry.union("PaymentPostResult")]
JournalEntryPostResult = Annotated[Posted | errors.AnyUserError, strawberry.union("JournalEntryPostResult")]
JournalEntryReverseResult = Annotated[
    Posted | errors.AnyUserError, strawberry.union("JournalEntryReverseResult")
]
AccountResult = Annotated[t.Account | errors.AnyUserError, strawberry.union("AccountResult")]


@strawberry.type
class PeriodState:
    period: str
    closed: bool


PeriodCloseResult = Annotated[PeriodState | errors.AnyUserError, strawberry.union("PeriodCloseResult")]


@strawberry.type
class PostingRuleState:
    role: str
    account_code: str
    category_code: str | None


PostingRuleSetResult = Annotated[
    PostingRuleState | errors.AnyUserError, strawberry.union("PostingRuleSetResult")
]


@strawberry.type
class FinanceMutation:
    @strawberry.mutation
    async def supplier_bill_post(
        self, info: Info, input: inputs.SupplierBillPostInput
    ) -> SupplierBillPostResult:
        async def run() -> Posted:
            auth.require(info, W)
            return Posted.of(
                await bills.supplier_bill_post(
                    input.supplier_code,
                    input.bill_date,
                    input.domain_lines(),
                    input.supplier_ref,
                    input.stated_tax,
                    key=auth.client_key(info, input.idempotency_key),
                    custom=given(input.custom_fields),
                )
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def supplier_bill_approve(
        self, info: Info, input: inputs.SupplierBillActionInput
    ) -> SupplierBillApproveResult:
        async def run() -> Posted:
            principal = auth.require(info, W)
            bill_id = rl.decode_id(input.supplier_bill_id, "SupplierBill", ("supplierBillId",))
            return Posted.of(
                await bills.supplier_bill_approve(
                    bill_id,
                    key=auth.client_key(info, input.idempotency_key),
                    requested_by_id=principal.user_id,
                )
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def supplier_bill_reject(
        self, info: Info, input: inputs.SupplierBillActionInput
    ) -> SupplierBillRejectResult:
        async def run() -> Posted:
            auth.require(info, W)
            bill_id = rl.decode_id(input.supplier_bill_id, "SupplierBill", ("supplierBillId",))
            return Posted.of(
                await bills.supplier_bill_reject(bill_id, key=auth.client_key(info, input.idempotency_key))
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def customer_invoice_post(
        self, info: Info, input: inputs.CustomerInvoicePostInput
    ) -> CustomerInvoicePostResult:
        async def run() -> Posted:
            auth.require(info, W)
            ids = [
                rl.decode_id(s, "Shipment", ("shipmentIds", str(i))) for i, s in enumerate(input.shipment_ids)
            ]
            return Posted.of(
                await invoices.customer_invoice_post(
                    ids,
                    input.invoice_date,
                    key=auth.client_key(info, input.idempotency_key),
                    custom=given(input.custom_fields),
                )
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def customer_credit_note_post(
        self, info: Info, input: inputs.CustomerCreditNotePostInput
    ) -> CustomerCreditNotePostResult:
        async def run() -> Posted:
            auth.require(info, W)
            ret = rl.decode_id(input.customer_return_id, "CustomerReturn", ("customerReturnId",))
            return Posted.of(
                await invoices.customer_credit_note_post(
                    ret, input.credit_date, key=auth.client_key(info, input.idempotency_key)
                )
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def payment_post(self, info: Info, input: inputs.PaymentPostInput) -> PaymentPostResult:
        async def run() -> Posted:
            principal = auth.require(info, W)
            return Posted.of(
                await payments.payment_post(
                    input.direction,
                    input.partner_code,
                    input.amount,
                    input.paid_on,
                    input.domain_allocations(),
                    input.method,
                    input.reference,
                    key=auth.client_key(info, input.idempotency_key),
                    requested_by_id=principal.user_id,
                )
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def journal_entry_post(
        self, info: Info, input: inputs.JournalEntryPostInput
    ) -> JournalEntryPostResult:
        async def run() -> Posted:
            who = auth.require(info, W)
            return Posted.of(
                await services.journal_entry_post(
                    input.entry_date,
                    input.domain_lines(),
                    input.memo,
                    key=auth.client_key(info, input.idempotency_key),
                    posted_by_id=who.user_id,
                )
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def journal_entry_reverse(
        self, info: Info, input: inputs.JournalEntryReverseInput
    ) -> JournalEntryReverseResult:
        async def run() -> Posted:
            who = auth.require(info, W)
            entry = rl.decode_id(input.journal_entry_id, "JournalEntry", ("journalEntryId",))
            return Posted.of(
                await services.journal_entry_reverse(
                    entry,
                    input.on,
                    input.memo,
                    key=auth.client_key(info, input.idempotency_key),
                    posted_by_id=who.user_id,
                )
            )

        return await errors.guard(run())

    @strawberry.mutation
    async def period_close(self, info: Info, input: inputs.PeriodCloseInput) -> PeriodCloseResult:
        async def run() -> PeriodState:
            auth.require(info, W)
            row = await services.period_set_closed(input.period, input.closed, datetime.now(UTC))
            return PeriodState(period=row.period, closed=row.closed)

        return await errors.guard(run())

    @strawberry.mutation
    async def account_create(self, info: Info, input: inputs.AccountCreateInput) -> AccountResult:
        async def run() -> t.Account:
            auth.require(info, W)
            return t.Account.from_row(await services.account_create(input.code, input.name, input.type))

        return await errors.guard(run())

    @strawberry.mutation
    async def posting_rule_set(self, info: Info, input: inputs.PostingRuleSetInput) -> PostingRuleSetResult:
        async def run() -> PostingRuleState:
            auth.require(info, W)
            await services.posting_rule_set(input.role, input.account_code, input.category_code)
            return PostingRuleState(
                role=input.role, account_code=input.account_code, category_code=input.category_code
            )

        return await errors.guard(run())
