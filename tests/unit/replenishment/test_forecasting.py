"""Darts forecasting on small series: choice by backtest WAPE, censored weeks, P90 >= P50, determinism."""

import pytest

from domain.replenishment import forecasting

FAST = ("seasonal_naive", "croston_tsb", "lightgbm")


def covariates(n: int, promo_weeks: set[int] = frozenset()) -> list[list[float]]:
    return [
        [0.3 if i in promo_weeks else 0.0, 7.0 if i in promo_weeks else 0.0, 0, 0, 0, 1.0, 1.0]
        for i in range(n)
    ]


def test_a_flat_series_with_a_censored_week_forecasts_its_level_and_the_simplest_model_wins():
    values = [12.0] * 16
    values[9] = None  # stock-out: not zero demand
    [result] = forecasting.forecast_series(
        [forecasting.SeriesInput((1, 1), values, covariates(16 + 3))], horizon=3, folds=3, models=FAST
    )
    assert result.model == "seasonal_naive"
    assert result.p50 == [12.0, 12.0, 12.0]
    assert result.p90 == [12.0, 12.0, 12.0]
    assert result.wape["seasonal_naive"] == 0.0
    assert set(result.wape) == set(FAST)


def test_the_same_input_gives_the_same_forecast_and_p90_is_never_below_p50():
    series = [
        forecasting.SeriesInput(
            (k, 1), [float((i * 7 + k) % 11) for i in range(18)], covariates(22, {3, 11, 19})
        )
        for k in range(3)
    ]
    first = forecasting.forecast_series(series, horizon=4, folds=3, models=FAST)
    again = forecasting.forecast_series(series, horizon=4, folds=3, models=FAST)
    assert first == again
    for r in first:
        assert r.model == min(r.wape, key=lambda m: (round(r.wape[m], 9), FAST.index(m)))
        assert all(p90 >= p50 >= 0 for p50, p90 in zip(r.p50, r.p90, strict=True))


def test_covariates_that_do_not_cover_the_horizon_are_refused():
    series = [forecasting.SeriesInput((1, 1), [1.0] * 16, covariates(16))]
    with pytest.raises(ValueError, match="history \\+ horizon"):
        forecasting.forecast_series(series, horizon=2, folds=3, models=FAST)


def test_a_series_too_short_to_backtest_is_refused():
    with pytest.raises(ValueError, match="at least"):
        forecasting.forecast_series(
            [forecasting.SeriesInput((1, 1), [1.0] * 5)], horizon=2, models=("croston_tsb",)
        )
