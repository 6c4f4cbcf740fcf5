"""Start and stop a local Anvil node (Foundry's dev chain) as a child process: tests, benchmarks, demos.

The binary comes from the npm package ``@foundry-rs/anvil`` pinned in ``contracts_solidity/package.json``
(``npm ci`` there installs it: the platform package ships the native binary, no download of its own).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Self

CONTRACTS_DIR = Path(__file__).resolve().parents[1] / "contracts_solidity"
# The first of Anvil's deterministic dev accounts ("test test ... junk"); never use it off a dev chain.
DEV_ACCOUNT_KEYS = (
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3ae0774f4e5ebaf7",
)
DEV_ACCOUNT_KEY = DEV_ACCOUNT_KEYS[0]


def find_anvil(node_dir: Path = CONTRACTS_DIR) -> Path | None:
    """The native binary under node_modules, else node_modules/.bin/anvil (a node wrapper), else PATH."""
    modules = node_dir / "node_modules"
    for candidate in sorted(modules.glob("@foundry-rs/anvil-*/bin/anvil")):
        if os.access(candidate, os.X_OK):
            return candidate
    wrapper = modules / ".bin" / "anvil"
    if wrapper.exists():
        return wrapper
    found = shutil.which("anvil")
    return Path(found) if found else None


def ensure_anvil(node_dir: Path = CONTRACTS_DIR) -> Path:
    """Find Anvil, running ``npm ci`` (or ``npm install`` without a lock file) in ``node_dir`` if needed."""
    binary = find_anvil(node_dir)
    if binary is None:
        command = "ci" if (node_dir / "package-lock.json").exists() else "install"
        subprocess.run(["npm", command, "--no-audit", "--no-fund"], cwd=node_dir, check=True)
        binary = find_anvil(node_dir)
    if binary is None:
        raise FileNotFoundError(f"no anvil binary under {node_dir}/node_modules after npm install")
    return binary


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def rpc(url: str, method: str, params: list[object] | None = None, timeout: float = 2.0) -> object:
    """One JSON-RPC call with the standard library (no web3 here)."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        reply = json.loads(response.read())
    if "error" in reply:
        raise RuntimeError(f"{method}: {reply['error']}")
    return reply["result"]


class Anvil:
    """A running Anvil: ``with Anvil.start() as node: node.url``. Stopping waits for the port to close."""

    def __init__(
        self, process: subprocess.Popen[bytes], port: int, state_file: Path | None, log: IO[bytes]
    ) -> None:
        self.process = process
        self._log = log
        self.port = port
        self.state_file = state_file
        self.url = f"http://127.0.0.1:{port}"

    @classmethod
    def start(
        cls,
        port: int | None = None,
        *,
        state_file: Path | None = None,
        binary: Path | None = None,
        chain_id: int = 31337,
        block_time: float | None = None,
        extra_args: tuple[str, ...] = (),
        wait_seconds: float = 30.0,
    ) -> Self:
        binary = binary or ensure_anvil()
        port = port or free_port()
        args = [str(binary), "--host", "127.0.0.1", "--port", str(port), "--chain-id", str(chain_id)]
        if state_file is not None:
            args += ["--state", str(state_file)]  # load at start if it exists, dump on exit
        if block_time is not None:
            args += ["--block-time", str(block_time)]
        args += list(extra_args)
        # stderr to an unlinked temp file, not a pipe: a pipe nobody reads can fill and block the node.
        log = tempfile.TemporaryFile()  # noqa: SIM115 (owned by the Anvil object, closed in stop)
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=log)
        node = cls(process, port, state_file, log)
        node._wait_ready(wait_seconds)
        return node

    def _wait_ready(self, wait_seconds: float) -> None:
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.seek(0)
                err = self._log.read().decode(errors="replace")
                raise RuntimeError(f"anvil exited with {self.process.returncode}: {err.strip()}")
            try:
                rpc(self.url, "eth_chainId", timeout=1.0)
            except (OSError, urllib.error.URLError, RuntimeError):
                time.sleep(0.05)
            else:
                return
        self.stop()
        raise TimeoutError(f"anvil did not answer on {self.url} within {wait_seconds}s")

    def mine(self, blocks: int = 1) -> None:
        rpc(self.url, "anvil_mine", [hex(blocks)])

    def stop(self, wait_seconds: float = 10.0) -> None:
        """SIGINT (Anvil dumps ``--state`` on it), then SIGKILL if it lingers; then wait for the port."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(wait_seconds)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.05)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
