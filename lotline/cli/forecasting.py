"""``forecast``: plan a forecast run in shards of SKUs and run it — on the Dramatiq workers when
``LOTLINE_REDIS_URL`` is set (this command enqueues and follows the progress), else here, shard by shard."""

import time
from datetime import UTC, date, datetime

import typer

from lotline.cli import runtime
from lotline.cli.runtime import app


@app.command()
def forecast(
    as_of: str = typer.Option("", help="First forecast week (YYYY-MM-DD, its Monday); default this week."),
    horizon: int = typer.Option(8, help="Weeks to forecast."),
    history: int = typer.Option(104, help="Weeks of history to fit on."),
    shard_skus: int = typer.Option(100, help="SKUs per Dramatiq message."),
    wait: bool = typer.Option(True, help="Follow the run to its end with a progress bar."),
) -> None:
    """需求预测 / forecast weekly demand per SKU and warehouse (Darts), sharded over the workers."""
    from domain.replenishment import forecast_runs, weeks
    from domain.replenishment.models import ForecastRun

    settings = runtime.settings()
    start = date.fromisoformat(as_of) if as_of else weeks.business_date(datetime.now(UTC))

    async def plan() -> tuple[int, int, int]:
        run = await forecast_runs.forecast_run_create(
            start, horizon_weeks=horizon, history_weeks=history, shard_skus=shard_skus
        )
        return run.id, run.shards_total, run.series_total

    run_id, shards, series = runtime.run(plan)
    typer.echo(f"预测任务 / forecast run {run_id}: {series} series in {shards} shards")
    if settings.redis_url:
        from workers import broker as broker_mod
        from workers import forecasting as jobs
        from workers.runtime import Runtime

        broker = broker_mod.make_broker(settings)
        jobs.send_shards(jobs.declare_actors(broker, Runtime(settings)), run_id, shards)
        broker.close()
        if not wait:
            return

        async def progress() -> tuple[str, int]:
            row = await ForecastRun.get(id=run_id)
            return row.status, row.shards_done + row.shards_failed

        with typer.progressbar(length=shards, label="shards") as bar:
            seen = 0
            while True:
                status, reported = runtime.run(progress)
                bar.update(reported - seen)
                seen = reported
                if status in {"done", "failed"}:
                    break
                time.sleep(1)
    else:
        with typer.progressbar(range(shards), label="shards") as bar:
            for shard in bar:

                async def one(index: int = shard) -> int:
                    return await forecast_runs.forecast_shard(run_id, index, datetime.now(UTC))

                runtime.run(one)

    async def outcome() -> ForecastRun:
        return await ForecastRun.get(id=run_id)

    row = runtime.run(outcome)
    typer.echo(f"{row.status}: {row.shards_done}/{row.shards_total} shards done, {row.shards_failed} failed")
    if row.status == "failed":
        raise typer.Exit(1)
