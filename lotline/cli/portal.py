"""``lotline portal-link``: a signed, expiring supplier-portal link to one purchase order, for a notification
(e-mail, WeChat, SMS) to a supplier without a portal account; and the demo's portal logins for ``serve``."""

from pathlib import Path
from typing import Annotated

import typer

from lotline.config import get_settings


def register(app: typer.Typer) -> None:
    """Adds ``portal-link`` to ``app``."""

    @app.command("portal-link")
    def portal_link(
        order_number: str,
        base_url: Annotated[str, typer.Option(help="门户地址 / the portal's public base URL")] = "",
    ) -> None:
        """采购单的供应商门户链接（限时、仅限该单） / a signed portal link to one purchase order."""
        from domain.purchasing.models import PurchaseOrder
        from lotline.cli import runtime
        from supplier_portal import security

        settings = get_settings()
        security.check_secret(settings)

        async def find() -> PurchaseOrder | None:
            return await PurchaseOrder.get_or_none(number=order_number)

        order = runtime.run(find)
        if order is None:
            typer.secho(f"没有这张采购单 / no purchase order {order_number}", fg=typer.colors.RED, err=True)
            raise typer.Exit(1)
        token = security.Signer(settings).order_link(order.id, order.supplier_id)
        base = (base_url or settings.public_base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
        typer.echo(f"{base}/portal/l/{token}")
        typer.echo(f"有效期 / valid for {settings.portal_link_days} 天 days", err=True)


DEMO_LOGINS = ("supplier.sgv", "buyer")  # the demo's supplier user (portal) and a buyer (data-health page)


async def _demo_logins(saved: dict[str, str]) -> dict[str, str]:
    import secrets

    from domain.partners import services

    out = {}
    for username in DEMO_LOGINS:
        if not await services.user_exists(username):
            continue
        password = saved.get(username)
        if not password or await services.authenticate_password(username, password) is None:
            password = secrets.token_urlsafe(12)
            await services.set_password(username, password)
        out[username] = password
    return out


def demo_logins(path: Path) -> dict[str, str]:
    """The demo's portal logins, kept (mode 0600) under var/ so every `make run` prints the same ones."""
    import json
    import os

    from lotline.cli import runtime

    saved = json.loads(path.read_text()) if path.exists() else {}
    logins: dict[str, str] = runtime.run(lambda: _demo_logins(saved))
    if logins != saved:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(logins, f)
    return logins


def print_demo_logins(base: str, path: Path) -> None:
    logins = demo_logins(path)
    if "supplier.sgv" in logins:
        typer.echo(f"供应商门户 / supplier portal: {base}/portal/   supplier.sgv / {logins['supplier.sgv']}")
    if "buyer" in logins:
        typer.echo(f"数据健康度 / data health:     {base}/portal/health   buyer / {logins['buyer']}")
