"""Users and API tokens: ``create-user`` (password prompted or from LOTLINE_NEW_USER_PASSWORD) and
``create-token`` (printed once, to stdout, for scripts)."""

from typing import Annotated

import typer

from domain.partners.rules import Role
from lotline.cli import runtime
from lotline.cli.runtime import app


@app.command("create-user")
def create_user(
    username: str,
    role: Annotated[Role, typer.Option(help="角色 / role")],
    password: Annotated[
        str,
        typer.Option(
            prompt="密码 / password",
            hide_input=True,
            confirmation_prompt=True,
            envvar="LOTLINE_NEW_USER_PASSWORD",
            help="提示输入；或环境变量 / prompted, or from LOTLINE_NEW_USER_PASSWORD",
        ),
    ],
    supplier: Annotated[str | None, typer.Option(help="供应商编码 / supplier code (role supplier)")] = None,
) -> None:
    """创建用户 / create a user."""
    from domain.partners import services

    principal = runtime.run(lambda: services.create_user(username, password, role, supplier))
    typer.echo(f"用户已创建 / user created: {principal.username} ({principal.role}) id={principal.user_id}")


@app.command("create-token")
def create_token(
    username: str,
    name: Annotated[str, typer.Option(help="令牌名称 / token name")] = "cli",
) -> None:
    """为用户签发 API 令牌（仅显示一次） / issue an API token (shown once)."""
    from domain.partners import services

    async def work() -> str:
        principal = await services.get_principal(username)
        return await services.issue_token(principal.user_id, name)

    token = runtime.run(work)
    typer.echo("令牌只显示这一次，请妥善保存 / the token is shown only once, keep it safe:", err=True)
    typer.echo(token)
