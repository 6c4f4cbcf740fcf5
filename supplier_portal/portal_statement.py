"""对账单: the supplier's statement for a period, read-only, its own supplier only (the supplier comes from
the session, never from the URL), as a page and as a CSV download.

The period is ``?since=YYYY-MM-DD&until=YYYY-MM-DD`` (business dates, both included); left out, it is the
first day of last month to today. A bad period shows the page with the reason (422), the CSV answers 422.
CSV cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` at the start of a text) are
quoted with a leading apostrophe (OWASP's advice on CSV injection); amounts are plain decimals.
"""

import csv
import io
from datetime import UTC, date, datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response

from domain.common import business_time
from domain.common.errors import ValidationError
from domain.finance import statements
from supplier_portal import web

KINDS = {"bill": "账单 bill", "credit_note": "贷项通知单 credit note", "payment": "付款 payment"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _period(request: Request) -> tuple[date, date]:
    today = business_time.business_today(datetime.now(UTC))
    first_of_last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return (
        _day(request, "since", first_of_last_month),
        _day(request, "until", today),
    )


def _day(request: Request, name: str, default: date) -> date:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return default
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise ValidationError(f"{raw!r} is not a date written YYYY-MM-DD", (name,)) from None


@web.page(user_only=True)
async def statement_page(request: Request, visitor: web.Visitor) -> Response:
    assert visitor.supplier_id is not None
    try:
        since, until = _period(request)
        found = await statements.supplier_statement(visitor.supplier_id, since, until)
    except ValidationError as exc:
        return web.render(
            request, "statement.html", status=422, visitor=visitor, s=None, kinds=KINDS, error=exc.message
        )
    return web.render(request, "statement.html", visitor=visitor, s=found, kinds=KINDS, error=None)


def _cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


@web.page(user_only=True)
async def statement_csv(request: Request, visitor: web.Visitor) -> Response:
    assert visitor.supplier_id is not None
    try:
        since, until = _period(request)
        s = await statements.supplier_statement(visitor.supplier_id, since, until)
    except ValidationError as exc:
        return web.error_page(request, 422, "对账期间无效", exc.message, visitor)
    out = io.StringIO()
    writer = csv.writer(out)
    head = [
        "date",
        "kind",
        "number",
        "reference",
        "due_date",
        "amount",
        "balance",
    ]
    writer.writerow(head)
    writer.writerow([s.since.isoformat(), "opening", "", "", "", "", web.number(s.opening)])
    for ln in s.lines:
        writer.writerow(
            [
                ln.day.isoformat(),
                ln.kind,
                _cell(ln.number),
                _cell(ln.reference),
                ln.due_date.isoformat() if ln.due_date else "",
                web.number(ln.amount),
                web.number(ln.balance),
            ]
        )
    writer.writerow([s.until.isoformat(), "closing", "", "", "", "", web.number(s.closing)])
    name = f"statement-{_cell(s.supplier_code)}-{s.since.isoformat()}-{s.until.isoformat()}.csv"
    return Response(
        "\ufeff" + out.getvalue(),  # a BOM, so spreadsheet programs read the Chinese names as UTF-8
        media_type="text/csv; charset=utf-8",
        headers={**web.HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )
