"""The candidate models, fitted over many series at once: statsforecast (local models), Darts (LightGBM).

Local models (``seasonal_naive``, ``auto_ets``, ``auto_theta``, ``croston_tsb``) run through statsforecast's
own ``StatsForecast`` over every series of a call in one frame: its numba kernels fit thousands of series
where a Python loop over Darts wrappers fits tens (the 10,000-series throughput of issue 12). Their P90 is
the models' own: the upper bound of the 80 % prediction interval (the 0.9 quantile of the model's
predictive distribution: ETS and Theta state-space likelihood, the seasonal-naive residual spread); TSB has
no likelihood, so its P90 is conformal (statsforecast ``ConformalIntervals``: forecast + the 0.9 quantile
of its own absolute ``horizon``-step errors over up to 10 rolling windows at the end of the history;
|e| ≤ q implies e ≤ q, so demand falls at or below it about 90 % of the time, less the slack of estimating
a quantile from 10 errors — conservative where errors are symmetric, about right where they are skewed, as
intermittent demand's are).

``lightgbm`` is one Darts ``LightGBMModel`` over all series with target lags and the future covariates,
trained with the quantile (pinball) loss: P50 and P90 are the 0.5 and 0.9 quantile regressions, predicted
directly for every horizon step (``output_chunk_length`` = horizon), no sampling. Deterministic for a seed.

Arrays: ``targets`` is a list of 1-D float arrays (weekly demand, oldest first, no NaN), all ending the same
week; ``covs`` a list of (history + horizon) × k arrays. Weeks are stamped from a fixed Monday: only their
order matters to the models.
"""

import warnings
from typing import Any

import numpy as np
import pandas as pd

SEASON = 52
STAT_MODELS = ("seasonal_naive", "auto_ets", "auto_theta", "croston_tsb")
FREQ = "W-MON"
_LAST_WEEK = pd.Timestamp("2030-12-30")  # a Monday: every series ends here (only the order of weeks counts)
_LEVEL = 80  # the 80 % interval's upper bound is the 0.9 quantile of a (symmetric) predictive distribution
_CONFORMAL_LEVEL = 90  # absolute-error conformal scores: the 90 % bound is a one-sided 0.9 guarantee
Quantiles = tuple[np.ndarray, np.ndarray]  # (P50, P90) per horizon step


def frame(targets: list[np.ndarray]) -> pd.DataFrame:
    """The long frame statsforecast reads: ``unique_id`` (the series' index), ``ds``, ``y``."""
    parts = []
    for i, y in enumerate(targets):
        ds = pd.date_range(end=_LAST_WEEK, periods=len(y), freq=FREQ)
        parts.append(pd.DataFrame({"unique_id": i, "ds": ds, "y": y.astype(float)}))
    return pd.concat(parts, ignore_index=True)


