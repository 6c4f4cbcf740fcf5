"""`lotline audit` and `lotline export-proof` on a database of their own (a SQLite file), so no other test's
anchors or tampering show up in the audit."""

import asyncio
import contextvars
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from chain import anvil
from chain.client import AnchorRegistryClient
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
    assert proof == found.proof_file
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
