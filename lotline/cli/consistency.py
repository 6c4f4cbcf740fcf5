"""``check``: stock rebuilt from the ledger and the books reconciled with their subledgers; one line per
difference on stdout and exit 1 when there is any, exit 0 when all agree (for cron and monitoring). The list
is computed afresh (``domain.health.snapshot.refresh``) and stored for the data-health views, which then show
exactly these lines with the time of this run."""

import typer

from lotline.cli import runtime
from lotline.cli.runtime import app


@app.command()
def check() -> None:
    """从流水重建库存并对账 / rebuild stock from the ledger, reconcile the books; exit 1 on differences."""
    from domain.health import snapshot

    async def work() -> list[str]:
        # the same list the data-health dashboard shows (expiry judged on today's business date)
        return [d.text for d in (await snapshot.refresh()).disagreements]

    differences = runtime.run(work)
    if not differences:
        typer.echo("一致 / consistent: 库存与流水、总账与明细账无差异 / stock, ledger and books agree")
        return
    for difference in differences:
        typer.echo(difference)
    count = len(differences)
    typer.secho(f"发现 {count} 处差异 / {count} differences", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)
