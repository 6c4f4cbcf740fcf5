"""Plumbing of the supplier portal's pages: templates, who is visiting, CSRF checks, error pages.

Every page handler is wrapped by ``page``: it resolves the visitor from the signed session (or sends the
browser to sign in), turns a domain ``NotFound`` into the bilingual 404 page (so another supplier's IDs
look exactly like missing ones) and a wrong CSRF token into 403. Responses are ``no-store`` with a strict CSP.
"""

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from domain.common import business_time
from domain.common.digits import ascii_digits, key_of
from domain.common.errors import DomainError, NotFound
from domain.partners.models import Supplier, User
from domain.partners.rules import Permission, Role, has_permission
from lotline.config import Settings, get_settings
from supplier_portal import form_check, forms, security

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates" / "portal"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def number(value: object) -> str:
    """A decimal as people write it: ``10``, ``3.5`` (never ``1E+1``, never ``10.0000``)."""
    if not isinstance(value, Decimal):
        return str(value)
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


STATUS = {
    "draft": "草稿 draft",
    "confirmed": "已下单 confirmed",
    "partially_received": "部分收货 partly received",
    "received": "已收货 received",
    "closed": "已关闭 closed",
    "cancelled": "已取消 cancelled",
    "open": "待收货 open",
    "pending_approval": "待审批 pending approval",
    "posted": "已入账 posted",
    "rejected": "已拒绝 rejected",
}
FIELDS = {
    "lot_code": "批号 lot",
    "quantity": "数量 quantity",
    "production_date": "生产日期 production date",
    "expiry_date": "保质期至 expiry date",
    "best_before_date": "最佳赏味期 best before",
}


def local(value: object, fmt: str = "%Y-%m-%d %H:%M", offset: bool = True) -> str:
    """An aware time in the business time zone (where suppliers and warehouses live), with its UTC offset
    ("2026-12-01 00:53 +08:00") so nobody reads it as UTC; ``offset=False`` for a bare day."""
    if not isinstance(value, datetime):
        return "" if value is None else str(value)
    at = value.astimezone(business_time.zone())
    if not offset:
        return at.strftime(fmt)
    zone = at.strftime("%z")  # "+0800"
    return f"{at.strftime(fmt)} {zone[:3]}:{zone[3:]}"


TEMPLATES.filters["num"] = number
TEMPLATES.filters["local"] = local
TEMPLATES.filters["localday"] = lambda v: local(v, "%Y-%m-%d", offset=False)
TEMPLATES.filters["status"] = lambda v: STATUS.get(str(v), str(v))
TEMPLATES.filters["field"] = lambda v: FIELDS.get(str(v), str(v))
TEMPLATES.filters["unit"] = lambda u: "" if u == "n" else u  # a count ("n") needs no suffix
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
MAX_FORM_BYTES = 256 * 1024  # a form of text fields; uploads have their own cap


class CsrfFailed(Exception):
    pass


class PortalDisabled(Exception):
    pass


@dataclass(frozen=True)
class Visitor:
    user_id: int | None  # None: a signed order link
    username: str
    supplier_id: int | None  # None: a staff user (reaches the data-health dashboard only)
    supplier_name: str
    order_id: int | None  # a link's one order; None: the whole supplier
    csrf: str

    def check_order(self, order_id: int) -> None:
        """A link reaches its own order only; anything else is NotFound, like another supplier's."""
        if self.order_id is not None and self.order_id != order_id:
            raise NotFound("purchase order", order_id)


def settings_of(request: Request) -> Settings:
    s = getattr(request.app.state, "settings", None)
    return s if isinstance(s, Settings) else get_settings()


def signer(request: Request) -> security.Signer:
    return security.Signer(settings_of(request))


def render(
    request: Request, template: str, status: int = 200, visitor: Visitor | None = None, **ctx: Any
) -> HTMLResponse:
    html = TEMPLATES.get_template(template).render(request=request, visitor=visitor, **ctx)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def refused_form(request: Request, exc: "form_check.FormRefused", visitor: Visitor | None = None) -> Response:
    """400: a field holds a character no store keeps (``form_check``); nothing was written. (Forms that are
    shown again filled in catch it first, as a ``ValidationError``.)"""
    label = forms.field_label(exc.path)
    zh = f"“{label}”含有无法保存的字符，请删除后重试"
    en = f"The field {label} {exc.problem}: remove it and try again."
    return error_page(request, 400, zh, en, visitor)


def error_page(
    request: Request, status: int, zh: str, en: str, visitor: Visitor | None = None
) -> HTMLResponse:
    return render(request, "error.html", status=status, visitor=visitor, zh=zh, en=en, code=status)


