"""Shared pieces of the HTTP benchmarks: a fresh PostgreSQL database, a uvicorn server, latency figures."""

import asyncio
import gc
import os
import secrets
import socket
import statistics
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import httpx
import orjson

ADMIN_URL = os.environ.get("LOTLINE_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
ROOT = Path(__file__).resolve().parents[1]


def secret_key() -> str:
    """``LOTLINE_SECRET_KEY`` for a bench server: the environment's, or a throwaway one (a PostgreSQL
    deployment refuses the public default key, and the supplier portal would not start)."""
    return os.environ.get("LOTLINE_SECRET_KEY") or secrets.token_hex(32)


@asynccontextmanager
async def fresh_database(prefix: str = "lotline_bench") -> AsyncIterator[str]:
    admin = await asyncpg.connect(ADMIN_URL)
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def uvicorn_server(
    database_url: str,
    pool_max: int = 20,
    workers: int = 1,
    app: str = "api.app:create_app",
    env_extra: dict[str, str] | None = None,
    health: str = "/healthz",
) -> AsyncIterator[str]:
    """uvicorn (as `lotline serve` runs it, ``workers`` processes) on a free port; yields its base URL.

    ``app`` is the factory to serve (the ceiling of ``bench.ceiling`` too); ``health`` a path that answers
    below 500 once the server is up (a GraphQL endpoint's GET without a query answers 400)."""
    port = free_port()
    env = {
        **os.environ,
        "LOTLINE_DATABASE_URL": database_url,
        "LOTLINE_DB_POOL_MAX": str(pool_max),
        "LOTLINE_SECRET_KEY": secret_key(),
        **(env_extra or {}),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
        # Longer than uvicorn's 5 s: a load generator's keep-alive connections wait while the runs it
        # alternates with use other servers, and one closed under it mid-request fails the run.
        "--timeout-keep-alive",
        "300",
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    SERVER_PIDS[base] = proc.pid
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(200):
                if proc.returncode is not None:
                    raise RuntimeError(f"uvicorn exited with {proc.returncode} before answering")
                try:
                    if (await client.get(f"{base}{health}")).status_code < 500:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError("uvicorn did not start")
        yield base
    finally:
        SERVER_PIDS.pop(base, None)
        proc.terminate()
        await asyncio.wait_for(proc.wait(), timeout=20)


_JSON = {"Content-Type": "application/json"}

#: A GraphQL call of the load generator: (query, variables) -> (HTTP status, JSON body).
GraphQLCall = Callable[[str, dict[str, Any]], Awaitable[tuple[int, dict[str, Any]]]]


@asynccontextmanager
async def graphql_client(
    base: str, token: str | None, connections: int, path: str = "/graphql", seconds: float = 120
) -> AsyncIterator[GraphQLCall]:
    """A keep-alive aiohttp session posting GraphQL to ``base + path`` with a bearer ``token``.

    The load generator shares the two cores with the server and PostgreSQL, so its own CPU is taken from
    what it measures: httpx's AsyncClient spent ~5 ms of client CPU per request here (encode/httpx#3215),
    aiohttp ~0.3 ms, for the same request and answer (both decode the JSON body)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(
        base, headers=headers, connector=connector, timeout=aiohttp.ClientTimeout(total=seconds)
    ) as session:

        async def call(query: str, variables: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            body = orjson.dumps({"query": query, "variables": variables})
            async with session.post(path, data=body, headers=_JSON) as response:
                # orjson on the bytes, as the server writes them: the stdlib's decoder took ~1 ms more of
                # this process's CPU per order page (stop 21), in one client's latency and off the cores
                # the server shares under load (for the ceiling alike).
                return response.status, orjson.loads(await response.read())

        yield call


#: The process of each running ``uvicorn_server`` by its base URL (one worker: the server itself).
SERVER_PIDS: dict[str, int] = {}


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux ``/proc/<pid>/stat``, fields 14 and 15).

    CPU time, unlike latency, hardly moves with what else runs on the machine: a fair A/B figure on a
    busy one.
    """
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Figures:
    name: str
    count: int
    seconds: float
    latencies_ms: list[float]
    errors: int = 0
    #: CPU milliseconds per operation by process group (``cpu_split``), when measured.
    cpu_ms: dict[str, float] | None = None

    @property
    def rate(self) -> float:
        return self.count / self.seconds

    def percentile(self, p: float) -> float:
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, int(p / 100 * len(data)))]

    def line(self) -> str:
        return (
            f"{self.name}: {self.count} in {self.seconds:.1f} s = {self.rate:.0f}/s, "
            f"p50 {self.percentile(50):.1f} ms, p99 {self.percentile(99):.1f} ms, "
            f"mean {statistics.fmean(self.latencies_ms):.1f} ms, errors {self.errors}"
            + (
                "; CPU ms per op: " + ", ".join(f"{k} {v:.1f}" for k, v in self.cpu_ms.items())
                if self.cpu_ms
                else ""
            )
        )


