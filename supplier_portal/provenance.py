"""The public QR provenance page: ``/p/{code}`` and its printable label, for anyone who scans a box.

No login and nothing private: every fact comes from ``provenance.services.provenance_of``, which builds an
allow-listed view. The page is self-contained (inline CSS, no scripts, no external assets) and its
Content-Security-Policy says so, so it loads on a weak phone connection and leaks no visit to a third party.
"""

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from domain.provenance import rules, services
from lotline.config import Settings, get_settings

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


def _not_found(request: Request) -> Response:
    html = TEMPLATES.get_template("provenance_404.html").render()
    return HTMLResponse(html, status_code=404, headers={**PAGE_HEADERS, "Cache-Control": "no-store"})


async def provenance_page(request: Request) -> Response:
    found = await services.provenance_of(request.path_params["code"], datetime.now(UTC))
    if found is None:
        return _not_found(request)
    contract = _settings(request).chain_contract_address or CONTRACT_PLACEHOLDER

    def cast(step: services.Step) -> str:
        return rules.cast_command(
            step.contract or contract,
            step.anchor.root or "<root>",
            step.event_hash,
            step.proof if step.proof is not None else ["<proof…>"],
        )

    html = TEMPLATES.get_template("provenance.html").render(
        p=found,
        url=page_url(request, found.public_code),
        verdict=VERDICTS[found.verdict],
        label=step_label,
        cast=cast,
        anchored=[s for s in found.steps if s.anchor.anchored],
    )
    return HTMLResponse(html, headers={**PAGE_HEADERS, "Cache-Control": "public, max-age=60"})


async def proof_file(request: Request) -> Response:
    proof = await services.proof_file_of(request.path_params["code"], request.path_params["event"])
    if proof is None:
        return _not_found(request)
    return Response(
        json.dumps(proof, indent=2) + "\n",
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{request.path_params["event"]}.json"',
            "Cache-Control": "public, max-age=300",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _qr(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def label_svg(url: str, product_zh: str, product_en: str, lot_code: str) -> str:
    """A 60 × 84 mm label: the QR code, then product and lot; one dark path for the QR, text as text."""
    qr = _qr(url)
    border = 4
    size = qr.symbol_size(scale=1, border=border)[0]
    runs = []
    for y, row in enumerate(qr.matrix_iter(scale=1, border=border)):
        x = 0
        cells = list(row)
        while x < len(cells):
            if cells[x]:
                start = x
                while x < len(cells) and cells[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h{start - x}z")
            else:
                x += 1
    return TEMPLATES.get_template("label.svg.html").render(
        size=size,
        scale=400 / size,
        path="".join(runs),
        product_zh=product_zh,
        product_en=product_en,
        lot_code=lot_code,
    )


async def _label_facts(request: Request) -> tuple[str, services.Provenance] | None:
    found = await services.provenance_of(request.path_params["code"], datetime.now(UTC))
    return None if found is None else (page_url(request, found.public_code), found)


async def label_svg_route(request: Request) -> Response:
    facts = await _label_facts(request)
    if facts is None:
        return _not_found(request)
    url, p = facts
    svg = label_svg(url, p.product_zh, p.product_en, p.lot_code)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=3600"})


async def label_png_route(request: Request) -> Response:
    # The PNG is the QR code alone (segno writes PNG without an imaging library; text would need one and a
    # CJK font): print the SVG for a label with the product and lot, use the PNG where only a code fits.
    facts = await _label_facts(request)
    if facts is None:
        return _not_found(request)
    out = io.BytesIO()
    _qr(facts[0]).save(out, kind="png", scale=10, border=4)
    return Response(out.getvalue(), media_type="image/png", headers={"Cache-Control": "public, max-age=3600"})


def routes() -> list[Route]:
    """The public provenance routes, to mount at the root of the app (they carry their ``/p/`` prefix)."""
    return [
        Route("/p/{code}", provenance_page, methods=["GET"], name="provenance_page"),
        Route("/p/{code}/label.svg", label_svg_route, methods=["GET"], name="provenance_label_svg"),
        Route("/p/{code}/label.png", label_png_route, methods=["GET"], name="provenance_label_png"),
        Route("/p/{code}/proofs/{event}.json", proof_file, methods=["GET"], name="provenance_proof"),
    ]
