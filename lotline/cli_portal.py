"""``lotline portal-link``: a signed, expiring supplier-portal link to one purchase order, for a notification
(e-mail, WeChat, SMS) to a supplier without a portal account. Registered on the main CLI by ``register``."""

from typing import Annotated

import typer

from lotline.config import get_settings


def register(app: typer.Typer) -> None:
    @app.command("portal-link")
    def portal_link(
        order_number: str,
        base_url: Annotated[str, typer.Option(help="门户地址 / the portal's public base URL")] = "",
    ) -> None:
        """采购单的供应商门户链接（限时、仅限该单） / a signed portal link to one purchase order."""
        from domain.purchasing.models import PurchaseOrder
        from lotline.cli import _run
        from supplier_portal import security

        settings = get_settings()
        security.check_secret(settings)

        async def find() -> PurchaseOrder | None:
            return await PurchaseOrder.get_or_none(number=order_number)

        order = _run(find)
        if order is None:
            typer.secho(f"没有这张采购单 / no purchase order {order_number}", fg=typer.colors.RED, err=True)
            raise typer.Exit(1)
        token = security.Signer(settings).order_link(order.id, order.supplier_id)
        base = (base_url or settings.public_base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
        typer.echo(f"{base}/portal/l/{token}")
        typer.echo(f"有效期 / valid for {settings.portal_link_days} 天 days", err=True)
