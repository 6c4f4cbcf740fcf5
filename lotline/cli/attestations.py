"""Co-signed attestations on the command line: ``export-attestation`` (a recorded attestation's proof
file) and the attestation half of ``verify`` (a proof file checked off chain, and on chain with ``--rpc``;
no database). Exit 1 when something does not match."""

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from lotline.cli import runtime
from lotline.cli.runtime import app


def verify_attestation(path: Path, rpc: str | None) -> None:
    """Checks an attestation proof file (docs/proof-format.md §9); prints the verdict, exit 1 if it fails."""
    from chain.attestation_proof import AttestationProof, verify_off_chain

    try:
        proof = AttestationProof.from_json(path.read_bytes())
    except (ValueError, OSError) as exc:
        typer.secho(f"未通过 failed: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
    verdicts = [("链下 off chain", verify_off_chain(proof))]
    if rpc:
        from chain.attestation_check import verify_on_chain

        try:
            verdicts.append(("链上 on chain", asyncio.run(verify_on_chain(proof, rpc))))
        except Exception as exc:  # the RPC did not answer: say so, do not pretend it verified
            typer.secho(f"未通过 failed: chain unavailable ({exc})", fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from exc
    failed = False
    for label, verdict in verdicts:
        mark = "已验证 verified" if verdict.ok else "未通过 failed"
        typer.secho(f"{label}: {mark}", fg=typer.colors.GREEN if verdict.ok else typer.colors.RED)
        for line in (*verdict.problems, *verdict.notes):
            typer.echo(f"  - {line}")
        failed = failed or not verdict.ok
    if failed:
        raise typer.Exit(1)
    who = ", ".join(f"{s.name or '—'} ({s.role})" for s in proof.signers)
    typer.echo(f"  共同签署 co-signed by {who}: {proof.claim}, batch 0x{proof.batch.hex()}")
    if not rpc:
        typer.echo("  (链上未核对 not checked on chain: give --rpc)")


@app.command("export-attestation")
def export_attestation(
    attestation_id: Annotated[int, typer.Argument(help="共同签署 id / attestation id")],
    out: Annotated[Path | None, typer.Option("--out", help="默认 / default attestation-<id>.json")] = None,
) -> None:
    """导出共同签署证明 / write a recorded attestation's proof file (for `lotline verify`)."""
    from domain.attestations import evidence

    proof = runtime.run(lambda: evidence.proof_of(attestation_id))
    path = out or Path(f"attestation-{attestation_id}.json")
    path.write_text(proof.to_json() + "\n", "utf-8")
    typer.echo(f"证明已写入 / proof written: {path}")
