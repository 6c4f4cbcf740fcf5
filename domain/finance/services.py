"""Finance use cases: manual and reversing entries, periods, the chart and its posting rules.

The journal entries of stock postings are in ``postings`` (with the GRNI accruals in ``accruals``); bills,
invoices and payments in ``bills``, ``invoices`` and ``payments``; reports in ``reports``.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from tortoise.transactions import in_transaction

from domain.catalog.models import Category
from domain.common.dialect import is_postgres
from domain.common.digits import ascii_digits
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.common.services import Posted, posting
from domain.finance import rules
from domain.finance.errors import AlreadyReversed, WrongAccountType
from domain.finance.journal import (
    entry_number,
    role_map,
    seed_chart,
    write_entry,
)
from domain.finance.models import (
    Account,
    FiscalPeriod,
    JournalEntry,
    JournalLine,
    PostingRule,
)

Role = rules.Role
__all__ = ["seed_chart"]


# --- manual and reversing entries -------------------------------------------------------------


@dataclass(frozen=True)
class ManualLineInput:
    account_code: str
    debit: Decimal = rules.ZERO
    credit: Decimal = rules.ZERO
    memo: str = ""


async def journal_entry_post(
    entry_date: date,
    lines: list[ManualLineInput],
    memo: str = "",
    key: str | None = None,
    posted_by_id: int | None = None,
) -> Posted:
    """A manual entry (e.g. expenses, capital): balanced, active non-control accounts only."""

    async def body() -> Posted:
        if len(lines) > 500:
            raise ValidationError("at most 500 lines per entry", ("lines",))
        accounts = {a.code: a for a in await Account.filter(code__in={ln.account_code for ln in lines})}
        drafts: list[rules.Line] = []
        for i, ln in enumerate(lines):
            path = ("lines", str(i), "accountCode")
            account = accounts.get(ln.account_code)
            if account is None or not account.active:
                raise NotFound("account", ln.account_code, path)
            if account.control:
                raise WrongAccountType(
                    f"account {account.code} mirrors a sub-ledger and takes automatic postings only", path
                )
            drafts.append(rules.Line(account.id, ln.debit, ln.credit, memo=ln.memo))
        rules.check_entry(drafts)
        entry = await write_entry(
            "manual",
            0,
            entry_date,
            drafts,
            memo=memo,
            source="manual",
            path=("entryDate",),
            posted_by_id=posted_by_id,
        )
        assert entry is not None
        return Posted("journal_entry", entry.id, entry_number(entry.id))

    return await posting("journal_entry_post", key, body)


async def journal_entry_reverse(
    entry_id: int, on: date, memo: str = "", key: str | None = None, posted_by_id: int | None = None
) -> Posted:
    """The correction of an entry: a new entry with every side swapped, dated ``on`` (an open period)."""

    async def body() -> Posted:
        query = JournalEntry.filter(id=entry_id)
        if is_postgres():
            query = query.select_for_update()
        entry = await query.first()
        if entry is None:
            raise NotFound("journal entry", entry_id, ("entryId",))
        if entry.source == "reversal":
            raise Conflict("a reversal is not reversed again: post a new entry", ("entryId",))
        if await JournalEntry.exists(reversal_of_id=entry.id):
            raise AlreadyReversed(f"entry {entry_number(entry.id)} is already reversed", ("entryId",))
        original = [
            rules.Line(
                ln.account_id,
                Decimal(ln.debit),
                Decimal(ln.credit),
                ln.partner_kind,
                ln.partner_id,
                ln.sku_id,
                ln.memo,
            )
            for ln in await JournalLine.filter(entry_id=entry.id).order_by("id")
        ]
        rev = await write_entry(
            entry.doc_type,
            entry.doc_id,
            on,
            rules.reverse(original),
            memo=memo or f"reversal of {entry_number(entry.id)}",
            source="reversal",
            path=("on",),
            reversal_of_id=entry.id,
            posted_by_id=posted_by_id,
        )
        assert rev is not None
        return Posted("journal_entry", rev.id, entry_number(rev.id))

    return await posting("journal_entry_reverse", key, body)


# --- periods ----------------------------------------------------------------------------------


async def period_set_closed(period: str, closed: bool, now: datetime) -> FiscalPeriod:
    rules.check_period(period)
    async with in_transaction():
        row, _ = await FiscalPeriod.get_or_create(period=period)
        query = FiscalPeriod.filter(id=row.id)
        if is_postgres():
            query = query.select_for_update()
        row = await query.get()
        row.closed = closed
        row.closed_at = now if closed else None
        await row.save(update_fields=["closed", "closed_at"])
        return row


# --- chart and posting rules ------------------------------------------------------------------


async def account_create(code: str, name: str, type_: str) -> Account:
    if not code.strip() or not ascii_digits(code):
        raise ValidationError("an account code is digits, e.g. 660201", ("code",))
    if not name.strip():
        raise ValidationError("an account needs a name", ("name",))
    try:
        kind = rules.AccountType(type_)
    except ValueError:
        raise ValidationError(f"unknown account type {type_!r}", ("type",)) from None
    async with in_transaction():
        if await Account.exists(code=code):
            raise Conflict(f"account {code} already exists", ("code",))
        return await Account.create(code=code, name=name.strip(), type=kind.value)


async def account_update(code: str, name: str | None = None, active: bool | None = None) -> Account:
    async with in_transaction():
        account = await Account.get_or_none(code=code)
        if account is None:
            raise NotFound("account", code, ("code",))
        if name is not None:
            if not name.strip():
                raise ValidationError("an account needs a name", ("name",))
            account.name = name.strip()
        if active is False and await PostingRule.exists(account_id=account.id):
            raise Conflict(f"account {code} is the target of a posting rule", ("active",))
        if active is not None:
            account.active = active
        await account.save()
        return account


async def posting_rule_set(role: str, account_code: str, category_code: str | None = None) -> PostingRule:
    """Points a role (for one SKU category, or for all) at an account of the right type."""
    try:
        parsed = Role(role)
    except ValueError:
        raise ValidationError(f"unknown role {role!r}", ("role",)) from None
    async with in_transaction():
        await role_map()  # seeds the chart on first use
        account = await Account.get_or_none(code=account_code, active=True)
        if account is None:
            raise NotFound("account", account_code, ("accountCode",))
        rules.check_role_account(parsed, account.type, account.code, ("accountCode",))
        category_id = None
        if category_code is not None:
            category = await Category.get_or_none(code=category_code)
            if category is None:
                raise NotFound("category", category_code, ("categoryCode",))
            category_id = category.id
        if parsed in rules.CONTROL_ROLES and not account.control:
            account.control = True
            await account.save(update_fields=["control"])
        rule = await PostingRule.get_or_none(role=parsed.value, category_id=category_id)
        if rule is None:
            return await PostingRule.create(role=parsed.value, category_id=category_id, account=account)
        rule.account_id = account.id
        await rule.save(update_fields=["account_id"])
        return rule
