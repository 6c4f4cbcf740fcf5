"""The ``lotline`` command: migrate, seed, serve, users and tokens, the consistency check.

Each command opens Tortoise, does its work and closes it. Modules written by other areas (the API app, the
demo seed, the workers, the consistency check) are imported only when their command runs, so the CLI keeps
working while one of them is missing or broken.
"""

import asyncio
import functools
import importlib
import importlib.util
import inspect
import logging
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from tortoise.context import TortoiseContext, get_current_context
from tortoise.exceptions import OperationalError

from domain.common.errors import DomainError
from domain.partners.rules import Role
from lotline.config import VAR_DIR, Settings, get_settings
from lotline.db import tortoise_config

if TYPE_CHECKING:
    from chain.proof import ProofFile

app = typer.Typer(
    name="lotline",
    help="批次链 Lotline: 进销存与批次追溯 / purchase–sales–inventory with batch traceability.",
    no_args_is_help=True,
    add_completion=False,
)

DEMO_ADMIN = "admin"
DEMO_TOKEN_FILE = VAR_DIR / "demo-token"
T = TypeVar("T")


def _sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite://"):
        return None
    path = url.removeprefix("sqlite://").split("?", 1)[0]
    return None if path in ("", ":memory:") else Path(path)


def _prepare_storage(settings: Settings) -> None:
    # SQLite creates its file but not its directory.
    path = _sqlite_path(settings.database_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


def rebind_models() -> None:
    """Points the model classes back at the current context's SQL dialect.

    Tortoise keeps each model's base query on the class and its insert/delete SQL in a process-wide cache
    keyed by connection name, both from the last init. When a nested context (a migration, a SQLite database
    inside a PostgreSQL test session) opens or closes, both must be rebuilt or queries use the wrong dialect.
    """
    from tortoise.backends.base import executor

    executor.EXECUTOR_CACHE.clear()
    ctx = get_current_context()
    if ctx is not None and ctx.inited and ctx.apps is not None:
        ctx.apps._build_initial_querysets()


@asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[TortoiseContext]:
    """Tortoise opened for the current task only, closed on the way out."""
    _prepare_storage(settings)
    try:
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(settings))
            rebind_models()
            yield ctx
    finally:
        rebind_models()


async def run_migrations(settings: Settings) -> None:
    """Applies every pending migration (Tortoise's built-in migrations, app ``lotline``)."""
    from tortoise.migrations.api.migrate import migrate

    _prepare_storage(settings)
    # migrate() initialises Tortoise in the current context; give it its own so nothing leaks to the caller.
    try:
        with TortoiseContext() as ctx:
            try:
                await migrate(config=tortoise_config(settings))
            finally:
                await ctx.close_connections()
    finally:
        rebind_models()
    # Reference data every posting needs, written once here rather than by the first postings racing.
    from domain.finance.journal import seed_chart

    async with database(settings):
        await seed_chart()