def not_found(request: Request, visitor: Visitor | None = None) -> HTMLResponse:
    return error_page(request, 404, "未找到该页面或单据", "No such page or document.", visitor)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


async def visitor_of(request: Request) -> Visitor | None:
    data = signer(request).load_session(request.cookies.get(security.SESSION_COOKIE))
    if data is None or not isinstance(data.get("csrf"), str):
        return None
    supplier_id = data.get("s")
    if supplier_id is None and "u" in data:  # staff
        staff = await User.get_or_none(id=data.get("u"), active=True)
        if (
            staff is None
            or not may_read_health(staff)
            or data.get("f") != security.fingerprint(staff.password_hash)
        ):
            return None
        return Visitor(staff.id, staff.username, None, "", None, data["csrf"])
    if not isinstance(supplier_id, int):
        return None
    supplier = await Supplier.get_or_none(id=supplier_id, active=True)
    if supplier is None:
        return None
    if "o" in data:  # an order link
        return Visitor(None, "", supplier.id, supplier.name, int(data["o"]), data["csrf"])
    user = await User.get_or_none(id=data.get("u"), active=True)
    if (
        user is None
        or user.role != Role.SUPPLIER
        or user.supplier_id != supplier.id
        or data.get("f") != security.fingerprint(user.password_hash)
    ):
        return None
    return Visitor(user.id, user.username, supplier.id, supplier.name, None, data["csrf"])


def may_read_health(user: User) -> bool:
    """Staff who may see the data-health dashboard: any role but supplier with purchasing_read."""
    return (
        user.role != Role.SUPPLIER
        and user.supplier_id is None
        and has_permission(user.role, Permission.PURCHASING_READ)
    )


def set_session(response: Response, request: Request, data: dict[str, Any]) -> None:
    response.set_cookie(
        security.SESSION_COOKIE,
        signer(request).dump_session(data),
        max_age=settings_of(request).portal_session_hours * 3600,
        path=security.COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


async def form_of(request: Request, visitor: Visitor | None, checked: bool = True) -> FormData:
    """The posted form after the CSRF check (raises ``CsrfFailed``) and, when ``checked``, the character check
    (raises ``form_check.FormRefused``); a handler that shows its form again calls that check itself."""
    length = request.headers.get("content-length")
    if length is not None and ascii_digits(length) and (len(length) > 18 or int(length) > MAX_FORM_BYTES):
        raise CsrfFailed  # not a form of ours
    form = await request.form(max_files=0, max_fields=400)
    if not security.csrf_ok(visitor.csrf if visitor else None, form.get("csrf_token")):
        raise CsrfFailed
    return form_check.check(form) if checked else form


Handler = Callable[[Request, Visitor], Awaitable[Response]]


def page(
    *, user_only: bool = False, staff: bool = False
) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Wraps a handler: sign-in required (``user_only``: not through an order link; ``staff``: staff may
    come, else they are sent to their dashboard), 404 for NotFound, 403 for a failed CSRF check, 503 when
    the portal is disabled."""

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(handler)
        async def run(request: Request) -> Response:
            if getattr(request.app.state, "portal_disabled", False):
                return error_page(
                    request,
                    503,
                    "供应商门户未启用：请设置 LOTLINE_SECRET_KEY",
                    "The supplier portal is off: set LOTLINE_SECRET_KEY.",
                )
            visitor = await visitor_of(request)
            if visitor is None:
                if request.method != "GET":
                    return error_page(request, 403, "请先登录", "Please sign in first.")
                return redirect(f"/portal/login?next={quote(request.url.path)}")
            if user_only and visitor.order_id is not None:
                return redirect(f"/portal/orders/{visitor.order_id}")
            if visitor.supplier_id is None and not staff:
                if request.method != "GET":
                    return not_found(request, visitor)
                return redirect("/portal/health")
            try:
                return await handler(request, visitor)
            except NotFound:
                return not_found(request, visitor)
            except CsrfFailed:
                return error_page(
                    request,
                    403,
                    "表单已过期或无效，请返回重试",
                    "This form expired or is not valid: go back and try again.",
                    visitor,
                )
            except form_check.FormRefused as exc:
                return refused_form(request, exc, visitor)

        return run

    return wrap


def int_param(request: Request, name: str) -> int:
    raw = request.path_params.get(name, "")
    key = key_of(str(raw))
    if key is None:
        raise NotFound("document", raw)
    return key


def problem(exc: DomainError) -> tuple[str, str]:
    """A domain error as (field, message) for a form: the message is the domain's English, the field path
    names the input."""
    return ".".join(exc.path), exc.message
