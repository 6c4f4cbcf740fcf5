"""Calibration of P50/P90 per model on synthetic series from a known process (figures for bench/README.md).

``python -m bench.bench_forecast_quantiles``. The same generator as tests/unit/replenishment/test_quantiles.py
(300 series × 80 weeks, the next 4 weeks drawn from the same process): the share of future weeks at or below
P90 (target 0.9) and P50 (target 0.5), per model and for the per-series choice.
"""

import time
import warnings

import numpy as np

from domain.replenishment import forecasting
from tests.unit.replenishment.test_quantiles import HORIZON, synthetic

CASES = (
    ("seasonal_naive", "normal"),
    ("auto_ets", "normal"),
    ("auto_theta", "normal"),
    ("lightgbm", "poisson"),
    ("croston_tsb", "intermittent"),
    ("per-series choice", "poisson"),
)


def main() -> None:
    print("| model | series | P90 coverage | P50 coverage | wall |\n|---|---|---|---|---|")
    for model, kind in CASES:
        inputs, future = synthetic(kind, seed=5)
        models = forecasting.MODELS if model == "per-series choice" else (model,)
        t0 = time.perf_counter()
        out = forecasting.forecast_series(inputs, HORIZON, folds=8, models=models)
        wall = time.perf_counter() - t0
        p90 = float((future <= np.array([r.p90 for r in out])).mean())
        p50 = float((future <= np.array([r.p50 for r in out])).mean())
        print(f"| {model} | {kind} | {p90:.3f} | {p50:.3f} | {wall:.0f} s |", flush=True)


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    main()
