"""Anchoring on the command line: ``verify`` (an event's proof against the chain, no database), ``audit``
(every anchored root recomputed from the database and compared with the chain) and ``export-proof`` (an
event's proof file, for ``verify``). Each exits 1 when something does not match.
"""

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from domain.common.digits import key_of
from lotline.cli import runtime
from lotline.cli.runtime import app

if TYPE_CHECKING:
    from chain.proof import ProofFile


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
    event: Annotated[
        str,
        typer.Argument(
            help="事件 JSON（文件或内联）、0x 事件哈希，或共同签署证明文件 / event JSON or hash, or an "
            "attestation proof file"
        ),
    ],
    proof: Annotated[Path | None, typer.Option("--proof", help="证明文件 / proof file")] = None,
    rpc: Annotated[str | None, typer.Option("--rpc", help="链节点 RPC / chain RPC URL")] = None,
    contract: Annotated[
        str | None, typer.Option("--contract", help="AnchorRegistry 合约地址 / address")
    ] = None,
) -> None:
    """核验事件证明或共同签署（无需数据库） / verify an event's proof, or an attestation proof, against the
    chain (no database; exit 1 if not). An attestation is checked off chain, and on chain with --rpc."""
    from chain import attestation_proof

    path = Path(event)
    if path.is_file() and attestation_proof.is_proof(path.read_bytes()):
        from lotline.cli.attestations import verify_attestation

        verify_attestation(path, rpc)
        return
    if proof is None or rpc is None or contract is None:
        raise typer.BadParameter("an event's proof needs --proof, --rpc and --contract")
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

    settings = runtime.chain_settings()
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

    from chain.errors import ChainError

    try:
        problems = runtime.run(work)
    except ChainError as exc:  # node down, or no registry at the address: say so, and not "consistent"
        typer.secho(
            f"无法核对链上数据 / cannot check the chain at {rpc}: {exc}", fg=typer.colors.RED, err=True
        )
        raise typer.Exit(2) from exc
    for problem in problems:
        typer.echo(problem)
    if problems:
        typer.secho(
            f"发现 {len(problems)} 处不一致 / {len(problems)} mismatches", fg=typer.colors.RED, err=True
        )
        raise typer.Exit(1)
    if not rpc:
        typer.secho(
            "⚠ 未核对区块链 / the chain was not checked: no LOTLINE_CHAIN_RPC_URL (or --rpc) is set",
            fg=typer.colors.YELLOW,
            err=True,
        )
        typer.echo("数据库内一致 / consistent within the database (not compared with the chain)")
        return
    typer.echo("一致 / consistent")


def _with_chain_facts(proof: "ProofFile") -> "ProofFile":
    """The proof file with the registry's expected code hash and, when the chain answers, its genesis hash."""
    import dataclasses

    from chain import hashing
    from chain.client import Artifact
    from chain.proof import ProofContext

    ctx = proof.context or ProofContext("", 0, 0)
    genesis = None
    rpc = runtime.chain_settings().chain_rpc_url
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

    pk = key_of(event_id)
    key: int | str = pk if pk is not None else event_id
    found = runtime.run(lambda: services.proof_of(key))
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
