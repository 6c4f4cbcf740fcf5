"""Weekly demand forecasting with Darts (no torch): candidate models, rolling-origin backtest, P50/P90.

Input: ``SeriesInput`` per SKU × warehouse — weekly demand (floats, ``None`` for a censored week, which is
interpolated from its neighbours rather than read as low demand) and future covariates for history + horizon
weeks (promotion discount and days, holiday days, adjusted workdays, Spring Festival flag, weather index).
Candidates: ``seasonal_naive`` (52 weeks back, or last week on short series), ``auto_ets`` and ``auto_theta``
(statsforecast through Darts), ``croston_tsb`` (intermittent demand, TSB) and ``lightgbm`` (one global model
over all series of the call with target lags and the future covariates, seeded). Each is backtested on the
last ``folds`` weeks, one week ahead, refit at every origin (the global model once, on data before the first
origin); the lowest WAPE = Σ|actual − forecast| / Σ|actual| wins per series (ties: the simpler model). P50
is the winner's forecast refit on all history, at least 0; P90 = P50 + the 90th percentile of its backtest
errors × √h at horizon h (an empirical interval; the models' own intervals differ in kind). Deterministic
for a given input and seed. Errors: ``ValueError`` for inconsistent lengths.
"""

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import numpy as np

SEASON = 52
MODELS = ("seasonal_naive", "auto_ets", "auto_theta", "croston_tsb", "lightgbm")
COVARIATES = (
    "promo_discount",
    "promo_days",
    "holiday_days",
    "adjusted_workdays",
    "spring_festival",
    "weather",
)


@dataclass(frozen=True)
class SeriesInput:
    key: tuple[int, int]  # (sku_id, warehouse_id)
    values: Sequence[float | None]  # weekly demand, oldest first; None: censored
    covariates: Sequence[Sequence[float]] = ()  # per week of history + horizon, in ``COVARIATES`` order


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


def _local(name: str, n: int) -> Any:
    from darts.models import AutoETS, AutoTheta, Croston, NaiveSeasonal

    seasonal = n >= 2 * SEASON + 4
    if name == "seasonal_naive":
        return NaiveSeasonal(K=SEASON if n > SEASON else 1)
    if name == "auto_ets":
        return AutoETS(season_length=SEASON if seasonal else 1)
    if name == "auto_theta":
        return AutoTheta(season_length=SEASON if seasonal else 1)
    return Croston(version="tsb", alpha_d=0.2, alpha_p=0.2)


def _lightgbm(seed: int, n_min: int) -> Any:
    from darts.models import LightGBMModel

    lags = [-1, -2, -3, -4] + ([-SEASON] if n_min > SEASON + 8 else [])
    return LightGBMModel(
        lags=lags,
        lags_future_covariates=[0],
        output_chunk_length=1,
        n_estimators=80,
        learning_rate=0.05,
        num_leaves=15,
        min_child_samples=5,
        random_state=seed,
        verbose=-1,
    )


def _wape(actual: np.ndarray, forecast: np.ndarray) -> float:
    denom = float(np.abs(actual).sum())
    err = float(np.abs(actual - forecast).sum())
    return err / denom if denom > 0 else (0.0 if err == 0 else math.inf)


def forecast_series(
    inputs: Sequence[SeriesInput],
    horizon: int,
    folds: int = 8,
    seed: int = 12,
    models: Sequence[str] = MODELS,
) -> list[SeriesForecast]:
    """Backtests every candidate, picks one per series by WAPE and forecasts ``horizon`` weeks."""
    from darts import TimeSeries

    if not inputs:
        return []
    lengths = {len(s.values) for s in inputs}
    n_min = min(lengths)
    folds = max(1, min(folds, n_min // 4))
    if n_min < folds + 6:
        raise ValueError(f"series need at least {folds + 6} weeks, one has {n_min}")
    targets = [TimeSeries.from_values(_filled(s.values).astype(np.float32)) for s in inputs]
    use_covariates = "lightgbm" in models and all(s.covariates for s in inputs)
    covs = []
    for s in inputs:
        if use_covariates and len(s.covariates) != len(s.values) + horizon:
            raise ValueError(f"series {s.key}: covariates must cover history + horizon weeks")
        covs.append(
            TimeSeries.from_values(np.array(s.covariates, dtype=np.float32)) if use_covariates else None
        )
    names = [m for m in models if m != "lightgbm" or use_covariates]
    backtests: dict[str, list[np.ndarray]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in names:
            backtests[name] = _backtest(name, targets, covs, folds, seed, n_min)
        results = []
        finals = _final_global(targets, covs, horizon, seed, n_min) if "lightgbm" in names else None
        for i, (s, target) in enumerate(zip(inputs, targets, strict=True)):
            actual = target.values()[-folds:, 0]
            wapes = {name: _wape(actual, backtests[name][i]) for name in names}
            best = min(names, key=lambda m: (round(wapes[m], 9), names.index(m)))
            if best == "lightgbm":
                assert finals is not None
                point = finals[i]
            else:
                model = _local(best, len(target))
                model.fit(target)
                point = model.predict(horizon).values()[:, 0]
            p50 = np.maximum(point, 0.0)
            errors = actual - backtests[best][i]
            spread = max(0.0, float(np.quantile(errors, 0.9)))
            p90 = [float(v + spread * math.sqrt(h + 1)) for h, v in enumerate(p50)]
            history = target.values()[:, 0]
            scale = float(np.abs(np.diff(history)).mean()) if len(history) > 1 else 0.0
            mae = float(np.abs(errors).mean())
            results.append(
                SeriesForecast(
                    key=s.key,
                    model=best,
                    p50=[float(v) for v in p50],
                    p90=p90,
                    wape=wapes,
                    mase=mae / scale if scale > 0 else None,
                    bias=float(-errors.sum() / actual.sum()) if actual.sum() > 0 else None,
                )
            )
    return results


def _backtest(
    name: str, targets: list[Any], covs: list[Any], folds: int, seed: int, n_min: int
) -> list[np.ndarray]:
    """One-week-ahead forecasts of the last ``folds`` weeks of each series."""
    if name == "lightgbm":
        model = _lightgbm(seed, n_min - folds)
        model.fit([t[:-folds] for t in targets], future_covariates=covs)
        out = []
        for t, c in zip(targets, covs, strict=True):
            hf = model.historical_forecasts(
                t, future_covariates=c, start=len(t) - folds, forecast_horizon=1, retrain=False, verbose=False
            )
            out.append(np.maximum(hf.values()[:, 0], 0.0))
        return out
    out = []
    for t in targets:
        preds = []
        for origin in range(len(t) - folds, len(t)):
            model = _local(name, origin)
            model.fit(t[:origin])
            preds.append(float(model.predict(1).values()[0, 0]))
        out.append(np.maximum(np.array(preds), 0.0))
    return out


def _final_global(
    targets: list[Any], covs: list[Any], horizon: int, seed: int, n_min: int
) -> list[np.ndarray]:
    model = _lightgbm(seed, n_min)
    model.fit(targets, future_covariates=covs)
    predictions = model.predict(horizon, series=targets, future_covariates=covs)
    return [p.values()[:, 0] for p in predictions]
