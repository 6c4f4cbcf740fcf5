"""`lotline audit` and `lotline export-proof` on a database of their own (a SQLite file), so no other test's
anchors or tampering show up in the audit."""

import asyncio
import contextvars
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from chain import anvil, hashing
from chain.client import AnchorRegistryClient, Artifact
from chain.proof import ProofFile
from domain.anchoring import services
from domain.trace.models import TraceEvent
from lotline import cli
from lotline.config import Settings
from tests.integration.anchoring.conftest import _make_events
from workers.anchoring import Anchorer


@pytest.fixture
def use_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, chain: anvil.Anvil, registry: AnchorRegistryClient
) -> Callable[..., Settings]:
    """Points the CLI at the test's SQLite file and chain, as LOTLINE_* variables would."""

    def use(**overrides: object) -> Settings:
        settings = Settings(
            database_url=f"sqlite://{tmp_path / 'lotline.sqlite3'}",  # the sqlite_db fixture's file
            chain_rpc_url=chain.url,
            chain_contract_address=registry.address,
        ).model_copy(update=overrides)
        monkeypatch.setattr(cli, "get_settings", lambda: settings)
        return settings

    return use


async def invoke(*args: str) -> Result:
    # In a thread and an empty context, as from a shell: the CLI opens its own connection to the file.
    return await asyncio.to_thread(contextvars.Context().run, CliRunner().invoke, cli.app, list(args))


async def anchored_events(count: int, anchorer: Anchorer) -> list[int]:
    events = await _make_events(count)
    assert (await anchorer.run_round()).confirmed == 1
    return events


async def test_audit_of_a_clean_database_says_consistent_and_exits_0(sqlite_db, anchorer, use_settings):
    use_settings()
    await anchored_events(3, anchorer)
    await anchored_events(2, anchorer)

    result = await invoke("audit")

    assert result.exit_code == 0, result.output
    assert "2 anchored roots checked" in result.output
    assert "(no chain)" not in result.output
    assert "一致 / consistent" in result.output


async def test_audit_lists_a_tampered_event_and_exits_1(sqlite_db, anchorer, use_settings):
    use_settings()
    events = await anchored_events(4, anchorer)
    event = await TraceEvent.get(id=events[1])
    changed = json.loads(event.canonical) | {"bizStep": "receiving"}
    await TraceEvent.filter(id=event.id).update(canonical=json.dumps(changed, separators=(",", ":")))

    result = await invoke("audit")

    assert result.exit_code == 1, result.output
    problems = [line for line in result.output.splitlines() if line.startswith("anchor ")]
    assert len(problems) == 2, result.output  # the root no longer recomputes, and the event that changed
    assert any(f"trace event {events[1]} no longer matches its leaf" in line for line in problems)
    assert any("recomputed root" in line for line in problems)
    assert "2 处不一致 / 2 mismatches" in result.output


async def test_audit_sees_a_root_the_chain_no_longer_holds(sqlite_db, chain, anchorer, use_settings):
    use_settings()
    snapshot = anvil.rpc(chain.url, "evm_snapshot")
    await anchored_events(2, anchorer)
    anvil.rpc(chain.url, "evm_revert", [snapshot])  # a reorg the worker has not seen yet

    result = await invoke("audit")

    assert result.exit_code == 1, result.output
    [problem] = [line for line in result.output.splitlines() if line.startswith("anchor ")]
    assert "on chain absent" in problem


async def test_export_proof_writes_a_proof_that_lotline_verify_accepts(
    sqlite_db, chain, registry, anchorer, tmp_path, use_settings
):
    use_settings()
    events = await anchored_events(3, anchorer)
    found = await services.proof_of(events[0])
    assert found is not None
    proof_path, event_path = tmp_path / "p.proof.json", tmp_path / "e.json"

    by_id = await invoke(
        "export-proof", str(events[0]), "--out", str(proof_path), "--event-out", str(event_path)
    )

    assert by_id.exit_code == 0, by_id.output
    assert "证明已写入 / proof written" in by_id.output
    proof = ProofFile.from_json(proof_path.read_bytes())
    assert proof.context is not None
    assert found.proof_file.context is not None
    # The export adds what only the chain and the artifact know: the genesis and expected code hashes.
    assert proof.context.code_hash == hashing.keccak256(Artifact.load().deployed_bytecode)
    genesis = anvil.rpc(chain.url, "eth_getBlockByNumber", ["0x0", False])
    assert isinstance(genesis, dict)
    assert proof.context.genesis_hash == bytes.fromhex(genesis["hash"][2:])
    bare = dataclasses.replace(proof.context, genesis_hash=None, code_hash=None)
    assert dataclasses.replace(proof, context=bare) == found.proof_file
    assert proof.anchor is not None
    assert proof.anchor.contract == registry.address.lower()
    assert event_path.read_text() == found.canonical
    verified = await invoke(
        "verify",
        str(event_path),
        "--proof",
        str(proof_path),
        "--rpc",
        chain.url,
        "--contract",
        registry.address,
    )
    assert verified.exit_code == 0, verified.output

    again = tmp_path / "by-epcis-id.proof.json"
    by_event_id = await invoke("export-proof", found.event_id, "--out", str(again))
    assert by_event_id.exit_code == 0, by_event_id.output
    assert again.read_text() == proof_path.read_text()


