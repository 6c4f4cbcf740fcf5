"""Weekly demand forecasting (no torch): candidate models, rolling-origin backtest, model-native P50/P90.

Input: ``SeriesInput`` per SKU × warehouse — weekly demand (floats, ``None`` for a censored week, which is
interpolated from its neighbours rather than read as low demand) and future covariates for history + horizon
weeks (``COVARIATES``: promotion discount and days, holiday days, adjusted workdays, Spring Festival flag,
weather index, relative price). Candidates (``forecast_models``): ``seasonal_naive`` (52 weeks back, or last
week on short series), ``auto_ets`` and ``auto_theta`` and ``croston_tsb`` (statsforecast, every series of
the call in one batch) and ``lightgbm`` (one global Darts model over all series with target lags and the
future covariates, quantile loss, seeded). Each is backtested on the last ``folds`` weeks, one week ahead
(rolling origin); the lowest WAPE = Σ|actual − forecast| / Σ|actual| wins per series (ties: the simpler
model). P50 and P90 are the winner's own, fitted on all history: the statistical models' predictive
distribution (conformal for TSB), LightGBM's 0.5 and 0.9 quantile regressions — no scaling of errors here.
Deterministic for a given input and seed. Errors: ``ValueError`` for inconsistent lengths.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata

import numpy as np

from domain.replenishment import forecast_models

SEASON = forecast_models.SEASON
MODELS = ("seasonal_naive", "auto_ets", "auto_theta", "croston_tsb", "lightgbm")
COVARIATES = (
    "promo_discount",
    "promo_days",
    "holiday_days",
    "adjusted_workdays",
    "spring_festival",
    "weather",
    "price",  # the week's selling price over the series' usual price (1 = usual; 0.8 = 20 % cheaper)
)


@dataclass(frozen=True)
class SeriesInput:
    key: tuple[int, int]  # (sku_id, warehouse_id)
    values: Sequence[float | None]  # weekly demand, oldest first; None: censored
    covariates: Sequence[Sequence[float]] = ()  # per week of history + horizon, one value per covariate


@dataclass(frozen=True)
class SeriesForecast:
    key: tuple[int, int]
    model: str
    p50: list[float]
    p90: list[float]
    wape: dict[str, float] = field(default_factory=dict)  # per candidate model
    mase: float | None = None  # of the chosen model, scaled by the in-sample naive error
    bias: float | None = None  # Σ(forecast − actual) / Σ actual of the chosen model


def versions() -> dict[str, str]:
    return {p: metadata.version(p) for p in ("darts", "statsforecast", "lightgbm", "pandas", "numpy")}


def _filled(values: Sequence[float | None]) -> np.ndarray:
    raw = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    if np.isnan(raw).all():
        return np.zeros(len(raw))
    idx = np.arange(len(raw))
    ok = ~np.isnan(raw)
    filled: np.ndarray = np.interp(idx, idx[ok], raw[ok])
    return filled


def _wape(actual: np.ndarray, forecast: np.ndarray) -> float:
    denom = float(np.abs(actual).sum())
    err = float(np.abs(actual - forecast).sum())
    return err / denom if denom > 0 else (0.0 if err == 0 else math.inf)


def _covariates(inputs: Sequence[SeriesInput], horizon: int, wanted: bool) -> list[np.ndarray] | None:
    if not wanted or not all(s.covariates for s in inputs):
        return None
    out = []
    for s in inputs:
        if len(s.covariates) != len(s.values) + horizon:
            raise ValueError(f"series {s.key}: covariates must cover history + horizon weeks")
        out.append(np.array(s.covariates, dtype=float))
    return out


def forecast_series(
    inputs: Sequence[SeriesInput],
    horizon: int,
    folds: int = 8,
    seed: int = 12,
    models: Sequence[str] = MODELS,
    n_jobs: int = 1,
) -> list[SeriesForecast]:
    """Backtests every candidate, picks one per series by WAPE and forecasts ``horizon`` weeks.

    ``n_jobs``: processes statsforecast may use (1 in a worker: scaling out is more worker processes).
    """
    if not inputs:
        return []
    n_min = min(len(s.values) for s in inputs)
    folds = max(1, min(folds, n_min // 4))
    if n_min < folds + 6:
        raise ValueError(f"series need at least {folds + 6} weeks, one has {n_min}")
    targets = [_filled(s.values) for s in inputs]
    covs = _covariates(inputs, horizon, "lightgbm" in models)
    names = [m for m in models if m != "lightgbm" or covs is not None]
    local = tuple(m for m in names if m in forecast_models.STAT_MODELS)
    backtests = forecast_models.stat_backtest(local, targets, folds, n_jobs) if local else {}
    if "lightgbm" in names:
        backtests["lightgbm"] = forecast_models.global_backtest(targets, covs, folds, seed)
    wapes = [{name: _wape(t[-folds:], backtests[name][i]) for name in names} for i, t in enumerate(targets)]
    chosen = [min(names, key=lambda m: (round(w[m], 9), names.index(m))) for w in wapes]
    finals = _finals(chosen, targets, covs, horizon, seed, n_jobs, n_min)
    results = []
    for i, (s, target) in enumerate(zip(inputs, targets, strict=True)):
        actual = target[-folds:]
        best = chosen[i]
        p50, p90 = finals[i]
        errors = actual - backtests[best][i]
        scale = float(np.abs(np.diff(target)).mean()) if len(target) > 1 else 0.0
        mae = float(np.abs(errors).mean())
        results.append(
            SeriesForecast(
                key=s.key,
                model=best,
                p50=[float(v) for v in p50],
                p90=[float(v) for v in p90],
                wape=wapes[i],
                mase=mae / scale if scale > 0 else None,
                bias=float(-errors.sum() / actual.sum()) if actual.sum() > 0 else None,
            )
        )
    return results


def _finals(
    chosen: list[str],
    targets: list[np.ndarray],
    covs: list[np.ndarray] | None,
    horizon: int,
    seed: int,
    n_jobs: int,
    n_min: int,
) -> list[forecast_models.Quantiles]:
    """The final P50/P90 of every series, fitting only the model its backtest chose (a local model on the
    series that chose it, in one batch per model; the global model on all series, as it was backtested)."""
    out: list[forecast_models.Quantiles | None] = [None] * len(targets)
    for name in sorted(set(chosen)):
        idx = [i for i, c in enumerate(chosen) if c == name]
        if name == "lightgbm":
            every = forecast_models.global_forecast(targets, covs, horizon, seed)
            part = [every[i] for i in idx]
        else:
            fitted = forecast_models.stat_forecast((name,), [targets[i] for i in idx], horizon, n_jobs, n_min)
            part = fitted[name]
        for i, q in zip(idx, part, strict=True):
            out[i] = q
    return [q for q in out if q is not None]
