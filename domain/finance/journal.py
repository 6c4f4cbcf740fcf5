"""Writing journal entries: the chart's role map, the period check and the one function that appends an entry.

Every finance posting ends here, inside its caller's transaction, so an entry exists exactly when the
document that caused it does.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.common import bulk_insert
from domain.common.dialect import is_postgres
from domain.common.errors import ValidationError
from domain.finance import chart, rules
from domain.finance.errors import ClosedPeriod
from domain.finance.models import Account, FiscalPeriod, JournalEntry, JournalLine, PostingRule

Role = rules.Role


@dataclass(frozen=True)
class RoleMap:
    by_rule: dict[tuple[str, int | None], Account]

    def account(self, role: Role, category_id: int | None = None) -> Account:
        found = self.by_rule.get((role.value, category_id)) or self.by_rule.get((role.value, None))
        if found is None:
            raise ValidationError(f"no posting rule for {role.value}", ("postingRules",))
        return found

    def accounts_of(self, role: Role) -> list[Account]:
        return [a for (r, _), a in self.by_rule.items() if r == role.value]


async def seed_chart() -> int:
    """Creates the template's missing accounts and default rules; returns how many accounts it made."""
    existing = {a.code: a for a in await Account.all()}
    control_codes = {code for role, code in chart.DEFAULT_RULES.items() if role in rules.CONTROL_ROLES}
    made = 0
    for t in chart.TEMPLATE:
        if t.code not in existing:
            existing[t.code] = await Account.create(
                code=t.code, name=t.name, type=t.type.value, control=t.code in control_codes
            )
            made += 1
    have = {(r.role, r.category_id) for r in await PostingRule.all()}
    for role, code in chart.DEFAULT_RULES.items():
        if (role.value, None) not in have:
            await PostingRule.create(role=role.value, category_id=None, account=existing[code])
    return made


async def role_map() -> RoleMap:
    rows = await PostingRule.all().prefetch_related("account")
    if not rows:
        await seed_chart()
        rows = await PostingRule.all().prefetch_related("account")
    return RoleMap({(r.role, r.category_id): r.account for r in rows})


@dataclass(frozen=True)
class RuleAccounts:
    """The posting rules as account ids only: what a stock posting needs to write its entry."""

    by_rule: dict[tuple[str, int | None], int]

    def account_id(self, role: Role, category_id: int | None = None) -> int:
        found = self.by_rule.get((role.value, category_id)) or self.by_rule.get((role.value, None))
        if found is None:
            raise ValidationError(f"no posting rule for {role.value}", ("postingRules",))
        return found


async def rule_accounts() -> RuleAccounts:
    """The rules' target account ids, read fresh on every posting in one small query.

    Not cached in the process on purpose: rules change through the API in whichever server or worker
    process, and a version row to validate a cache would cost the same one statement per posting as
    reading the dozen (role, category, account) tuples themselves, which cannot go stale.
    """
    rows = await PostingRule.all().values_list("role", "category_id", "account_id")
    if not rows:
        await role_map()  # seeds the chart on first use
        rows = await PostingRule.all().values_list("role", "category_id", "account_id")
    return RuleAccounts({(str(r), c): int(a) for r, c, a in rows})


# The rules and the period's state in one statement (issue 15: a stock posting read them in two, each
# ~0.5 ms of ORM Python plus a round trip). Every rule row carries the same ``closed`` of the one period
# row (``period`` is unique), NULL when that period has no row (open).
_RULES_AND_PERIOD = (
    'SELECT r."role", r."category_id", r."account_id", p."closed" FROM "fin_posting_rule" r '
    'LEFT JOIN "fin_period" p ON p."period" = $1'
)


async def rules_and_period(day: date) -> tuple[RuleAccounts, bool | None]:
    """``rule_accounts()`` and whether ``day``'s period is closed, read together on PostgreSQL; the closed
    flag is for ``write_entry(closed=…)``, which raises ``ClosedPeriod`` exactly when it would have.

    Elsewhere (SQLite), or before the chart is seeded: the rules as ``rule_accounts`` reads them and
    ``None`` (the period not read: ``write_entry`` checks it itself, as before).
    ``tests/integration/finance/test_rules_and_period.py`` pins it to the two ORM reads."""
    if is_postgres():
        rows = await PostingRule._meta.db.execute_query_dict(_RULES_AND_PERIOD, [rules.period_of(day)])
        if rows:
            accounts = {(str(r["role"]), r["category_id"]): int(r["account_id"]) for r in rows}
            return RuleAccounts(accounts), bool(rows[0]["closed"])
    return await rule_accounts(), None


async def check_open(day: date, path: tuple[str, ...]) -> str:
    period = rules.period_of(day)
    # No row lock: Tortoise has no FOR SHARE, and FOR (NO KEY) UPDATE would serialise every posting of the
    # month on this row. A posting racing the close of its own period can still land (see the report).
    row = await FiscalPeriod.get_or_none(period=period)
    if row is not None and row.closed:
        raise ClosedPeriod(period, path)
    return period


async def write_entry(
    doc_type: str,
    doc_id: int,
    day: date,
    lines: Sequence[rules.Line],
    *,
    memo: str = "",
    source: str = "auto",
    path: tuple[str, ...] = ("postedAt",),
    reversal_of_id: int | None = None,
    posted_by_id: int | None = None,
    closed: bool | None = None,
) -> JournalEntry | None:
    """Appends a balanced entry dated ``day`` (none if all amounts are zero), in the caller's transaction.

    ``closed``: whether the period is closed, as the caller read it in this transaction
    (``rules_and_period``); ``None`` reads it here. A closed period raises ``ClosedPeriod``."""
    kept = rules.drop_zero(lines)
    if not kept:
        return None
    rules.check_entry(kept)
    if closed is None:
        period = await check_open(day, path)
    elif closed:
        raise ClosedPeriod(rules.period_of(day), path)
    else:
        period = rules.period_of(day)
    entry = JournalEntry(
        entry_date=day,
        period=period,
        doc_type=doc_type,
        doc_id=doc_id,
        memo=memo,
        source=source,
        reversal_of_id=reversal_of_id,
        posted_by_id=posted_by_id,
    )
    # The entry and its lines in one prepared statement, not create and bulk_create (issue 15).
    await bulk_insert.insert_with_children(
        entry,
        [
            JournalLine(
                account_id=ln.account_id,
                entry_date=day,
                debit=ln.debit,
                credit=ln.credit,
                partner_kind=ln.partner_kind,
                partner_id=ln.partner_id,
                sku_id=ln.sku_id,
                doc_type=doc_type,
                doc_id=doc_id,
                memo=ln.memo[:200],
            )
            for ln in kept
        ],
        "entry_id",
    )
    return entry


def entry_number(entry_id: int) -> str:
    return f"JE{entry_id:08d}"
