"""Signing in and out of the supplier portal, and opening a signed order link.

Only an active user of role ``supplier`` bound to an active supplier may sign in (argon2 verification in
``partners.services``); failures are rate-limited per username and per address (``security.LoginLimiter``).
The sign-in form has its CSRF token in a pre-session cookie, so a login cannot be forced from another site.
"""

from starlette.requests import Request
from starlette.responses import Response

from domain.asn import services as asn_services
from domain.common.errors import NotFound
from domain.partners import services as partners
from domain.partners.models import Supplier, User
from domain.partners.rules import Role
from supplier_portal import form_check, security, web


def _limiter(request: Request) -> security.LoginLimiter:
    limiter = getattr(request.app.state, "portal_limiter", None)
    if not isinstance(limiter, security.LoginLimiter):
        limiter = request.app.state.portal_limiter = security.LoginLimiter()
    return limiter


def _pre_csrf(request: Request) -> str | None:
    data = web.signer(request).load_session(request.cookies.get(security.PRE_SESSION_COOKIE))
    token = data.get("csrf") if data else None
    return token if isinstance(token, str) else None


def _safe_next(value: object) -> str:
    text = value if isinstance(value, str) else ""
    return (
        text if text.startswith("/portal/") and not text.startswith("//") and "\\" not in text else "/portal/"
    )


def _login_page(request: Request, status: int = 200, error: tuple[str, str] | None = None) -> Response:
    if getattr(request.app.state, "portal_disabled", False):
        return web.error_page(
            request,
            503,
            "供应商门户未启用：请设置 LOTLINE_SECRET_KEY",
            "The supplier portal is off: set LOTLINE_SECRET_KEY.",
        )
    token = _pre_csrf(request) or security.new_csrf()
    response = web.render(
        request,
        "login.html",
        status=status,
        csrf=token,
        error=error,
        next=_safe_next(request.query_params.get("next")),
    )
    response.set_cookie(
        security.PRE_SESSION_COOKIE,
        web.signer(request).dump_session({"csrf": token}),
        max_age=3600,
        path=security.COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


async def login_form(request: Request) -> Response:
    return _login_page(request)


async def login(request: Request) -> Response:
    if getattr(request.app.state, "portal_disabled", False):
        return _login_page(request)
    expected = _pre_csrf(request)
    form = await request.form(max_files=0, max_fields=10)
    if not security.csrf_ok(expected, form.get("csrf_token")):
        return web.error_page(
            request,
            403,
            "表单已过期或无效，请返回重试",
            "This form expired or is not valid: go back and try again.",
        )
    try:
        form_check.check(form)
    except form_check.FormRefused as exc:
        return web.refused_form(request, exc)
    username = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    # Over-long credentials name no account (not their first 64 / 256 characters' account).
    fits = 0 < len(username) <= 64 and len(password) <= 256
    address = request.client.host if request.client else "?"
    keys = [f"u:{username[:64].lower()}", f"a:{address}"]
    limiter = _limiter(request)
    if limiter.blocked(keys):
        return _login_page(
            request, 429, ("尝试次数过多，请 15 分钟后再试", "Too many attempts: try again in 15 minutes.")
        )
    principal = await partners.authenticate_password(username, password) if fits else None
    user = await User.get_or_none(id=principal.user_id) if principal is not None else None
    supplier = None
    if user is not None and user.role == Role.SUPPLIER and user.supplier_id is not None:
        supplier = await Supplier.get_or_none(id=user.supplier_id, active=True)
    staff = user is not None and supplier is None and web.may_read_health(user)
    if user is None or (supplier is None and not staff):
        limiter.fail(keys)
        return _login_page(request, 401, ("用户名或密码错误", "Wrong username or password."))
    limiter.succeed(keys[0])
    response = web.redirect("/portal/health" if staff else _safe_next(form.get("next")))
    web.set_session(
        response,
        request,
        {
            "u": user.id,
            "s": supplier.id if supplier is not None else None,
            "f": security.fingerprint(user.password_hash),
            "csrf": security.new_csrf(),
        },
    )
    response.delete_cookie(security.PRE_SESSION_COOKIE, path=security.COOKIE_PATH)
    return response


@web.page()
async def logout(request: Request, visitor: web.Visitor) -> Response:
    await web.form_of(request, visitor)
    response = web.redirect("/portal/login")
    response.delete_cookie(security.SESSION_COOKIE, path=security.COOKIE_PATH)
    return response


async def open_link(request: Request) -> Response:
    """``/portal/l/<token>``: a signed, expiring link to one order; starts a session confined to it."""
    if getattr(request.app.state, "portal_disabled", False):
        return _login_page(request)
    found = web.signer(request).load_order_link(request.path_params["token"])
    if found is None:
        return web.error_page(
            request,
            404,
            "链接无效或已过期，请登录查看",
            "This link is not valid or has expired: sign in instead.",
        )
    order_id, supplier_id = found
    try:
        await asn_services.scoped_order(order_id, supplier_id)
    except NotFound:
        return web.not_found(request)
    response = web.redirect(f"/portal/orders/{order_id}")
    web.set_session(response, request, {"o": order_id, "s": supplier_id, "csrf": security.new_csrf()})
    return response