def _run(work: Callable[[], Awaitable[T]]) -> T:
    """Runs one async unit of work with the database open; domain errors become a message and exit 1."""

    async def main() -> T:
        async with database(get_settings()):
            return await work()

    try:
        return asyncio.run(main())
    except DomainError as exc:
        typer.secho(f"错误 / error [{exc.code}]: {exc.message}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc


def _import_attr(dotted: str, what: str) -> Any:
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


def _module_available(module_name: str) -> bool:
    try:
        return importlib.util.find_spec(module_name) is not None
    except ModuleNotFoundError:
        return False


@app.command()
def migrate() -> None:
    """应用数据库迁移 / apply database migrations."""
    asyncio.run(run_migrations(get_settings()))
    typer.echo("数据库已迁移 / database migrated")


async def _has_demo_data() -> bool:
    from domain.partners import services

    return await services.user_exists(DEMO_ADMIN)


@app.command("seed-demo")
def seed_demo() -> None:
    """载入演示数据（已有则跳过） / load the demo data (skipped when present)."""
    if _run(_has_demo_data):
        typer.echo("演示数据已存在，跳过 / demo data already present, skipped")
        return
    if not _module_available("lotline.demo.seed"):
        typer.secho(
            "演示数据模块尚未就绪，跳过 / demo seed module (lotline.demo.seed) not available yet, skipped",
            fg=typer.colors.YELLOW,
            err=True,
        )
        return
    seed = _import_attr("lotline.demo.seed:seed_demo", "演示数据 demo seed")

    async def work() -> None:
        import secrets

        from domain.partners import services

        await seed(datetime.now(UTC))
        # The demo admin logs in with a token (see serve); its password is random unless the seed set one.
        if not await services.user_exists(DEMO_ADMIN):
            await services.create_user(DEMO_ADMIN, secrets.token_urlsafe(24), "admin")

    _run(work)
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
    token = _run(lambda: _demo_token(saved))
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
) -> None:
    """启动 API 服务 / serve the GraphQL API and the provenance pages (Ctrl-C 停止 / stops)."""
    import uvicorn

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    if not _module_available("api.app"):
        typer.secho(
            "API 模块尚未就绪 / the API (api.app) is not available yet", fg=typer.colors.RED, err=True
        )
        raise typer.Exit(2)
    if apply_migrations:
        asyncio.run(run_migrations(settings))
        typer.echo("数据库已迁移 / database migrated")
    token = None
    if _is_sqlite(settings):
        try:
            token = demo_token(DEMO_TOKEN_FILE)
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
        typer.echo(f"演示令牌 / demo token ({DEMO_ADMIN}):  {token}")
        typer.echo(f"  用法 / usage: Authorization: Bearer {token}   (保存在 / saved in {DEMO_TOKEN_FILE})")
    typer.echo("按 Ctrl-C 停止 / press Ctrl-C to stop")
    sys.stdout.flush()
    uvicorn.run(functools.partial(_serve_app, settings), factory=True, host=host, port=port, log_level="info")


def _serve_app(settings: Settings) -> Any:
    """The API with the in-process anchoring in its lifespan (a local chain for the demo; see embedded)."""
    from api.app import create_app
    from workers import embedded

    ours = logging.getLogger("lotline")  # uvicorn configures only its own loggers: show ours beside them
    if not ours.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-9s %(name)s: %(message)s"))
        ours.addHandler(handler)
        ours.setLevel(logging.INFO)
    return create_app(settings, lifespans=[lambda: embedded.anchoring(settings)])


def _is_sqlite(settings: Settings) -> bool:
    # The demo token belongs to the embedded demo; a production database gets tokens via create-token.
    return settings.database_url.startswith("sqlite://")


@app.command()
def worker() -> None:
    """启动后台任务进程 / run the background worker (anchoring, forecasting, outbox relay)."""
    run = _import_attr("workers.main:run", "后台任务 worker")
    result = run()
    if inspect.isawaitable(result):
        asyncio.run(_await(result))


async def _await(aw: Awaitable[Any]) -> Any:
    return await aw


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

    principal = _run(lambda: services.create_user(username, password, role, supplier))
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

    token = _run(work)
    typer.echo("令牌只显示这一次，请妥善保存 / the token is shown only once, keep it safe:", err=True)
    typer.echo(token)


@app.command()
def label(batch_id: int) -> None:
    """批次的公开溯源码与标签 / a batch's public provenance code, page and label (made on first use)."""
    from domain.provenance import services

    code = _run(lambda: services.public_code_for(batch_id))
    settings = get_settings()
    page = f"http://{settings.host}:{settings.port}/p/{code}"
    typer.echo(code)
    typer.echo(f"溯源页面 / page: {page}   标签 / label: {page}/label.svg  {page}/label.png")


