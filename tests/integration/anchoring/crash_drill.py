"""The `kill -9` drill, shared by the test and bench/bench_lease_recovery.py.

Worker A reaches the chain through ``HoldingRpcProxy``, which forwards every JSON-RPC call to the node except
``eth_sendRawTransaction``, which it holds unanswered: A claims the pending events, leases the anchor and
then hangs in its send, as a worker does whose process dies between claiming and sending. Worker B talks to
the node directly. The drill waits until A holds the lease and B is running, checks that B leaves A's
anchor alone while A's heartbeat renews the lease, kills A with SIGKILL, and waits for B to resume it.
"""

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from domain.anchoring.models import Anchor, EventAnchor

LOTLINE = Path(sys.executable).with_name("lotline")


class HoldingRpcProxy:
    """An HTTP JSON-RPC proxy on a free loopback port that never answers ``eth_sendRawTransaction``."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.release = threading.Event()
        self.held = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                calls = json.loads(body)
                methods = [c.get("method") for c in (calls if isinstance(calls, list) else [calls])]
                if "eth_sendRawTransaction" in methods:
                    proxy.held += 1
                    proxy.release.wait(120)  # the client times out first; the node never sees it
                    with contextlib.suppress(OSError):  # the client hung up (timed out, or was killed)
                        self.send_error(503)
                    return
                request = urllib.request.Request(
                    proxy.upstream, body, {"Content-Type": "application/json"}, method="POST"
                )
                with urllib.request.urlopen(request, timeout=30) as answer:
                    data = answer.read()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "HoldingRpcProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def start_worker(env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop_worker)
    process = subprocess.Popen(
        [str(LOTLINE), "worker"], env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT
    )
    process.log = log  # type: ignore[attr-defined]
    return process


def output_of(process: subprocess.Popen[bytes]) -> str:
    log = process.log  # type: ignore[attr-defined]
    log.seek(0)
    return str(log.read().decode(errors="replace"))


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.log.close()  # type: ignore[attr-defined]


@dataclass
class DrillResult:
    anchor_id: int
    owner_a: str
    owner_b: str | None
    lease_at_kill: datetime  # A's last renewed lease expiry when it was killed
    renewals_seen: int  # lease expiries of A seen growing while B ran beside it
    submitted_at: datetime | None
    seconds_to_resume: float  # from SIGKILL to the anchor recorded submitted by B


async def _wait(condition: Any, patience: float, what: str, *workers: subprocess.Popen[bytes]) -> Any:
    deadline = time.monotonic() + patience
    while True:
        value = await condition()
        if value:
            return value
        for worker in workers:
            if worker.poll() is not None:
                raise AssertionError(f"a worker exited while waiting for {what}:\n{output_of(worker)}")
        if time.monotonic() > deadline:
            logs = "\n---\n".join(output_of(w) for w in workers)
            raise AssertionError(f"timed out waiting for {what}:\n{logs}")
        await asyncio.sleep(0.1)


async def run_drill(
    env: dict[str, str],
    chain_url: str,
    event_ids: list[int],
    cwd: Path,
    *,
    renewals: int = 2,
    patience: float = 90,
) -> DrillResult:
    """Runs the drill on ``event_ids`` (committed, not yet anchored); ``env`` is the workers' environment."""
    with HoldingRpcProxy(chain_url) as proxy:
        a = start_worker(env | {"LOTLINE_CHAIN_RPC_URL": proxy.url}, cwd)
        b: subprocess.Popen[bytes] | None = None
        try:
            owner_tag = f":{a.pid}:"

            async def claimed_by_a() -> Anchor | None:
                link = await EventAnchor.get_or_none(event_id=event_ids[0]).prefetch_related("anchor")
                if link is None or not (link.anchor.lease_owner or "").count(owner_tag):
                    return None
                return link.anchor if proxy.held else None  # claimed, and stuck in its send

            anchor = await _wait(claimed_by_a, patience, "worker A to claim and try to send", a)
            b = start_worker(env, cwd)
            await _wait(
                lambda: asyncio.to_thread(lambda: "AnchorRegistry" in output_of(b)),
                patience,
                "worker B to reach the chain",
                a,
                b,
            )
            seen = {(await Anchor.get(id=anchor.id)).lease_expires_at}
            while len(seen) <= renewals:  # B runs rounds meanwhile; A's heartbeat keeps the anchor A's
                current = await Anchor.get(id=anchor.id)
                assert current.lease_owner == anchor.lease_owner, "B took a live worker's anchor"
                assert current.status == "pending"
                seen.add(current.lease_expires_at)
                if a.poll() is not None or b.poll() is not None:
                    raise AssertionError(output_of(a) + "\n---\n" + output_of(b))
                await asyncio.sleep(0.2)
            lease_at_kill = (await Anchor.get(id=anchor.id)).lease_expires_at
            assert lease_at_kill is not None, "a claimed anchor holds a lease"
            os.kill(a.pid, signal.SIGKILL)
            killed = time.monotonic()
            a.wait()

            async def submitted() -> Anchor | None:
                row = await Anchor.get(id=anchor.id)
                return row if row.status in ("submitted", "confirmed") else None

            done = await _wait(submitted, patience, "worker B to resume the anchor", b)
            elapsed = time.monotonic() - killed

            async def confirmed() -> bool:
                return (await Anchor.get(id=anchor.id)).status == "confirmed"

            await _wait(confirmed, patience, "worker B to confirm the anchor", b)  # its next check
            return DrillResult(
                anchor.id,
                str(anchor.lease_owner),
                done.lease_owner,
                lease_at_kill,
                len(seen) - 1,
                done.submitted_at,
                elapsed,
            )
        finally:
            for worker in (a, b):
                if worker is not None:
                    stop_worker(worker)


def worker_env(database_url: str, redis_url: str, chain_url: str, address: str, key: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTLINE_")}
    return env | {
        "LOTLINE_DATABASE_URL": database_url,
        "LOTLINE_REDIS_URL": redis_url,
        "LOTLINE_CHAIN_RPC_URL": chain_url,
        "LOTLINE_CHAIN_PRIVATE_KEY": key,
        "LOTLINE_CHAIN_CONTRACT_ADDRESS": address,
        "LOTLINE_ANCHOR_MIN_EVENTS": "1",
        "LOTLINE_ANCHOR_MAX_WAIT_SECONDS": "0",
        "LOTLINE_ANCHOR_POLL_INTERVAL": "0.05",
        "LOTLINE_ANCHOR_RECEIPT_TIMEOUT": "10",
    }
