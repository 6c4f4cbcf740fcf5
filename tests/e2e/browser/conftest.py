"""A real headless Chromium against a real uvicorn serving the session's PostgreSQL database.

Chromium comes from Debian (``/usr/bin/chromium``). On a clean machine the ``chromium`` fixture installs it
with apt-get (with a CJK font, so screenshots show the Chinese text) when it can: as root with apt-get on the
path. Anywhere else a missing browser fails the run with the command to install it: never a skip.
"""

import asyncio
import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bench.harness import uvicorn_server

PACKAGES = ("chromium", "fonts-wqy-microhei")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
PHONE = "--window-size=390,844"


def _apt_install(packages: tuple[str, ...]) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    if subprocess.run(install, env=env, capture_output=True, check=False).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, check=True)
        subprocess.run(install, env=env, capture_output=True, check=True)


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium binary, installed first when missing and possible."""
    found = os.environ.get("LOTLINE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        _apt_install(PACKAGES)
        if found := shutil.which("chromium"):
            return found
    pytest.fail(
        "headless Chromium is needed for the browser tests: `sudo apt-get install -y chromium "
        "fonts-wqy-microhei` (or set LOTLINE_CHROMIUM to a Chromium binary)",
        pytrace=False,
    )


@pytest.fixture(scope="module")
async def server(db: object, pg_url: str) -> AsyncIterator[str]:
    async with uvicorn_server(pg_url, pool_max=5) as base:
        yield base


async def run_chromium(binary: str, profile: Path, *args: str, seconds: float = 60) -> str:
    """Runs one headless Chromium command (its own throw-away profile) and returns its stdout."""
    proc = await asyncio.create_subprocess_exec(
        binary,
        *FLAGS,
        f"--user-data-dir={profile}",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), seconds)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    assert proc.returncode == 0, err.decode(errors="replace")[-2000:]
    return out.decode()
