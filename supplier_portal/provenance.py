"""The public QR provenance page: ``/p/{code}`` and its printable label, for anyone who scans a box.

No login and nothing private: every fact comes from ``provenance.services.provenance_of``, which builds an
allow-listed view. The page is self-contained (inline CSS, no scripts, no external assets) and its
Content-Security-Policy says so, so it loads on a weak phone connection and leaks no visit to a third party.
"""

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from domain.common.digits import ascii_digits
from domain.provenance import fingerprint as fingerprint_of
from domain.provenance import rules, services
from lotline.chainview import roots_for, rpc_for, with_chain_facts
from lotline.config import Settings, get_settings
from supplier_portal import cosigned
from supplier_portal.coalesce import FreshCheck

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html", "svg"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
CONTRACT_PLACEHOLDER = "<AnchorRegistry 合约地址 address>"

#: (business step, disposition) -> (中文, English); a step missing here shows its CBV name.
STEP_LABELS: dict[tuple[str, str | None], tuple[str, str]] = {
    ("receiving", "returned"): ("退货入库", "returned by a customer"),
    ("receiving", None): ("收货入库", "received"),
    ("inspecting", "conformant"): ("质检合格", "passed inspection"),
    ("inspecting", "non_conformant"): ("质检不合格", "failed inspection"),
    ("inspecting", None): ("开始质检", "inspection started"),
    ("holding", None): ("暂停销售", "put on hold"),
    ("stocking", None): ("放行上架", "released for sale"),
    ("storing", None): ("储存", "in storage"),
    ("departing", None): ("调拨发出", "left for another warehouse"),
    ("arriving", None): ("调拨到达", "arrived at warehouse"),
    ("shipping", "returned"): ("退回供应商", "returned to supplier"),
    ("shipping", None): ("发往门店", "shipped to store"),
    ("repackaging", None): ("分装", "repacked"),
    ("commissioning", None): ("加工", "processed"),
    ("destroying", None): ("销毁", "destroyed"),
}
VERDICTS: dict[str, tuple[str, str]] = {
    rules.Verdict.PASS: ("合格", "passed"),
    rules.Verdict.FAIL: ("不合格", "failed"),
    rules.Verdict.PENDING: ("检测中", "pending"),
    rules.Verdict.NONE: ("无质检记录", "not inspected"),
}


#: Verification states (``integrity.State``) -> what a step says.
STATE_LABELS: dict[str, str] = {
    "verified": "✓ 已上链验证 verified on chain",
    "altered": "⚠ 锚定后被修改 altered after anchoring",
    "missing": "⚠ 缺失 missing",
    "inserted": "⚠ 不在上链记录中 not in the anchored record",
    "not_anchored": "⚠ 尚未上链 not yet anchored",
    "unverifiable": "⚠ 无法读取区块链 chain unavailable, not verified",
}
#: The batch as a whole.
BATCH_LABELS: dict[str, str] = {
    "verified": "✓ 全部记录已上链验证 every record verified on chain",
    "altered": "⚠ 锚定后被修改 altered after anchoring: 记录与上链内容不符 no longer matches the chain",
    "missing": "⚠ 缺失 missing: 有已记录的步骤被删除 recorded steps have been removed",
    "inserted": "⚠ 有记录不在上链记录中 a record was slipped in that is not in the anchored record",
    "not_anchored": "⚠ 尚未上链 not yet anchored: 部分记录等待上链 some records wait for their anchor",
    "unverifiable": "⚠ 无法读取区块链 chain unavailable: 暂时无法核验 cannot be verified right now",
}
PAGE_SIZE = 50  # journey steps per page: keeps any batch's page well under 100 KB


def _tone(state: str) -> str:
    return {"verified": "ok", "not_anchored": "wait", "unverifiable": "wait"}.get(state, "bad")


@dataclass(frozen=True)
class JourneyPage:
    number: int
    pages: int
    steps: list[services.Step]
    groups: list[list[services.Step]]  # consecutive steps with the same label, collapsed under one heading


