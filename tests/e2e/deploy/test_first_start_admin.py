"""A deployment's first start (docker-compose.yml's api command) creates the admin and writes its token.

The api service's own command line, run as a process on a fresh PostgreSQL database: the first start creates
``admin`` and writes a working token to the file (0600); a restart finds both and prints the same token.
"""

import asyncio
import os
import stat
import sys
from pathlib import Path

import httpx
import yaml

from bench.harness import ROOT, free_port, fresh_database

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


async def serve_once(database_url: str, token_file: Path) -> tuple[str, str]:
    """Runs the api's command (its token file moved under tmp); returns (output, token) once it serves."""
    command = list(COMPOSE["services"]["api"]["command"])
    command[command.index("--admin-token-file") + 1] = str(token_file)
    port = free_port()
    env = {
        **os.environ,
        "LOTLINE_DATABASE_URL": database_url,
        "LOTLINE_PORT": str(port),
        "LOTLINE_DB_POOL_MAX": "3",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "lotline.cli",
        *command[1:],
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        while not any("Ctrl-C" in line for line in lines):
            line = (await asyncio.wait_for(proc.stdout.readline(), 120)).decode()
            assert line, "".join(lines)
            lines.append(line)
        token = await asyncio.to_thread(lambda: token_file.read_text().strip())
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(300):
                try:
                    response = await client.post(
                        "/graphql",
                        json={"query": "{ skus(first: 1) { totalCount } }"},
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            assert response.status_code == 200
            assert "errors" not in response.json(), response.text
        return "".join(lines), token
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.wait(), 30)


async def test_the_first_start_creates_the_admin_and_its_token_and_a_restart_keeps_it(tmp_path: Path) -> None:
    token_file = tmp_path / "var" / "admin-token"
    async with fresh_database("lotline_deploy") as url:
        first_output, first = await serve_once(url, token_file)
        second_output, second = await serve_once(url, token_file)

    assert first == second
    assert first in first_output
    assert first in second_output
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert "数据库已迁移 / database migrated" in first_output
