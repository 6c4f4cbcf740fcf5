"""Recall rules, pure: which lots a recall blocks, what each customer is told, and the summary at close.

Quantities are exact decimals in each SKU's base unit, totalled per unit (a recall can reach products
counted in kg and in pieces); nothing here rounds. Shapes:

* ``CustomerLine`` -- one customer: what it received of the recalled lots, what came back, what is still out.
* ``RecallSummary`` -- at close: shipped, returned, outstanding with customers, destroyed, still held, per
  unit; ``as_dict`` gives it as JSON (decimals as strings).
"""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any


class RecallStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


#: Lot statuses a recall takes to ``blocked``. Rejected and expired stock is already final (it can only be
#: returned or destroyed) and keeps its status; blocked stays blocked.
BLOCKS = frozenset({"available", "quarantine"})
#: Statuses in which recalled stock may be destroyed under the recall.
DESTROYABLE = frozenset({"blocked", "rejected", "expired"})

Totals = dict[str, Decimal]  # base unit -> quantity

CSV_COLUMNS = (
    "recall",
    "customer_code",
    "customer_name",
    "sku_code",
    "lot_code",
    "shipped",
    "unit",
    "returned_by_customer",
    "outstanding",
    "notice_zh",
    "notice_en",
)


def lots_to_block(statuses: Mapping[int, str]) -> list[int]:
    """The batch ids (of ``{batch id: status}``) a recall changes to blocked, in id order."""
    return sorted(b for b, status in statuses.items() if status in BLOCKS)


def _add(into: dict[str, Decimal], unit: str, qty: Decimal) -> None:
    into[unit] = into.get(unit, Decimal(0)) + qty


def outstanding(shipped: Mapping[str, Decimal], returned: Mapping[str, Decimal]) -> Totals:
    """Per unit, what a customer still holds: shipped less returned, never below zero (a customer may
    return more than this recall's lots, e.g. a mix of lots in one return)."""
    return {u: max(q - returned.get(u, Decimal(0)), Decimal(0)) for u, q in sorted(shipped.items())}


@dataclass(frozen=True)
class CustomerLine:
    code: str
    name: str
    lots: tuple[tuple[str, str, Decimal, str], ...]  # (sku code, lot code, quantity shipped, unit)
    shipped: Totals
    returned: Totals

    @property
    def outstanding(self) -> Totals:
        return outstanding(self.shipped, self.returned)


@dataclass(frozen=True)
class RecallSummary:
    customers: int
    shipped: Totals
    returned: Totals
    outstanding: Totals
    destroyed: Totals
    held: Totals  # our own stock of the recalled lots, still blocked (or rejected, expired) on hand
    lots: int

    def as_dict(self) -> dict[str, Any]:
        def text(t: Totals) -> dict[str, str]:
            return {u: str(q) for u, q in sorted(t.items())}

        return {
            "customers": self.customers,
            "lots": self.lots,
            "shipped": text(self.shipped),
            "returned": text(self.returned),
            "outstanding": text(self.outstanding),
            "destroyed": text(self.destroyed),
            "held": text(self.held),
        }


def summarize(
    customers: Sequence[CustomerLine],
    destroyed: Iterable[tuple[str, Decimal]],
    held: Iterable[tuple[str, Decimal]],
    lots: int,
) -> RecallSummary:
    """The recall's totals per unit: customers' shipped, returned and outstanding; destroyed and held by
    us (``(unit, quantity)`` pairs)."""
    shipped: Totals = {}
    returned: Totals = {}
    out: Totals = {}
    for c in customers:
        for unit, q in c.shipped.items():
            _add(shipped, unit, q)
        for unit, q in c.returned.items():
            _add(returned, unit, q)
        for unit, q in c.outstanding.items():
            _add(out, unit, q)
    gone: Totals = defaultdict(Decimal)
    for unit, q in destroyed:
        gone[unit] += q
    kept: Totals = defaultdict(Decimal)
    for unit, q in held:
        kept[unit] += q
    return RecallSummary(len(customers), shipped, returned, out, dict(gone), dict(kept), lots)


def notice_rows(
    number: str, notice_zh: str, notice_en: str, customers: Sequence[CustomerLine]
) -> list[dict[str, str]]:
    """One row per customer and lot: what it received and what it is asked to send back or set aside.

    Returns are known per customer and unit, not per lot: each lot row repeats the customer's totals for its
    unit, so a spreadsheet filtered by customer reads right."""
    rows = []
    for c in customers:
        left = c.outstanding
        for sku, lot, qty, unit in c.lots:
            rows.append(
                {
                    "recall": number,
                    "customer_code": c.code,
                    "customer_name": c.name,
                    "sku_code": sku,
                    "lot_code": lot,
                    "shipped": str(qty),
                    "unit": unit,
                    "returned_by_customer": str(c.returned.get(unit, Decimal(0))),
                    "outstanding": str(left.get(unit, Decimal(0))),
                    "notice_zh": notice_zh,
                    "notice_en": notice_en,
                }
            )
    return rows


def to_csv(rows: Sequence[Mapping[str, str]]) -> bytes:
    """UTF-8 with a BOM (spreadsheet programs then read Chinese right), ``CSV_COLUMNS`` in order."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(CSV_COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")