def journey_page(steps: Sequence[services.Step], number: int) -> JourneyPage:
    pages = max(1, -(-len(steps) // PAGE_SIZE))
    number = min(max(1, number), pages)
    shown = list(steps[(number - 1) * PAGE_SIZE : number * PAGE_SIZE])
    groups: list[list[services.Step]] = []
    for step in shown:
        if groups and step_label(groups[-1][0]) == step_label(step):
            groups[-1].append(step)
        else:
            groups.append([step])
    return JourneyPage(number, pages, shown, groups)


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return int(raw) if ascii_digits(raw) and len(raw) < 7 else 1


def step_label(step: services.Step) -> tuple[str, str]:
    if step.certificate:
        return ("证书存档", "certificate filed")
    return STEP_LABELS.get((step.biz_step, step.disposition)) or STEP_LABELS.get(
        (step.biz_step, None), (step.biz_step, step.biz_step)
    )


def _settings(request: Request) -> Settings:
    settings = getattr(request.app.state, "settings", None)
    return settings if isinstance(settings, Settings) else get_settings()


def page_url(request: Request, code: str) -> str:
    """The absolute URL the QR code carries: the configured public base URL if any, else this request's."""
    base = str(getattr(_settings(request), "public_base_url", "") or "").rstrip("/")
    return f"{base}/p/{code}" if base else str(request.url_for("provenance_page", code=code))


def not_found(request: Request) -> Response:
    html = TEMPLATES.get_template("provenance_404.html").render()
    return HTMLResponse(html, status_code=404, headers={**PAGE_HEADERS, "Cache-Control": "no-store"})


#: Built pages by (code, page number): (expires at, fingerprint, html). A page is served again only while
#: the database still fingerprints the same (``fingerprint.page_fingerprint``: any insertion, deletion or
#: update of a row the page reads -- the batch's trace links, events, chain heads, proofs, anchors, lineage,
#: checks, recalls -- changes it, on PostgreSQL by the rows' versions) and for at most
#: ``provenance_page_cache_seconds`` (10 s), within the chain root cache's own bound. Kept small: the oldest
#: entry goes first. ``_BUILDING`` holds the build under way per page and fingerprint: concurrent requests
#: for a changed or stale page share one build.
_PAGES: dict[tuple[str, int, str, str], tuple[float, str, str]] = {}
MAX_PAGES = 512
_BUILDING: dict[tuple[tuple[str, int, str, str], str], "asyncio.Future[str | None]"] = {}
#: Unchanged-checks of a code, shared by the requests that arrive while one runs (each still gets a check
#: that started after it arrived): under a burst of scans PostgreSQL digests a batch once per check, not once
#: per request. Keyed by the database too, so an app serving another database never shares its checks.
_CHECKS: FreshCheck[tuple[str, str], str | None] = FreshCheck()


async def provenance_page(request: Request) -> Response:
    code = rules.normalise_code(request.path_params["code"]) or request.path_params["code"]
    number = _page_number(request)
    settings = _settings(request)
    ttl = settings.provenance_page_cache_seconds
    fingerprint = (
        await _CHECKS.get((settings.database_url, code), lambda: fingerprint_of.page_fingerprint(code))
        if ttl > 0
        else None
    )
    key = (code, number, settings.chain_rpc_url, settings.chain_contract_address)
    hit = _PAGES.get(key)
    headers = {**PAGE_HEADERS, "Cache-Control": "public, max-age=60"}
    if fingerprint is not None and hit is not None and hit[1] == fingerprint:
        if hit[0] <= time.monotonic():
            # Same records, older than the TTL: serve it and rebuild behind (chain roots and the other
            # facts are read again); a changed fingerprint never gets here, it waits for its own build.
            _build(request, code, number, key, fingerprint, ttl)
        return HTMLResponse(hit[2], headers=headers)
    html = await asyncio.shield(_build(request, code, number, key, fingerprint, ttl))
    return HTMLResponse(html, headers=headers) if html is not None else not_found(request)


def _build(
    request: Request,
    code: str,
    number: int,
    key: tuple[str, int, str, str],
    fingerprint: str | None,
    ttl: float,
) -> "asyncio.Future[str | None]":
    """The build of this page for this fingerprint: one at a time (others share it), stored when done."""
    flight = (key, fingerprint or "")
    pending = _BUILDING.get(flight) if fingerprint is not None else None
    if pending is not None:
        return pending

    async def build() -> str | None:
        html = await _render_page(request, code, number)
        if html is not None and fingerprint is not None:
            while len(_PAGES) >= MAX_PAGES:
                _PAGES.pop(next(iter(_PAGES)))
            _PAGES[key] = (time.monotonic() + ttl, fingerprint, html)
        return html

    task = asyncio.ensure_future(build())
    if fingerprint is not None:
        _BUILDING[flight] = task
        task.add_done_callback(lambda _: _BUILDING.pop(flight, None))
    return task


async def _render_page(request: Request, code: str, number: int) -> str | None:
    roots = roots_for(_settings(request))
    found = await services.provenance_of(code, datetime.now(UTC), roots)
    if found is None:
        return None
    contract = _settings(request).chain_contract_address or CONTRACT_PLACEHOLDER
    cosignatures = await cosigned.cosigned_of(found.public_code, rpc_for(_settings(request)))

    def cast(step: services.Step) -> str:
        return rules.cast_command(
            step.contract or contract,
            step.anchor.root or "<root>",
            step.event_hash,
            step.proof if step.proof is not None else ["<proof…>"],
        )

    page = journey_page(found.steps, number)
    # Rendering is pure CPU (a few ms to tens under load): done in a worker thread so that requests served
    # from the page cache meanwhile are not held behind it on the event loop.
    return await asyncio.to_thread(
        TEMPLATES.get_template("provenance.html").render,
        p=found,
        cosigned=cosignatures,
        url=page_url(request, found.public_code),
        verdict=VERDICTS[found.verdict],
        label=step_label,
        cast=cast,
        page=page,
        example=next((s for s in page.steps if s.state == "verified"), None),
        state_label=lambda state: STATE_LABELS.get(state, state),
        batch_label=lambda state: BATCH_LABELS.get(state, state),
        tone=_tone,
    )


async def proof_file(request: Request) -> Response:
    proof = await services.proof_file_of(request.path_params["code"], request.path_params["event"])
    if proof is None:
        return not_found(request)
    proof = await with_chain_facts(proof, _settings(request))
    return Response(
        json.dumps(proof, indent=2) + "\n",
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{request.path_params["event"]}.json"',
            "Cache-Control": "public, max-age=300",
            "X-Content-Type-Options": "nosniff",
        },
    )


def routes() -> list[Route]:
    """The public provenance routes, to mount at the root of the app (they carry their ``/p/`` prefix); the
    printable labels are ``labels.routes()``."""
    return [
        Route("/p/{code}", provenance_page, methods=["GET"], name="provenance_page"),
        Route("/p/{code}/proofs/{event}.json", proof_file, methods=["GET"], name="provenance_proof"),
    ]