async def test_export_proof_of_an_event_not_anchored_yet_exits_1_and_writes_nothing(
    sqlite_db, tmp_path, use_settings
):
    use_settings()
    [event] = await _make_events(1)
    out = tmp_path / "none.proof.json"

    result = await invoke("export-proof", str(event), "--out", str(out))

    assert result.exit_code == 1
    assert "尚未上链 / not anchored yet" in result.output
    assert not out.exists()


async def test_audit_against_an_unreachable_node_says_so_and_exits_non_zero(
    sqlite_db, anchorer, use_settings, chain: anvil.Anvil
):
    use_settings()
    await anchored_events(2, anchorer)
    chain.stop()

    result = await invoke("audit")

    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert f"cannot check the chain at {chain.url}" in result.output
    assert "Traceback" not in result.output
    assert "consistent" not in result.output


async def test_audit_without_a_chain_says_the_chain_was_not_checked(sqlite_db, anchorer, use_settings):
    use_settings()
    await anchored_events(2, anchorer)
    use_settings(chain_rpc_url=None, chain_contract_address=None)

    result = await invoke("audit")

    assert result.exit_code == 0, result.output
    assert "(no chain)" in result.output
    assert "the chain was not checked" in result.output
    assert "not compared with the chain" in result.output
    assert "一致 / consistent\n" not in result.output  # never the plain verdict of a chain comparison


async def test_on_the_demo_database_audit_and_export_use_the_demo_chain_from_var(
    sqlite_db, anchorer, use_settings, chain, registry, monkeypatch, tmp_path
):
    """`make run` writes var/chain.json; with the demo's database and no chain configured the CLI reads it."""
    use_settings()
    events = await anchored_events(2, anchorer)
    demo_db = Settings.model_fields["database_url"].default
    monkeypatch.chdir(tmp_path)  # the demo's relative var/: its database is the sqlite_db fixture's file
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "lotline.sqlite3").symlink_to(tmp_path / "lotline.sqlite3")
    demo_chain = {"rpcUrl": chain.url, "address": registry.address}
    (tmp_path / "var" / "chain.json").write_text(json.dumps(demo_chain))
    use_settings(database_url=demo_db, chain_rpc_url=None, chain_contract_address=None)

    audited = await invoke("audit")
    assert audited.exit_code == 0, audited.output
    assert "(no chain)" not in audited.output
    assert "一致 / consistent" in audited.output

    exported = await invoke("export-proof", str(events[0]), "--out", str(tmp_path / "p.json"))
    assert exported.exit_code == 0, exported.output
    anchor = json.loads((tmp_path / "p.json").read_text())["anchor"]
    assert anchor["genesisHash"].startswith("0x")
    assert len(anchor["genesisHash"]) == 66


def test_chain_settings_leave_other_databases_and_configured_chains_alone(monkeypatch, tmp_path):
    from lotline.cli import runtime

    monkeypatch.chdir(tmp_path)
    (tmp_path / "var").mkdir()
    demo = Settings()
    monkeypatch.setattr(cli, "get_settings", lambda: demo)
    assert runtime.chain_settings().chain_rpc_url in (None, "")  # no chain.json: unchanged
    (tmp_path / "var" / "chain.json").write_text("{not json")
    assert runtime.chain_settings().chain_rpc_url in (None, "")
    elsewhere = {"rpcUrl": "http://127.0.0.1:1", "address": "0xab"}
    (tmp_path / "var" / "chain.json").write_text(json.dumps(elsewhere))
    assert runtime.chain_settings().chain_rpc_url == "http://127.0.0.1:1"
    other = Settings(database_url=f"sqlite://{tmp_path / 'other.sqlite3'}")
    monkeypatch.setattr(cli, "get_settings", lambda: other)
    assert runtime.chain_settings().chain_rpc_url in (None, "")
    configured = Settings(chain_rpc_url="http://node:8545", chain_contract_address="0xcd")
    monkeypatch.setattr(cli, "get_settings", lambda: configured)
    assert runtime.chain_settings().chain_rpc_url == "http://node:8545"
