import shutil
import subprocess
from pathlib import Path

import pytest

from chain.anvil import CONTRACTS_DIR

pytestmark = pytest.mark.integration


def test_committed_artifact_is_what_the_pinned_solc_compiles(tmp_path: Path):
    if shutil.which("node") is None:
        pytest.fail("node is needed to compile the contract (solc-js)")
    if not (CONTRACTS_DIR / "node_modules" / "solc").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=CONTRACTS_DIR, check=True)
    fresh = tmp_path / "AnchorRegistry.json"
    subprocess.run(["node", "compile.js", str(fresh)], cwd=CONTRACTS_DIR, check=True, capture_output=True)
    committed = (CONTRACTS_DIR / "AnchorRegistry.json").read_text()
    assert fresh.read_text() == committed, (
        "AnchorRegistry.json is stale: run `node compile.js` in contracts_solidity"
    )
