"""Payment terms and due dates, pure: when each part of a bill or an invoice falls due.

Terms are stored on the supplier or customer as JSON, one of::

    {"kind": "net", "days": 30}                     due 30 days after the document date (净30天)
    {"kind": "eom", "days": 15}                     15 days after the end of the document's month (月结15天)
    {"kind": "instalments", "parts": [{"share": "0.3", "days": 0}, {"share": "0.7", "days": 60}],
     "endOfMonth": false}                           分期: shares of the total, each with its days

Dates are business dates (the document date is already one: ``domain.common.business_time``), so a due date
is a calendar date in the business time zone and never moves with the server's zone. Amounts are cents:
every instalment but the last is its share of the total rounded half-even to the cent, and the last takes the
remainder, so the instalments always add up to the total exactly (credit notes too, with negative totals).
"""

import calendar
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")
MAX_DAYS = 730
MAX_PARTS = 12
NOT_DUE = "not_due"
OVERDUE_BUCKETS = ("0-30", "31-60", "61-90", ">90")  # days past due, as the document-date ageing names them


@dataclass(frozen=True)
class Part:
    share: Decimal  # of the total, 0 < share <= 1
    days: int


@dataclass(frozen=True)
class Terms:
    parts: tuple[Part, ...]
    end_of_month: bool = False


@dataclass(frozen=True)
class Instalment:
    due_date: date
    amount: Decimal


NET_ON_DATE = Terms((Part(Decimal(1), 0),))


def _days(value: Any, path: tuple[str, ...]) -> tuple[int, list[tuple[tuple[str, ...], str]]]:
    if isinstance(value, bool) or not isinstance(value, int) or not (0 <= value <= MAX_DAYS):
        return 0, [(path, f"days is a whole number from 0 to {MAX_DAYS}")]
    return value, []


def parse(spec: Any) -> tuple[Terms | None, list[tuple[tuple[str, ...], str]]]:
    """Terms from their JSON (see the module), or every problem as ``(path, message)``."""
    if not isinstance(spec, dict):
        return None, [((), "payment terms are a JSON object with a kind")]
    kind = spec.get("kind")
    if kind in ("net", "eom"):
        days, problems = _days(spec.get("days"), ("days",))
        return (None if problems else Terms((Part(Decimal(1), days),), kind == "eom")), problems
    if kind != "instalments":
        return None, [(("kind",), "kind is net, eom or instalments")]
    raw = spec.get("parts")
    if not isinstance(raw, list) or not (1 <= len(raw) <= MAX_PARTS):
        return None, [(("parts",), f"instalments have 1 to {MAX_PARTS} parts")]
    problems = []
    parts: list[Part] = []
    for i, item in enumerate(raw):
        path = ("parts", str(i))
        item = item if isinstance(item, dict) else {}
        try:
            share = Decimal(str(item.get("share")))
        except InvalidOperation:
            share = Decimal(-1)
        if not (share.is_finite() and 0 < share <= 1) or isinstance(item.get("share"), float):
            problems.append(((*path, "share"), 'share is a decimal string above 0 and at most 1, e.g. "0.3"'))
        days, found = _days(item.get("days"), (*path, "days"))
        problems += found
        parts.append(Part(share, days))
    if not problems and sum((p.share for p in parts), Decimal(0)) != 1:
        problems.append((("parts",), "the shares add up to exactly 1"))
    if not problems and any(b.days < a.days for a, b in itertools.pairwise(parts)):
        problems.append((("parts",), "instalments are in order of their days"))
    eom = spec.get("endOfMonth", False)
    if not isinstance(eom, bool):
        problems.append((("endOfMonth",), "endOfMonth is true or false"))
    return (None if problems else Terms(tuple(parts), bool(eom))), problems


def to_json(terms: Terms) -> dict[str, Any]:
    """The canonical JSON of ``terms`` (what ``parse`` reads back to the same terms)."""
    if len(terms.parts) == 1 and terms.parts[0].share == 1:
        return {"kind": "eom" if terms.end_of_month else "net", "days": terms.parts[0].days}
    return {
        "kind": "instalments",
        "parts": [{"share": str(p.share), "days": p.days} for p in terms.parts],
        "endOfMonth": terms.end_of_month,
    }


def base_date(terms: Terms, document_date: date) -> date:
    """The day the term's days count from: the document date, or the last day of its month."""
    if not terms.end_of_month:
        return document_date
    last = calendar.monthrange(document_date.year, document_date.month)[1]
    return document_date.replace(day=last)


def schedule(terms: Terms, document_date: date, total: Decimal) -> list[Instalment]:
    """The instalments of a document of ``total`` (in cents) dated ``document_date``; they add up to
    ``total`` exactly and their due dates never decrease."""
    start = base_date(terms, document_date)
    out: list[Instalment] = []
    rest = total
    for i, part in enumerate(terms.parts):
        last = i == len(terms.parts) - 1
        amount = rest if last else (total * part.share).quantize(CENT, ROUND_HALF_EVEN)
        rest -= amount
        out.append(Instalment(start + timedelta(days=part.days), amount))
    return out


def open_instalments(instalments: list[Instalment], paid: Decimal) -> list[Instalment]:
    """What is still open of each instalment once ``paid`` is applied to the earliest first."""
    out: list[Instalment] = []
    left = paid
    for inst in instalments:
        applied = min(inst.amount, left) if inst.amount > 0 else max(inst.amount, left)
        left -= applied
        if inst.amount - applied:
            out.append(Instalment(inst.due_date, inst.amount - applied))
    return out


def due_bucket(due_date: date, as_of: date) -> str:
    """``not_due`` until the due date has passed, then the days past due (``0-30`` … ``>90``)."""
    days = (as_of - due_date).days
    if days <= 0:
        return NOT_DUE
    for limit, name in zip((30, 60, 90), OVERDUE_BUCKETS, strict=False):
        if days <= limit:
            return name
    return OVERDUE_BUCKETS[-1]


def age_by_due(items: Iterable[Instalment], as_of: date) -> dict[str, Decimal]:
    """Open amounts per bucket of days past due (``not_due`` first)."""
    totals = dict.fromkeys((NOT_DUE, *OVERDUE_BUCKETS), Decimal(0))
    for inst in items:
        totals[due_bucket(inst.due_date, as_of)] += inst.amount
    return totals


def stamp(spec: Any, document_date: date, total: Decimal) -> tuple[date, list[dict[str, str]]]:
    """The due date (the last instalment's) and the schedule JSON a document stores at posting, from its
    partner's stored terms (``None``, or terms no longer valid: due on the document date)."""
    terms, _ = parse(spec) if spec is not None else (None, [])
    parts = schedule(terms or NET_ON_DATE, document_date, total)
    return parts[-1].due_date, [{"dueDate": p.due_date.isoformat(), "amount": str(p.amount)} for p in parts]


def from_json(rows: list[dict[str, str]], document_date: date, total: Decimal) -> list[Instalment]:
    """A stored schedule back to instalments; a document posted before terms existed is due on its date."""
    if not rows:
        return [Instalment(document_date, total)]
    return [Instalment(date.fromisoformat(r["dueDate"]), Decimal(r["amount"])) for r in rows]
