"""``seal-legacy``: vouch for events recorded before chain links (migration 0003) with one anchored seal.

The rule and why it is sound are in ``domain.trace.legacy``; this command runs it once (again later only if
more unlinked events turn up: those already sealed are skipped) and says what it sealed or refused.
"""

from datetime import UTC, datetime
from typing import Annotated

import typer

from lotline.cli import runtime
from lotline.cli.runtime import app


@app.command("seal-legacy")
def seal_legacy(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只列出，不写入 / only list, write nothing")
    ] = False,
) -> None:
    """封存链接之前的追溯事件并上链 / seal events recorded before chain links into their lots' chains."""
    from domain.trace import legacy

    result = runtime.run(lambda: legacy.seal_legacy(datetime.now(UTC), dry_run=dry_run))
    if not result.streams:
        typer.echo("没有需要封存的事件 / nothing to seal: every event carries its chain links")
        return
    for s in result.streams:
        line = f"{s.stream}: 封存 sealed {s.events}"
        if s.refused:
            line += f", 拒绝 refused {s.refused} (已被修改 altered: bytes no longer hash to their leaf)"
        typer.echo(line)
    if result.event_id is not None:
        typer.echo(f"封存事件 / seal event: {result.event_id} (等待上链 queued for anchoring)")
    elif dry_run:
        typer.echo("试运行，未写入 / dry run: nothing written")
    if any(s.refused for s in result.streams):
        raise typer.Exit(1)
