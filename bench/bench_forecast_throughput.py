"""Forecasting throughput: many weekly series, sharded, computed by 2 worker processes.

``python -m bench.bench_forecast_throughput [--series 200] [--weeks 104] [--shard 50] [--processes 2]``.
Synthetic weekly demand (level, yearly season, promotions, noise; a quarter intermittent) with the six
covariates. Each shard is what one Dramatiq ``forecast_shard`` message computes (``forecast_runs.compute`` →
``forecasting.forecast_series``: every candidate, 8-week backtest, refit, P50/P90); the database reads and
writes of a shard are left out (they are small next to the fits). Reports wall time, series per second and
the peak resident memory of a worker process.
"""

import argparse
import resource
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from domain.replenishment import forecasting


def shard_inputs(seed: int, count: int, weeks: int, horizon: int) -> list[forecasting.SeriesInput]:
    rng = np.random.default_rng(seed)
    out = []
    for k in range(count):
        t = np.arange(weeks + horizon)
        promo = (rng.random(weeks + horizon) < 0.08).astype(float)
        level = rng.uniform(3, 60)
        mean = level * (1 + 0.25 * np.sin(2 * np.pi * t / 52)) * (1 + 0.5 * promo)
        y = rng.poisson(mean if k % 4 else mean * (rng.random(len(t)) < 0.3)).astype(float)
        covs = [[0.2 * p, 7 * p, 0.0, 0.0, 0.0, 1.0, 1.0 - 0.2 * p] for p in promo]
        out.append(forecasting.SeriesInput((seed * 10_000 + k, 1), [float(v) for v in y[:weeks]], covs))
    return out


def run_shard(args: tuple[int, int, int, int]) -> tuple[int, int]:
    seed, count, weeks, horizon = args
    results = forecasting.forecast_series(shard_inputs(seed, count, weeks, horizon), horizon, folds=8)
    return len(results), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--series", type=int, default=200)
    p.add_argument("--weeks", type=int, default=104)
    p.add_argument("--shard", type=int, default=50)
    p.add_argument("--processes", type=int, default=2)
    a = p.parse_args()
    shards = [
        (i, min(a.shard, a.series - i * a.shard), a.weeks, 8)
        for i in range((a.series + a.shard - 1) // a.shard)
    ]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(a.processes) as pool:
        done = list(pool.map(run_shard, shards))
    wall = time.perf_counter() - t0
    series = sum(n for n, _ in done)
    peak = max(rss for _, rss in done) / 1024
    print(f"{series} series × {a.weeks} weeks, {len(shards)} shards, {a.processes} processes")
    print(f"wall {wall:.0f} s, {series / wall:.2f} series/s, peak RSS per worker {peak:.0f} MiB")
    print(f"10,000 series at this rate: {10_000 / (series / wall) / 3600:.1f} h")


if __name__ == "__main__":
    main()
