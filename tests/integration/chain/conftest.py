from collections.abc import AsyncIterator, Iterator

import pytest

from chain import anvil
from chain.client import AnchorRegistryClient


@pytest.fixture(scope="session")
def anvil_node() -> Iterator[anvil.Anvil]:
    """One Anvil for the session (installed with `npm ci` in contracts_solidity if missing)."""
    with anvil.Anvil.start() as node:
        yield node


@pytest.fixture(scope="session")
async def registry(anvil_node: anvil.Anvil) -> AsyncIterator[AnchorRegistryClient]:
    """A fresh registry; its owner (dev account 0) is the first anchorer. Tests use random roots."""
    client = await AnchorRegistryClient.deploy(anvil_node.url, anvil.DEV_ACCOUNT_KEY, poll_interval=0.05)
    async with client:
        yield client
