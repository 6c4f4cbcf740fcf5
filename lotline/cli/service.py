"""Running the service: ``migrate``, ``seed-demo``, ``serve`` (the API with in-process anchoring) and
``worker``; the demo admin's token that ``serve`` prints on a SQLite (demo) database, or on any database
with ``--admin-token-file`` (a deployment's first start, ``lotline.bootstrap``). ``seed-demo`` shows the
seed's progress (``lotline.demo.progress``).
"""

import asyncio
import functools
import inspect
import logging
import os
import sys
from collections.abc import Awaitable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from tortoise.exceptions import OperationalError

from lotline.cli import runtime
from lotline.cli.database import run_migrations
from lotline.cli.runtime import app
from lotline.config import VAR_DIR, Settings

DEMO_ADMIN = "admin"
DEMO_TOKEN_FILE = VAR_DIR / "demo-token"


@app.command()
def migrate() -> None:
    """应用数据库迁移 / apply database migrations."""
    asyncio.run(run_migrations(runtime.settings()))
    typer.echo("数据库已迁移 / database migrated")


async def _has_demo_data() -> bool:
    from domain.partners import services

    return await services.user_exists(DEMO_ADMIN)


@app.command("seed-demo")
def seed_demo() -> None:
    """载入演示数据（已有则跳过） / load the demo data (skipped when present)."""
    if runtime.run(_has_demo_data):
        typer.echo("演示数据已存在，跳过 / demo data already present, skipped")
        return
    if not runtime.module_available("lotline.demo.seed"):
        typer.secho(
            "演示数据模块尚未就绪，跳过 / demo seed module (lotline.demo.seed) not available yet, skipped",
            fg=typer.colors.YELLOW,
            err=True,
        )
        return
    seed = runtime.import_attr("lotline.demo.seed:seed_demo", "演示数据 demo seed")

    async def work() -> None:
        import secrets

        from domain.partners import services
        from lotline.demo import progress

        await seed(datetime.now(UTC), progress=progress.Bar())
        await runtime.import_attr("lotline.demo.portal:seed_portal", "门户演示数据 portal demo")(
            datetime.now(UTC), runtime.settings().upload_dir
        )
        # The demo admin logs in with a token (see serve); its password is random unless the seed set one.
        if not await services.user_exists(DEMO_ADMIN):
            await services.create_user(DEMO_ADMIN, secrets.token_urlsafe(24), "admin")

    runtime.run(work)
    typer.echo("演示数据已载入 / demo data loaded")


async def _demo_token(saved: str | None) -> str | None:
    """The demo admin's token: the saved one if still valid, else a new one; None without a demo admin."""
    from domain.partners import services

    if not await services.user_exists(DEMO_ADMIN):
        return None
    if saved:
        principal = await services.resolve_token(saved)
        if principal is not None and principal.username == DEMO_ADMIN:
            return saved
    admin = await services.get_principal(DEMO_ADMIN)
    return await services.issue_token(admin.user_id, "demo")


def demo_token(token_file: Path) -> str | None:
    """Reuses the token saved under var/ so every `make run` prints the same one; saves a new one 0600."""
    saved = token_file.read_text().strip() if token_file.exists() else None
    token = runtime.run(lambda: _demo_token(saved))
    if token is not None and token != saved:
        token_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(token + "\n")
    if token_file.exists():
        token_file.chmod(0o600)
    return token


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="监听地址 / bind address (LOTLINE_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="端口 / port (LOTLINE_PORT)")] = None,
    apply_migrations: Annotated[
        bool, typer.Option("--migrate", help="先应用迁移 / apply migrations first (containers)")
    ] = False,
    admin_token_file: Annotated[
        Path | None,
        typer.Option(
            help="首次启动创建 admin，令牌写入此文件 / create admin on first start, token to this file"
        ),
    ] = None,
) -> None:
    """启动 API 服务 / serve the GraphQL API and the provenance pages (Ctrl-C 停止 / stops)."""
    import uvicorn

    settings = runtime.settings()
    host = host or settings.host
    port = port or settings.port
    if not runtime.module_available("api.app"):
        typer.secho(
            "API 模块尚未就绪 / the API (api.app) is not available yet", fg=typer.colors.RED, err=True
        )
        raise typer.Exit(2)
    if apply_migrations:
        asyncio.run(run_migrations(settings))
        typer.echo("数据库已迁移 / database migrated")
    token = None
    token_file = DEMO_TOKEN_FILE
    if admin_token_file is not None:  # a deployment's first start (docker-compose.yml), like the demo
        from lotline import bootstrap

        runtime.run(bootstrap.ensure_admin)
        token_file = admin_token_file
    if _is_sqlite(settings) or admin_token_file is not None:
        try:
            token = demo_token(token_file)
        except OperationalError as exc:
            typer.secho(
                f"数据库未就绪，请先运行 lotline migrate / "
                f"database not ready, run `lotline migrate` first: {exc}",
                fg=typer.colors.RED,
                err=True,
            )
            raise typer.Exit(1) from exc
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # show a URL a browser can open
    base = f"http://{shown}:{port}"
    typer.echo(f"GraphQL / GraphiQL:      {base}/graphql")
    typer.echo(f"溯源页面 / provenance:    {base}/p/<batch>")
    if token is not None:
        from lotline.cli import portal

        portal.print_demo_logins(base, VAR_DIR / "demo-logins.json")
        typer.echo(f"演示令牌 / demo token ({DEMO_ADMIN}):  {token}")
        typer.echo(f"  用法 / usage: Authorization: Bearer {token}   (保存在 / saved in {token_file})")
    typer.echo("按 Ctrl-C 停止 / press Ctrl-C to stop")
    sys.stdout.flush()
    uvicorn.run(functools.partial(_serve_app, settings), factory=True, host=host, port=port, log_level="info")


def _serve_app(settings: Settings) -> Any:
    """The API with the in-process work in its lifespan when there is no broker: anchoring (a local chain
    for the demo; see embedded) and the sales channels' sweep (platform events, stock pushes, pulls); and
    always the forecast sweep (``workers.forecast_sweep``: unfinished runs resumed or dispatched again)."""
    from api.app import create_app
    from workers import channels, embedded, forecast_sweep

    ours = logging.getLogger("lotline")  # uvicorn configures only its own loggers: show ours beside them
    if not ours.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-9s %(name)s: %(message)s"))
        ours.addHandler(handler)
        ours.setLevel(logging.INFO)
    lifespans: list[Any] = [lambda: embedded.anchoring(settings)]
    if not settings.redis_url:  # with a broker, `lotline worker` does the channels' work
        lifespans.append(lambda: channels.embedded(settings))
    lifespans.append(lambda: forecast_sweep.embedded(settings))  # resumes forecast runs a restart cut short
    return create_app(settings, lifespans=lifespans)


def _is_sqlite(settings: Settings) -> bool:
    # The demo token belongs to the embedded demo; a production database gets tokens via create-token.
    return settings.database_url.startswith("sqlite://")


@app.command()
def worker() -> None:
    """启动后台任务进程 / run the background worker (anchoring, forecasting, outbox relay)."""
    run = runtime.import_attr("workers.main:run", "后台任务 worker")
    result = run()
    if inspect.isawaitable(result):
        asyncio.run(_await(result))


async def _await(aw: Awaitable[Any]) -> Any:
    return await aw
