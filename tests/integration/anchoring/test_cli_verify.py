import asyncio
import json

from typer.testing import CliRunner, Result

from domain.anchoring import services
from lotline.cli import app


async def _verify(*args: str) -> Result:
    return await asyncio.to_thread(CliRunner().invoke, app, ["verify", *args])


async def test_verify_says_verified_for_an_anchored_event_and_failed_with_reasons_for_a_changed_one(
    make_events, chain, registry, anchorer, tmp_path
):
    [event_id] = await make_events(1)
    await anchorer.run_round()
    found = await services.proof_of(event_id)
    assert found is not None
    proof = tmp_path / "e.proof.json"
    proof.write_text(found.proof_file.to_json())
    event_file = tmp_path / "e.json"
    event_file.write_text(found.canonical)
    chain_args = ["--proof", str(proof), "--rpc", chain.url, "--contract", registry.address]

    ok = await _verify(str(event_file), *chain_args)
    assert ok.exit_code == 0, ok.output
    assert "已验证 verified" in ok.output

    by_hash = await _verify("0x" + found.proof_file.event_hash.hex(), *chain_args)
    assert by_hash.exit_code == 0, by_hash.output

    changed = json.loads(found.canonical) | {"bizStep": "receiving"}
    event_file.write_text(json.dumps(changed))
    bad = await _verify(str(event_file), *chain_args)
    assert bad.exit_code == 1
    assert "未通过 failed" in bad.output
    assert "event_hash_mismatch" in bad.output
