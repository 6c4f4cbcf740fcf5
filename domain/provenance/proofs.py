"""What the optional anchoring module says of a page's events: anchor statuses and proof files.

``module`` is ``domain.anchoring.services`` as ``services.anchoring_module`` found it, or None when it is not
installed (then nothing is anchored and no proof is served). Its functions may be sync or async. A proof file
is the chain/proof.py format as a dict; hashes are 0x-hex.
"""

import inspect
from types import ModuleType
from typing import Any

from domain.provenance import rules
from domain.provenance.page import Anchoring


async def maybe_await(value: Any) -> Any:
    """``value``, awaited first when it is awaitable."""
    return await value if inspect.isawaitable(value) else value


async def anchor_statuses(module: ModuleType | None, event_ids: list[int]) -> dict[int, Anchoring]:
    """The confirmed anchors of these events, by event id (events not anchored are left out)."""
    fetch = getattr(module, "anchor_status_of_events", None)
    if fetch is None or not event_ids:
        return {}
    statuses = await maybe_await(fetch(event_ids)) or {}
    out = {}
    for event_id, s in statuses.items():
        if getattr(s, "anchored", False):
            block = getattr(s, "block_number", None)
            out[int(event_id)] = Anchoring(
                True,
                int(block) if block is not None else None,
                rules.hex0x(getattr(s, "tx_hash", None)),
                rules.hex0x(getattr(s, "root", None)),
            )
    return out


async def proof(module: ModuleType | None, event_id: int) -> dict[str, Any] | None:
    """The event's proof file, or None when the module hands out none."""
    proof_of = getattr(module, "proof_of", None)
    if not callable(proof_of):
        return None
    found = await maybe_await(proof_of(event_id))
    # The anchoring service answers an ``EventProof`` whose ``proof_file`` (chain/proof.py) is all we hand
    # out: its other fields include the event's canonical JSON, which names customers and quantities.
    file = getattr(found, "proof_file", found)
    data = file.to_dict() if hasattr(file, "to_dict") else file
    return dict(data) if isinstance(data, dict) else None