def merged(name: str, parts: list[Figures]) -> Figures:
    """Several runs of one operation as one: counts, seconds and latencies added, CPU per op weighted."""
    count = sum(f.count for f in parts)
    cpu = None
    if all(f.cpu_ms for f in parts):
        keys = parts[0].cpu_ms or {}
        cpu = {k: sum((f.cpu_ms or {})[k] * f.count for f in parts) / count for k in keys}
    return Figures(
        name,
        count,
        sum(f.seconds for f in parts),
        [ms for f in parts for ms in f.latencies_ms],
        sum(f.errors for f in parts),
        cpu,
    )


def _postgres_pids() -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/comm"):
        try:
            if stat.read_text().strip() == "postgres":
                pids.append(int(stat.parent.name))
        except OSError:  # gone since the listing
            continue
    return pids


def cpu_split() -> dict[str, float]:
    """CPU seconds used so far by this process (the load generator), the benchmarked servers
    (``SERVER_PIDS``) and PostgreSQL's processes (the backends that exist now; a backend that ends during
    a run takes its CPU with it, so take both readings while the pool is up).

    On a 2-core machine shared by all three, a rate is set by their sum: this says which one to cut."""
    pg = 0.0
    for pid in _postgres_pids():
        try:
            pg += cpu_seconds(pid)
        except OSError:
            continue
    servers = 0.0
    for pid in SERVER_PIDS.values():
        try:  # with --workers N the workers are the supervisor's children
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            servers += sum(cpu_seconds(p) for p in (pid, *map(int, children)))
        except OSError:
            continue
    return {"server": servers, "client": time.process_time(), "postgres": pg}


async def run_clients(
    name: str, clients: int, per_client: int, op: Callable[[int, int], Awaitable[bool]]
) -> Figures:
    """``clients`` concurrent loops each doing ``per_client`` ops; op(client, i) returns success."""
    latencies: list[float] = []
    errors = 0

    async def loop(c: int) -> None:
        nonlocal errors
        for i in range(per_client):
            t0 = time.perf_counter()
            ok = await op(c, i)
            latencies.append((time.perf_counter() - t0) * 1000)
            errors += 0 if ok else 1

    # The load generator's own pauses must not count as the server's latency: this process may hold a large
    # heap (a seeded database's models, web3, py-ecc), and a full collection of it took 200-300 ms here, in
    # the middle of requests. Freezing what exists now leaves the collector only what the run allocates.
    gc.collect()
    gc.freeze()
    try:
        before = cpu_split()
        t0 = time.perf_counter()
        await asyncio.gather(*(loop(c) for c in range(clients)))
        seconds = time.perf_counter() - t0
        after = cpu_split()
        count = clients * per_client
        cpu = {k: (after[k] - before[k]) * 1000 / count for k in before if k != "server" or SERVER_PIDS}
        return Figures(name, count, seconds, latencies, errors, cpu)
    finally:
        gc.unfreeze()
