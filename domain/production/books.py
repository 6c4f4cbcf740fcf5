"""The journal entry of a completion: everything passes through work in progress (生产成本).

Dr WIP / Cr inventory for the components consumed (their ledger value, per SKU, in cents); Dr WIP / Cr the
applied-labour and applied-overhead accounts at the routing's rates; Dr inventory / Cr WIP for the output
and by-product lots at the value ``rules.cost_completion`` gave them. The output's value is the WIP debits to
the cent, so each completion leaves its order's WIP at zero and the entry balances by construction.
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from domain.catalog.models import Sku
from domain.finance import journal
from domain.finance import rules as fin
from domain.finance.postings import booked_by_sku
from domain.inventory.models import StockMove

Role = fin.Role
DOC_TYPE = "production_completion"


async def accounts() -> journal.RuleAccounts:
    """The posting rules, with the production roles seeded into a chart made before they existed."""
    roles = await journal.rule_accounts()
    if (Role.WIP.value, None) not in roles.by_rule:
        await journal.seed_chart()  # idempotent: adds the missing accounts and default rules only
        roles = await journal.rule_accounts()
    return roles


async def book_completion(
    completion_id: int,
    consumed_booked: dict[int, Decimal],
    produced: Sequence[StockMove],
    labour: Decimal,
    overhead: Decimal,
    posted_at: datetime,
    memo: str,
) -> Decimal:
    """Writes the completion's entry; returns the WIP credited to the outputs (cents).

    ``consumed_booked``: per component SKU, the (negative) cent change of inventory its moves booked
    (``booked_by_sku`` right after they were applied, before the outputs touch any valuation).
    """
    roles = await accounts()
    out_booked = await booked_by_sku(produced)
    cats = {s.id: s.category_id for s in await Sku.filter(id__in=set(consumed_booked) | set(out_booked))}
    wip = roles.account_id(Role.WIP)
    lines: list[fin.Line] = []
    for sku_id, amount in sorted(consumed_booked.items()):
        lines.append(fin.signed(roles.account_id(Role.INVENTORY, cats.get(sku_id)), amount, sku_id=sku_id))
        lines.append(fin.signed(wip, -amount, sku_id=sku_id, memo="materials"))
    lines.append(fin.signed(wip, labour, memo="labour applied"))
    lines.append(fin.signed(roles.account_id(Role.LABOUR_APPLIED), -labour))
    lines.append(fin.signed(wip, overhead, memo="overhead applied"))
    lines.append(fin.signed(roles.account_id(Role.OVERHEAD_APPLIED), -overhead))
    for sku_id, amount in sorted(out_booked.items()):
        lines.append(fin.signed(roles.account_id(Role.INVENTORY, cats.get(sku_id)), amount, sku_id=sku_id))
        lines.append(fin.signed(wip, -amount, sku_id=sku_id, memo="output"))
    await journal.write_entry(
        DOC_TYPE, completion_id, fin.book_date(posted_at), lines, path=("postedAt",), memo=memo
    )
    return sum(out_booked.values(), Decimal(0))
