"""The books against the ledger: every disagreement ``lotline check`` reports, as one list that both the CLI
and the data-health dashboard read, so the two cannot tell different stories.

The checks themselves live with their areas (stock rebuilt from the ledger and stale expiry statuses in
``inventory.consistency``, exact decimals in ``common.exactness``, GRNI against the purchase documents in
``finance.grni_checks``, control accounts against subledgers in ``finance.reports``); this module runs them in
that order and, where a disagreement concerns one supplier (a lot it delivered, its order line, its payables
or GRNI balance), says which, for the per-supplier consistency metric. ``text`` is the line the CLI prints.
"""

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from domain.common.digits import ascii_digits
from domain.common.exactness import inexact_decimals
from domain.finance import reports
from domain.finance.grni_checks import grni_against_documents
from domain.inventory.consistency import check_consistency
from domain.inventory.models import Batch
from domain.purchasing.models import PurchaseOrderLine

NO_SUPPLIER = 0  # a disagreement that is not one supplier's (a SKU's valuation, a customer's balance)
SUPPLIER_BALANCES = frozenset({"grni", "payables"})  # reconciliations keyed by supplier id


@dataclass(frozen=True)
class Disagreement:
    source: str  # stock | decimals | grni_documents | reconciliation
    what: str  # the kind: on_hand, valuation_value, grni_quantity, payables, …
    text: str  # exactly the line `lotline check` prints
    supplier_id: int  # NO_SUPPLIER when it is not one supplier's


def _batch_of(key: str) -> int | None:
    """The batch of a stock difference's key ``(sku, location, batch, status)``; None for other keys."""
    try:
        parsed = ast.literal_eval(key)
    except (ValueError, SyntaxError):
        return None
    if isinstance(parsed, tuple) and len(parsed) == 4 and isinstance(parsed[2], int):
        return parsed[2]
    return None


async def _suppliers_of_batches(ids: Iterable[int]) -> dict[int, int]:
    rows = await Batch.filter(id__in=set(ids)).values_list("id", "supplier_id")
    return {batch: supplier or NO_SUPPLIER for batch, supplier in rows}


async def books_vs_ledger(now: datetime | None) -> list[Disagreement]:
    """Every disagreement, in the order ``lotline check`` prints them. ``now``: the instant whose business
    day decides what is past its expiry (``None``: the ledger checks only, for tests on fixed dates)."""
    found: list[Disagreement] = []
    stock = await check_consistency(now)
    batches = await _suppliers_of_batches(b for d in stock if (b := _batch_of(d.key)) is not None)
    for d in stock:
        batch = _batch_of(d.key)
        supplier = batches.get(batch, NO_SUPPLIER) if batch is not None else NO_SUPPLIER
        found.append(Disagreement("stock", d.what.split(" ")[0], str(d), supplier))
    found += [
        Disagreement("decimals", "inexact_decimal", str(d), NO_SUPPLIER) for d in await inexact_decimals()
    ]
    grni = await grni_against_documents()
    lines = dict(
        await PurchaseOrderLine.filter(id__in={g.order_line_id for g in grni}).values_list(
            "id", "order__supplier_id"
        )
    )
    found += [
        Disagreement("grni_documents", g.what, str(g), lines.get(g.order_line_id, NO_SUPPLIER)) for g in grni
    ]
    for rec in await reports.reconciliation():
        for key, diff in rec.differences.items():
            supplier = int(key) if rec.name in SUPPLIER_BALANCES and ascii_digits(key) else NO_SUPPLIER
            text = f"{rec.name} {key}: books - subledger = {diff}"
            found.append(Disagreement("reconciliation", rec.name, text, supplier))
        if rec.difference and not rec.differences:
            text = f"{rec.name}: books - subledger = {rec.difference}"
            found.append(Disagreement("reconciliation", rec.name, text, NO_SUPPLIER))
    return found