@app.command()
def check() -> None:
    """从流水重建库存并对账 / rebuild stock from the ledger, reconcile the books; exit 1 on differences."""
    from domain.finance import reports
    from domain.inventory.consistency import check_consistency

    async def work() -> list[str]:
        found = [str(d) for d in await check_consistency()]
        for rec in await reports.reconciliation():
            found += [f"{rec.name} {key}: books - subledger = {d}" for key, d in rec.differences.items()]
            if rec.difference and not rec.differences:
                found.append(f"{rec.name}: books - subledger = {rec.difference}")
        return found

    differences = _run(work)
    if not differences:
        typer.echo("一致 / consistent: 库存与流水、总账与明细账无差异 / stock, ledger and books agree")
        return
    for difference in differences:
        typer.echo(difference)
    count = len(differences)
    typer.secho(f"发现 {count} 处差异 / {count} differences", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


# ---- anchoring: verify (no database), audit, export-proof ------------------------------------------------


def _event_input(value: str) -> tuple[bytes | dict[str, Any] | None, bytes | None]:
    """EVENT_JSON_OR_HASH: a file or inline JSON (the event) or a 0x event hash -> (event, event hash)."""
    import json

    text = Path(value).read_text("utf-8") if Path(value).is_file() else value
    stripped = text.strip()
    if stripped.startswith("{"):
        data = json.loads(stripped)
        if not isinstance(data, dict):
            raise typer.BadParameter("the event must be a JSON object")
        return data, None
    raw = stripped.removeprefix("0x")
    if len(raw) != 64:
        raise typer.BadParameter("give the event's JSON (inline or a file) or its 0x sha-256 event hash")
    return None, bytes.fromhex(raw)


@app.command()
def verify(
    event: Annotated[str, typer.Argument(help="事件 JSON（文件或内联）或 0x 事件哈希 / event JSON or hash")],
    proof: Annotated[Path, typer.Option("--proof", help="证明文件 / proof file")],
    rpc: Annotated[str, typer.Option("--rpc", help="链节点 RPC / chain RPC URL")],
    contract: Annotated[str, typer.Option("--contract", help="AnchorRegistry 合约地址 / address")],
) -> None:
    """核验事件证明（无需数据库） / verify an event's proof against the chain (no database; exit 1 if not)."""
    from chain import verify as chain_verify
    from chain.client import fetch_anchor_info
    from chain.errors import ChainError
    from chain.proof import ProofFile, to_hex

    try:
        event_json, event_hash = _event_input(event)
        proof_file = ProofFile.from_json(proof.read_bytes())
        info = asyncio.run(fetch_anchor_info(rpc, contract, proof_file.root))
    except (ChainError, ValueError, OSError) as exc:
        typer.secho(f"未通过 failed: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
    result = chain_verify.verify_proof_file(proof_file, info, event_json)
    reasons = list(result.reasons)
    if event_hash is not None and event_hash != proof_file.event_hash:
        reasons.insert(
            0,
            f"{chain_verify.EVENT_HASH_MISMATCH}: the hash given is {to_hex(event_hash)}, "
            f"the proof file says {to_hex(proof_file.event_hash)}",
        )
    if reasons:
        typer.secho("未通过 failed", fg=typer.colors.RED)
        for reason in reasons:
            typer.echo(f"  - {reason}")
        raise typer.Exit(1)
    assert info is not None
    typer.secho("已验证 verified", fg=typer.colors.GREEN)
    typer.echo(f"  root {to_hex(proof_file.root)}: block {info.block_number}, {info.leaf_count} events")


@app.command()
def audit(
    rpc: Annotated[str | None, typer.Option("--rpc", help="默认 / default LOTLINE_CHAIN_RPC_URL")] = None,
    contract: Annotated[
        str | None, typer.Option("--contract", help="默认 / LOTLINE_CHAIN_CONTRACT_ADDRESS")
    ] = None,
) -> None:
    """重算已上链根并与链上比对 / recompute each anchored root from the database, compare with the chain."""
    from chain.client import AnchorRegistryClient
    from domain.anchoring import chain_audit, rules, services
    from domain.trace.models import TraceEvent

    settings = get_settings()
    rpc = rpc or settings.chain_rpc_url
    contract = contract or settings.chain_contract_address or None

    async def work() -> list[str]:
        problems: list[str] = []
        rows = await services.audit(contract)
        chains = await chain_audit.audit_chains()
        gone = {(m.anchor_id, m.leaf_index) for m in chains.missing_leaves}
        names = dict(await TraceEvent.all().values_list("id", "event_id"))
        client = await AnchorRegistryClient.connect(rpc, rows[0].anchor.contract) if rpc and rows else None
        try:
            for row in rows:
                a = row.anchor
                holes = sorted(i for anchor_id, i in gone if anchor_id == a.anchor_id)
                if holes:
                    problems.append(
                        f"anchor {a.anchor_id} {a.root}: 缺失 missing leaves {holes} of {a.leaf_count} "
                        "(their events were deleted)"
                    )
                elif not row.root_matches:
                    problems.append(f"anchor {a.anchor_id} {a.root}: recomputed root {row.recomputed_root}")
                for event_id in row.changed_events:
                    problems.append(
                        f"anchor {a.anchor_id}: trace event {event_id} no longer matches its leaf "
                        f"(锚定后被修改 altered after anchoring: {names.get(event_id, '')})"
                    )
                # The same address on another chain (dev chains reuse it) is another registry.
                here = client is not None and a.chain_id == client.chain_id
                if client is not None and here and a.contract == client.address.lower():
                    info = await client.get_anchor(rules.unhex(a.root))
                    if info is None or info.block_number != a.block_number:
                        where = "absent" if info is None else f"in block {info.block_number}"
                        problems.append(
                            f"anchor {a.anchor_id} {a.root}: on chain {where}, recorded {a.block_number}"
                        )
        finally:
            if client is not None:
                await client.close()
        for gap in chains.missing:
            after = f", before {gap.before_event_id}" if gap.before_event_id else ", the lot's latest"
            problems.append(f"缺失 missing event: {gap.stream} #{gap.seq}{after}")
        for extra in chains.extra:
            problems.append(
                f"多出 extra event (not in the recorded chain): trace event {extra.pk} {extra.event_id} "
                f"dated {extra.event_time}"
            )
        typer.echo(
            f"已核对 {len(rows)} 个上链根 / {len(rows)} anchored roots checked"
            + ("" if client else " (no chain)")
        )
        return problems

    problems = _run(work)
    for problem in problems:
        typer.echo(problem)
    if problems:
        typer.secho(
            f"发现 {len(problems)} 处不一致 / {len(problems)} mismatches", fg=typer.colors.RED, err=True
        )
        raise typer.Exit(1)
    typer.echo("一致 / consistent")


def _with_chain_facts(proof: "ProofFile") -> "ProofFile":
    """The proof file with the registry's expected code hash and, when the chain answers, its genesis hash."""
    import dataclasses

    from chain import hashing
    from chain.client import Artifact
    from chain.proof import ProofContext

    ctx = proof.context or ProofContext("", 0, 0)
    genesis = None
    rpc = get_settings().chain_rpc_url
    if rpc:
        from web3 import Web3

        try:
            w3 = Web3(Web3.HTTPProvider(rpc, request_kwargs={"timeout": 5}))
            genesis = bytes(w3.eth.get_block(0)["hash"])
        except Exception:  # the file is still useful without it; the auditor reads it with cast
            genesis = None
    code = hashing.keccak256(Artifact.load().deployed_bytecode)
    return dataclasses.replace(proof, context=dataclasses.replace(ctx, genesis_hash=genesis, code_hash=code))


@app.command("export-proof")
def export_proof(
    event_id: Annotated[str, typer.Argument(help="追溯事件 id 或 EPCIS eventID / event id")],
    out: Annotated[Path | None, typer.Option("--out", help="默认 / default <id>.proof.json")] = None,
    event_out: Annotated[
        Path | None, typer.Option("--event-out", help="同时写出事件 JSON / also the event")
    ] = None,
) -> None:
    """导出事件证明文件 / write an event's proof file (for `lotline verify`)."""
    from domain.anchoring import rules, services

    key: int | str = int(event_id) if event_id.isdigit() else event_id
    found = _run(lambda: services.proof_of(key))
    if found is None:
        typer.secho(f"尚未上链 / not anchored yet: {event_id}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    if found.status != rules.AnchorState.CONFIRMED:
        typer.secho(
            f"锚定尚未确认 / anchor not confirmed yet ({found.status})", fg=typer.colors.YELLOW, err=True
        )
    path = out or Path(f"{found.event_pk}.proof.json")
    path.write_text(_with_chain_facts(found.proof_file).to_json(), "utf-8")
    if event_out is not None:
        event_out.write_text(found.canonical, "utf-8")
    typer.echo(f"证明已写入 / proof written: {path}")


def main() -> None:  # pragma: no cover - console entry for `python -m lotline.cli`
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