def _models(names: tuple[str, ...], n_min: int, horizon: int) -> tuple[list[Any], list[Any]]:
    """(models with a ``forward`` — backtested without refits, TSB — refitted at every origin)."""
    from statsforecast.models import TSB, AutoETS, AutoTheta, SeasonalNaive
    from statsforecast.utils import ConformalIntervals

    # A 52-week season needs two years to estimate (and AutoETS with it is very slow): shorter, none.
    season = SEASON if n_min >= 2 * SEASON + 4 else 1
    forward: list[Any] = []
    refit: list[Any] = []
    for name in names:
        if name == "seasonal_naive":
            forward.append(SeasonalNaive(season_length=SEASON if n_min > SEASON else 1, alias=name))
        elif name == "auto_ets":
            forward.append(AutoETS(season_length=season, alias=name))
        elif name == "auto_theta":
            forward.append(AutoTheta(season_length=season, alias=name))
        elif name == "croston_tsb":
            windows = min(10, (n_min - 4) // horizon)
            conformal = ConformalIntervals(h=horizon, n_windows=windows) if windows >= 2 else None
            refit.append(TSB(alpha_d=0.2, alpha_p=0.2, alias=name, prediction_intervals=conformal))
    return forward, refit


def _by_series(df: pd.DataFrame, column: str, count: int) -> list[np.ndarray]:
    grouped = df.sort_values(["unique_id", "ds"]).groupby("unique_id")[column]
    values = {int(k): v.to_numpy(dtype=float) for k, v in grouped}
    return [values[i] for i in range(count)]


def stat_backtest(
    names: tuple[str, ...], targets: list[np.ndarray], folds: int, n_jobs: int = 1
) -> dict[str, list[np.ndarray]]:
    """One-week-ahead forecasts of the last ``folds`` weeks of every series, per model.

    ETS, Theta and seasonal naive are fitted once on the weeks before the first origin and rolled forward
    (``refit=False``: their states update, their parameters stay, as the global model's do); TSB, which
    cannot roll forward, is refitted at every origin (it is cheap).
    """
    from statsforecast import StatsForecast

    df = frame(targets)
    n_min = min(len(t) for t in targets)
    out: dict[str, list[np.ndarray]] = {}
    for group, refit in zip(_models(names, n_min - folds, 1), (False, True), strict=True):
        if not group:
            continue
        sf = StatsForecast(models=group, freq=FREQ, n_jobs=n_jobs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cv = sf.cross_validation(df=df, h=1, n_windows=folds, step_size=1, refit=refit)
        for model in group:
            out[model.alias] = [np.maximum(v, 0.0) for v in _by_series(cv, model.alias, len(targets))]
    return out


def stat_forecast(
    names: tuple[str, ...], targets: list[np.ndarray], horizon: int, n_jobs: int = 1, n_min: int | None = None
) -> dict[str, list[Quantiles]]:
    """P50 (the point forecast: the mean, the median of the symmetric intervals) and P90 per model.

    ``n_min``: the shortest series of the whole call, when ``targets`` is a part of it (so the season
    length is the one the backtest used).
    """
    from statsforecast import StatsForecast

    df = frame(targets)
    n_min = n_min or min(len(t) for t in targets)
    out: dict[str, list[Quantiles]] = {}
    for group in _models(names, n_min, horizon):
        if not group:
            continue
        sf = StatsForecast(models=group, freq=FREQ, n_jobs=n_jobs)
        with_interval = [m for m in group if m.alias != "croston_tsb" or m.prediction_intervals]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            levels = [_LEVEL, _CONFORMAL_LEVEL] if with_interval else None
            fc = sf.forecast(df=df, h=horizon, level=levels)
        for model in group:
            p50 = _by_series(fc, model.alias, len(targets))
            level = _CONFORMAL_LEVEL if model.alias == "croston_tsb" else _LEVEL
            hi = f"{model.alias}-hi-{level}"
            p90 = _by_series(fc, hi, len(targets)) if hi in fc.columns else p50
            out[model.alias] = [
                (np.maximum(a, 0.0), np.maximum(np.maximum(b, a), 0.0)) for a, b in zip(p50, p90, strict=True)
            ]
    return out


def _lightgbm(seed: int, n_min: int, chunk: int, quantiles: list[float], with_covs: bool) -> Any:
    from darts.models import LightGBMModel

    lags = [-1, -2, -3, -4] + ([-SEASON] if n_min > SEASON + chunk + 8 else [])
    return LightGBMModel(
        lags=lags,
        lags_future_covariates=(0, chunk) if with_covs else None,
        output_chunk_length=chunk,
        likelihood="quantile",
        quantiles=quantiles,
        n_estimators=80,
        learning_rate=0.05,
        num_leaves=15,
        min_child_samples=5,
        random_state=seed,
        n_jobs=1,  # one core per worker process: scaling out is more processes
        verbose=-1,
    )


def _series(targets: list[np.ndarray], covs: list[np.ndarray] | None) -> tuple[list[Any], list[Any] | None]:
    from darts import TimeSeries

    ts = [TimeSeries.from_values(t.astype(np.float32)) for t in targets]
    cs = None if covs is None else [TimeSeries.from_values(c.astype(np.float32)) for c in covs]
    return ts, cs


def global_backtest(
    targets: list[np.ndarray], covs: list[np.ndarray] | None, folds: int, seed: int
) -> list[np.ndarray]:
    """One-week-ahead medians (0.5 quantile regression) of the last ``folds`` weeks, fitted before them."""
    ts, cs = _series(targets, covs)
    n_min = min(len(t) for t in targets)
    model = _lightgbm(seed, n_min - folds, 1, [0.5], cs is not None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit([t[:-folds] for t in ts], future_covariates=cs)
        out = []
        for i, t in enumerate(ts):
            hf = model.historical_forecasts(
                t,
                future_covariates=None if cs is None else cs[i],
                start=len(t) - folds,
                forecast_horizon=1,
                retrain=False,
                verbose=False,
            )
            out.append(np.maximum(hf.values()[:, 0].astype(float), 0.0))
    return out


def global_forecast(
    targets: list[np.ndarray], covs: list[np.ndarray] | None, horizon: int, seed: int
) -> list[Quantiles]:
    """P50 and P90 of every series from the 0.5 and 0.9 quantile regressions, fitted on all history.

    Darts wants quantiles symmetric around the median, so 0.1 is fitted too (and not used).
    """
    ts, cs = _series(targets, covs)
    n_min = min(len(t) for t in targets)
    model = _lightgbm(seed, n_min, horizon, [0.1, 0.5, 0.9], cs is not None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(ts, future_covariates=cs)
        predictions = model.predict(
            horizon, series=ts, future_covariates=cs, predict_likelihood_parameters=True
        )
    out = []
    for p in predictions:
        v = p.values().astype(float)
        p50 = np.maximum(v[:, 1], 0.0)
        out.append((p50, np.maximum(v[:, 2], p50)))  # quantile crossing: P90 never below P50
    return out
