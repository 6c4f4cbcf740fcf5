"""The anchoring fixtures (a fresh Anvil, its registry, an anchorer): attestations need anchored batches."""

from tests.integration.anchoring.conftest import anchorer, chain, registry  # noqa: F401
