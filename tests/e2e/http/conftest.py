"""A live uvicorn on the session's PostgreSQL database, and graphql-http's audit from npm beside it.

The audit is a node script (``audit.mjs``) with its own ``package.json`` and lock file; ``make test`` installs
it (``npm ci``), and the ``audit_script`` fixture does the same when ``node_modules`` is missing, so a plain
``pytest`` works too. Missing node or npm fails the run with the command to install them: never a skip.
"""

import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bench.harness import uvicorn_server

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def node() -> str:
    found = shutil.which("node")
    if not found or not shutil.which("npm"):
        pytest.fail("node and npm are needed for the GraphQL-over-HTTP audit: `apt-get install nodejs npm`")
    return found


@pytest.fixture(scope="session")
def audit_script(node: str) -> Path:
    """``audit.mjs``, its npm packages installed from the lock file first when they are missing."""
    if not (HERE / "node_modules" / "graphql-http").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True, timeout=300
        )
    return HERE / "audit.mjs"


@pytest.fixture(scope="module")
async def server(db: object, pg_url: str) -> AsyncIterator[str]:
    async with uvicorn_server(pg_url, pool_max=5) as base:
        yield base
