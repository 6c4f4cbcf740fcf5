"""POST /epcis/capture with a valid document whose leaves, one at a time, take odd values (NUL and other
control characters, lone surrogates, huge and tiny numbers, wrong types, dates outside the calendar): stored
or a 400 listing the problem, never a 500, and a refused document stores nothing."""

import copy
import json
from collections.abc import Iterator
from typing import Any

import httpx

from domain.trace.models import TraceEvent
from tests.e2e.trace.test_capture_over_http import TokenFor, _document

ODD: list[Any] = [
    "",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\ud800",
    "\u202e",
    "x" * 100_000,
    "9" * 5000,
    "²",
    "9999-99-99T99:99:99Z",
    "0001-01-01T00:00:00Z",
    "+99:99",
    None,
    True,
    -1,
    0,
    10**40,
    1e308,
    -1e-308,
    [],
    {},
    [None],
    {"\x00": 1},
]


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, (*path, i))
    else:
        yield path


def _with(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(document)
    node = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return out


async def test_every_leaf_takes_every_odd_value(client: httpx.AsyncClient, token_for: TokenFor) -> None:
    token = await token_for("warehouse")
    document = _document("urn:lotline:class:X:ODD", when="2030-06-05T09:00:00.000Z")
    event = document["epcisBody"]["eventList"][0]
    event |= {  # more of the leaves a partner sends, each swept too
        "eventID": "urn:uuid:3f2a8c1e-0b5d-4c7e-9a61-2d8e5b7f4a10",
        "disposition": "in_progress",
        "bizLocation": {"id": "urn:epc:id:sgln:4012345.00002.0"},
        "sensorElementList": [
            {
                "sensorReport": [
                    {"type": "Temperature", "value": 3.5, "uom": "CEL", "time": "2030-06-05T09:00:00Z"}
                ]
            }
        ],
    }
    failures = []
    for path in _leaves(document):
        for odd in ODD:
            before = await TraceEvent.all().count()
            body = json.dumps(_with(document, path, odd))  # "\ud800" goes out as its JSON escape
            response = await client.post(
                "/epcis/capture", content=body, headers={"Authorization": f"Bearer {token}"}
            )
            if response.status_code >= 500:
                failures.append(("/".join(map(str, path)), repr(odd)[:30], response.status_code))
            elif response.status_code >= 400 and await TraceEvent.all().count() != before:
                failures.append(("/".join(map(str, path)), repr(odd)[:30], "refused but stored"))
    assert failures == []
