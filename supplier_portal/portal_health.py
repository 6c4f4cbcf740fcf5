"""数据健康度: the staff dashboard (every supplier, alerts first) and each supplier's own scorecard, as
server-rendered pages with SVG bar charts per metric and week (``charts.bars``).

Staff (a role with ``purchasing_read``) sign in through the same form and reach only the dashboard; a
supplier reaches only its own scorecard (the dashboard is 404 to it). The dashboard's charts and master-data
rows come a page of ``PER_PAGE`` suppliers at a time, those with an alert first: a business with hundreds of
suppliers gets a page a phone can scroll, not one chart per supplier and metric. Both show the books-vs-ledger
list as stored by ``domain.health.snapshot`` with the time it was checked; staff may ask for a check now.
"""

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from domain.common.digits import ascii_digits
from domain.common.errors import NotFound
from domain.health import alerts, rules, services, snapshot
from domain.partners.models import Supplier
from supplier_portal import charts, web

METRICS = (*rules.METRICS,)
PER_PAGE = 10  # suppliers per dashboard page: 10 x 9 metric charts is already a long scroll on a phone


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name, "")
    ok = ascii_digits(raw) and len(raw) <= 9 and int(raw) > 0
    return int(raw) if ok else default


def _weeks(request: Request) -> int:
    return min(_int_param(request, "weeks", 8), services.MAX_WEEKS)


def supplier_page(report: services.Report, number: int) -> tuple[list[int], int, int]:
    """One page of the dashboard's suppliers: (supplier ids, the page number shown, pages).

    Suppliers with an alert come first (in the order of their first alert), then the others by code; a
    ``number`` past the end shows the last page. Every supplier with a value is on exactly one page.
    """
    alerting = list(dict.fromkeys(a.supplier_id for a in report.alerts))
    listed = set(alerting)
    others = sorted(
        {v.supplier_id for v in (*report.values, *report.master)} - listed,
        key=lambda s: (report.suppliers.get(s, ("", ""))[0], s),
    )
    ordered = [*alerting, *others]
    pages = max(1, -(-len(ordered) // PER_PAGE))
    number = min(number, pages)
    return ordered[(number - 1) * PER_PAGE : number * PER_PAGE], number, pages


def _chart(report: services.Report, supplier_id: int, metric: rules.Metric) -> object:
    points = []
    for week in report.weeks:
        v = report.value(supplier_id, week, metric.key)
        points.append(charts.Bar(week.split("-")[1], v.value if v else None, bool(v and v.breached)))
    return charts.bars(points, metric.threshold, metric.unit, f"{metric.label_zh} {metric.label_en}")


@web.page(staff=True)
async def dashboard(request: Request, visitor: web.Visitor) -> Response:
    if visitor.supplier_id is not None:
        raise NotFound("page", "health")
    report = await services.report(datetime.now(UTC), _weeks(request))
    stored = await alerts.recent(None)
    shown, number, pages = supplier_page(report, _int_param(request, "page", 1))
    on_page = set(shown)
    return web.render(
        request,
        "health.html",
        visitor=visitor,
        report=report,
        metrics=METRICS,
        labels={m.key: m for m in (*METRICS, rules.MASTER_DATA)},
        suppliers=shown,
        master=[v for v in report.master if v.supplier_id in on_page],
        page=number,
        pages=pages,
        weeks=_weeks(request),
        chart=lambda s, m: _chart(report, s, m),
        stored=stored,
        codes=await _codes(report, stored),
    )


@web.page(staff=True)
async def refresh(request: Request, visitor: web.Visitor) -> Response:
    """POST: run `lotline check`'s list now and store it (single flight), then back to the dashboard."""
    await web.form_of(request, visitor)  # the CSRF check first: a bad token is 403 for anyone
    if visitor.supplier_id is not None:
        raise NotFound("page", "health")
    await snapshot.refresh()
    return web.redirect("/portal/health#ledger")


@web.page(user_only=True)
async def scorecard(request: Request, visitor: web.Visitor) -> Response:
    assert visitor.supplier_id is not None
    report = await services.report(datetime.now(UTC), _weeks(request), visitor.supplier_id)
    return web.render(
        request,
        "scorecard.html",
        visitor=visitor,
        report=report,
        metrics=METRICS,
        labels={m.key: m for m in (*METRICS, rules.MASTER_DATA)},
        chart=lambda m: _chart(report, visitor.supplier_id or 0, m),
        stored=await alerts.recent(visitor.supplier_id, 20),
    )


async def _codes(report: services.Report, stored: list[alerts.StoredAlert]) -> dict[int, str]:
    """Supplier codes of the report and of stored alerts of suppliers no longer active (0: overall)."""
    codes = {sid: code for sid, (code, _) in report.suppliers.items()}
    missing = {a.supplier_id for a in stored} - set(codes) - {0}
    for s in await Supplier.filter(id__in=missing).only("id", "code"):
        codes[s.id] = s.code
    return codes
