"""What every ``lotline`` command uses: the Typer ``app``, the settings, one unit of work with the database
open (domain errors become a message and exit 1), and modules of other areas that may not exist yet (exit 2).
"""

import asyncio
import importlib
import importlib.util
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import typer

from domain.common.errors import DomainError
from lotline.cli.database import database
from lotline.config import VAR_DIR, Settings

app = typer.Typer(
    name="lotline",
    help="批次链 Lotline: 进销存与批次追溯 / purchase–sales–inventory with batch traceability.",
    no_args_is_help=True,
    add_completion=False,
)

T = TypeVar("T")


def settings() -> Settings:
    """The settings of this run, read through ``lotline.cli.get_settings`` (the one place tests replace)."""
    from lotline import cli

    return cli.get_settings()


def chain_settings() -> Settings:
    """The settings, pointed at the demo's own chain when they name none and the database is the demo's.

    ``make run`` starts Anvil with the server and writes its RPC URL and registry to ``var/chain.json``; the
    settings the CLI reads do not know them, so ``lotline audit`` on the demo compared nothing with the chain
    and said "consistent". With the demo database and no ``LOTLINE_CHAIN_RPC_URL``, that file fills them in
    (the chain must be running, i.e. ``make run``; otherwise audit says it cannot reach it).
    """
    found = settings()
    if found.chain_rpc_url or found.database_url != Settings.model_fields["database_url"].default:
        return found
    try:
        demo = json.loads((VAR_DIR / "chain.json").read_text())
    except (OSError, ValueError):
        return found
    rpc, address = (demo.get("rpcUrl"), demo.get("address")) if isinstance(demo, dict) else (None, None)
    if not isinstance(rpc, str) or not isinstance(address, str):
        return found
    return found.model_copy(update={"chain_rpc_url": rpc, "chain_contract_address": address})


def run(work: Callable[[], Awaitable[T]]) -> T:
    """Runs one async unit of work with the database open; domain errors become a message and exit 1."""

    async def main() -> T:
        async with database(settings()):
            return await work()

    try:
        return asyncio.run(main())
    except DomainError as exc:
        typer.secho(f"错误 / error [{exc.code}]: {exc.message}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc


def import_attr(dotted: str, what: str) -> Any:
    """``module:attr`` of another area, imported now; exit 2 with a message when it does not exist yet."""
    module_name, _, attr = dotted.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module_name.startswith(exc.name):
            typer.secho(
                f"{what} 尚未就绪 / is not available yet: module {module_name} not found",
                fg=typer.colors.RED,
                err=True,
            )
            raise typer.Exit(2) from exc
        raise
    if not hasattr(module, attr):
        typer.secho(
            f"{what} 尚未就绪 / is not available yet: no {attr} in {module_name}",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(2)
    return getattr(module, attr)


def module_available(module_name: str) -> bool:
    """Whether ``module_name`` can be imported (without importing it)."""
    try:
        return importlib.util.find_spec(module_name) is not None
    except ModuleNotFoundError:
        return False
