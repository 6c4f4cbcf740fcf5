"""docs/proof-format.md is enough: an exported proof checks out with a small node script and Foundry's cast,
with nothing of Lotline's (no Python, no database)."""

import asyncio
import contextvars
import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chain import anvil
from chain.client import AnchorRegistryClient
from lotline import cli
from lotline.config import Settings
from tests.integration.anchoring.test_cast_auditor import CAST
from tests.integration.anchoring.test_graphql_queries import received_batch
from workers.anchoring import Anchorer

SCRIPT = anvil.CONTRACTS_DIR / "verify-proof.js"


def node(proof: Path, event: Path) -> tuple[int, dict[str, object]]:
    done = subprocess.run(
        ["node", str(SCRIPT), str(proof), str(event)], capture_output=True, text=True, timeout=60, check=False
    )
    return done.returncode, json.loads(done.stdout)


def run_cast(command: str, rpc: str) -> tuple[str, str]:
    """Runs one of the script's ``cast …   # expect X`` lines; (output, X)."""
    line, _, expect = command.partition("   # expect ")
    line = line.replace('"$RPC_URL"', rpc)
    if line.startswith("cast keccak $(cast code "):
        inner = shlex.split(line.removeprefix("cast keccak $(").removesuffix(")"))
        code = subprocess.run([str(CAST), *inner[1:]], capture_output=True, text=True, check=True).stdout
        args = ["keccak", code.strip()]
    else:
        args = shlex.split(line)[1:]
    done = subprocess.run([str(CAST), *args], capture_output=True, text=True, timeout=30, check=True)
    return done.stdout.strip(), expect.strip()


@pytest.fixture
def exported(
    db: object,
    pg_settings: Settings,
    chain: anvil.Anvil,
    registry: AnchorRegistryClient,
    monkeypatch: pytest.MonkeyPatch,
) -> Settings:
    settings = pg_settings.model_copy(
        update={"chain_rpc_url": chain.url, "chain_contract_address": registry.address}
    )
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    return settings


async def test_an_exported_proof_verifies_with_node_and_cast_alone(
    exported, chain, registry, anchorer: Anchorer, tmp_path
):
    _, events = await received_batch()
    assert (await anchorer.run_round(force=True)).confirmed >= 1
    proof_path, event_path = tmp_path / "proof.json", tmp_path / "event.json"
    args = ["export-proof", str(events[0].id), "--out", str(proof_path), "--event-out", str(event_path)]
    result = await asyncio.to_thread(contextvars.Context().run, CliRunner().invoke, cli.app, args)
    assert result.exit_code == 0, result.output

    code, report = node(proof_path, event_path)

    assert (code, report["ok"], report["failures"]) == (0, True, [])
    proof = json.loads(proof_path.read_text())
    assert proof["version"] == 2
    assert proof["eventId"] == events[0].event_id
    commands = report["cast"]
    assert isinstance(commands, dict)
    seen = {name: run_cast(command, chain.url) for name, command in commands.items()}
    assert seen["chainId"][0] == seen["chainId"][1] == str(registry.chain_id)
    assert seen["genesis"][0] == seen["genesis"][1]
    assert seen["code"][0] == seen["code"][1]
    assert seen["block"][0] == seen["block"][1]
    assert seen["tx"][0] == seen["tx"][1]
    assert seen["verify"][0] == "true"
    timestamp, block, leaves = (re.sub(r"\s.*", "", v) for v in seen["anchor"][0].splitlines())
    assert (int(block), int(leaves)) == (proof["anchor"]["blockNumber"], proof["leafCount"])
    assert int(timestamp) > 0


async def test_the_node_script_refuses_an_event_changed_by_one_character(
    exported, anchorer: Anchorer, tmp_path
):
    _, events = await received_batch()
    assert (await anchorer.run_round(force=True)).confirmed >= 1
    proof_path, event_path = tmp_path / "proof.json", tmp_path / "event.json"
    args = ["export-proof", str(events[0].id), "--out", str(proof_path), "--event-out", str(event_path)]
    result = await asyncio.to_thread(contextvars.Context().run, CliRunner().invoke, cli.app, args)
    assert result.exit_code == 0, result.output
    event_path.write_text(event_path.read_text().replace('"ADD"', '"OBSERVE"'))

    code, report = node(proof_path, event_path)

    assert code == 1
    failures = report["failures"]
    assert isinstance(failures, list)
    # The changed event hashes differently, so its leaf and the path to the root fail with it.
    assert [str(f).split(" ")[0:2] for f in failures] == [
        ["event", "hashes"],
        ["leaf", "is"],
        ["the", "proof"],
    ]
