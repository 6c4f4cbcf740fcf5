"""The handhelds of ``bench.bench_devices``' dispatch figure, in a process of their own.

    python -m bench.handhelds < {"port": 8000, "devices": [[token, device code], ...], "tasks": 100}

Each device opens a graphql-transport-ws subscription to ``pickTaskAssigned``; once all are subscribed this
prints ``ready``; after each device has received ``tasks`` tasks it prints one JSON line, the arrivals as
``[[task id, time.perf_counter()], ...]``. ``perf_counter`` is CLOCK_MONOTONIC on Linux, one clock for every
process, so the parent compares these times with its commit times. Devices are separate machines in a shop;
in the process that creates the tasks they would wait behind its database work, which is not dispatch time.
"""

import asyncio
import gc
import json
import sys
import time

import websockets
from websockets.typing import Subprotocol

SUBSCRIBE = "subscription($d: String!) { pickTaskAssigned(deviceId: $d) { id } }"


async def device(
    port: int, token: str, code: str, tasks: int, subscribed: asyncio.Queue[None]
) -> list[tuple[object, float]]:
    arrivals: list[tuple[object, float]] = []
    async with websockets.connect(
        f"ws://127.0.0.1:{port}/graphql", subprotocols=[Subprotocol("graphql-transport-ws")]
    ) as ws:
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
        await ws.send(json.dumps(init))
        await ws.recv()
        query = {"query": SUBSCRIBE, "variables": {"d": code}}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": query}))
        subscribed.put_nowait(None)
        for _ in range(tasks):
            message = json.loads(await ws.recv())
            arrivals.append((message["payload"]["data"]["pickTaskAssigned"]["id"], time.perf_counter()))
    return arrivals


async def main() -> None:
    config = json.loads(sys.stdin.readline())
    subscribed: asyncio.Queue[None] = asyncio.Queue()
    runs = [
        asyncio.create_task(device(config["port"], token, code, config["tasks"], subscribed))
        for token, code in config["devices"]
    ]
    for _ in runs:
        await asyncio.wait_for(subscribed.get(), 60)
    gc.collect()
    gc.freeze()  # nothing of this process's own collections in the figures
    print("ready", flush=True)
    arrivals = [a for found in await asyncio.wait_for(asyncio.gather(*runs), 300) for a in found]
    print(json.dumps(arrivals), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
