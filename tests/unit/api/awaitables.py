"""Test values for the executor tests: an awaitable that can be awaited again."""

import asyncio
from typing import Any


class Later:
    """An awaitable that can be awaited again (a hypothesis value serves both executions)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __await__(self) -> Any:
        return asyncio.sleep(0, self.value).__await__()
