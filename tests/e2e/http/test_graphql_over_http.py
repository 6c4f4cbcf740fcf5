"""GraphQL over HTTP: graphql-http's server audits (the spec's conformance suite) against a live uvicorn."""

import asyncio
import json
from pathlib import Path
from typing import Any

AUDITS = 61


async def run_audit(node: str, script: Path, url: str) -> dict[str, Any]:
    proc = await asyncio.create_subprocess_exec(
        node, str(script), url, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(proc.communicate(), 300)
    assert proc.returncode == 0, err.decode(errors="replace")
    summary: dict[str, Any] = json.loads(out)
    return summary


async def test_every_graphql_over_http_audit_passes_without_a_warning(
    node: str, audit_script: Path, server: str
) -> None:
    summary = await run_audit(node, audit_script, f"{server}/graphql")
    not_ok = [r for r in summary["results"] if r["status"] != "ok"]
    assert not_ok == []
    assert (summary["passed"], summary["warnings"], summary["failures"]) == (AUDITS, 0, 0)
