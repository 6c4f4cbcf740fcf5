"""Perishable replenishment simulation: a static reorder point against Lotline's order-up-to suggestions.

``python -m bench.bench_perishable_sim [--skus 200] [--days 364] [--seed 7]``. Same daily demand for both
policies: per SKU a base rate (2–40 a day), weekend lift (×1.3), promotions (5 % of days, ×1.6, known in
advance), Chinese public holidays (``holidays``, ×1.4) and a weather index (AR(1), 40 % of SKUs sensitive,
×(1 + 0.3·w)); Poisson draws; shelf life 3–10 days; lead time 2 days; orders every day; FEFO selling; stock
past its best-before is wasted. 16 weeks of history warm both policies up.

- Static reorder point (Odoo-style min/max): min = mean daily demand × (lead + 1) + 1.645 σ √(lead + 1), max =
  min + 7 days of mean demand, from the history; blind to expiry, promotions and holidays. ``static_shelf``:
  the same with max = min + (shelf life − lead − 1) days of demand, a reorder point tuned to the shelf life.
- Lotline: ``domain.replenishment.rules.suggest`` daily (service level 0.95, review 1 day, shelf-life cap,
  usable stock only). Its weekly forecast here is a simple one so the run takes minutes: the mean of the last
  4 weeks with promotion/holiday days stripped, times the known promotion and holiday lifts of each coming
  week; P90 = P50 + 1.2816 √P50 (Poisson). The Darts models are not in this loop (see bench README).

Reported: stock-out rate = unmet demand / demand; waste rate = units wasted / units received.
"""

import argparse
import math
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import holidays
import numpy as np

from domain.replenishment import rules

LEAD = 2
WARMUP_DAYS = 112
START = date(2025, 1, 6)


@dataclass
class Sku:
    rate: float
    shelf: int
    weather: bool
    lots: list[tuple[date, int]] = field(default_factory=list)  # (last sellable day, quantity), FEFO order
    pipeline: list[tuple[date, int]] = field(default_factory=list)  # (arrival, quantity)
    demand = 0
    lost = 0
    received = 0
    wasted = 0


def lifts(days: list[date], rng: np.random.Generator, n: int):  # type: ignore[no-untyped-def]
    cn = holidays.country_holidays("CN", years=range(days[0].year, days[-1].year + 1))
    holiday = np.array([1.4 if d in cn else 1.0 for d in days])
    weekend = np.array([1.3 if d.weekday() >= 5 else 1.0 for d in days])
    w = np.zeros(len(days))
    for i in range(1, len(days)):
        w[i] = 0.8 * w[i - 1] + rng.normal(0, 0.3)
    promo = rng.random((n, len(days))) < 0.05
    return holiday, weekend, np.clip(w, -1, 1), np.where(promo, 1.6, 1.0)


def simulate(policy: str, skus_n: int, days_n: int, seed: int) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    days = [START + timedelta(days=i) for i in range(WARMUP_DAYS + days_n)]
    holiday, weekend, weather, promo = lifts(days, rng, skus_n)
    skus = [
        Sku(float(rng.uniform(2, 40)), int(rng.integers(3, 11)), bool(rng.random() < 0.4))
        for _ in range(skus_n)
    ]
    mult = np.array(
        [holiday * weekend * promo[k] * (1 + 0.3 * weather * s.weather) for k, s in enumerate(skus)]
    )
    demand = rng.poisson(np.array([s.rate for s in skus])[:, None] * mult)
    for k, s in enumerate(skus):
        hist = demand[k, :WARMUP_DAYS]
        mean, sd = hist.mean(), hist.std()
        s_min = mean * (LEAD + 1) + 1.645 * sd * math.sqrt(LEAD + 1)
        s_max = s_min + (7 if policy == "static" else max(1, s.shelf - LEAD - 1)) * mean
        for t in range(WARMUP_DAYS, len(days)):
            today = days[t]
            arrived = [q for d, q in s.pipeline if d == today]
            s.pipeline = [(d, q) for d, q in s.pipeline if d > today]
            for q in arrived:
                s.lots.append((today + timedelta(days=s.shelf - 1), q))
                s.received += q
            s.lots.sort()
            want = int(demand[k, t])
            s.demand += want
            for i, (until, q) in enumerate(s.lots):
                take = min(q, want)
                s.lots[i] = (until, q - take)
                want -= take
            s.lost += want
            s.wasted += sum(q for until, q in s.lots if until <= today)
            s.lots = [(u, q) for u, q in s.lots if u > today and q > 0]
            on_hand = sum(q for _, q in s.lots)
            on_order = sum(q for _, q in s.pipeline)
            if policy.startswith("static"):
                position = on_hand + on_order
                order = math.ceil(s_max - position) if position <= s_min else 0
            else:
                order = lotline_order(s, demand[k], mult[k], t, days, on_order)
            if order > 0:
                s.pipeline.append((today + timedelta(days=LEAD), order))
    total = sum(s.demand for s in skus)
    return sum(s.lost for s in skus) / total, sum(s.wasted for s in skus) / max(
        1, sum(s.received for s in skus)
    )


def lotline_order(
    s: Sku, demand: np.ndarray, mult: np.ndarray, t: int, days: list[date], on_order: int
) -> int:
    today = days[t]
    past = slice(t - 28, t)
    known = np.maximum(mult[past], 1e-9)
    base = float((demand[past] / known).mean())  # de-promoted daily rate (promotions and holidays are known)
    monday = today - timedelta(days=today.weekday())
    p50, p90 = [], []
    for w in range(3):
        idx = [t + (monday - today).days + 7 * w + d for d in range(7)]
        week = sum(base * (mult[i] if 0 <= i < len(mult) else 1.0) for i in idx)
        p50.append(Decimal(str(round(week, 3))))
        p90.append(Decimal(str(round(week + 1.2816 * math.sqrt(max(week, 0)), 3))))
    position = rules.Position(
        today=today,
        weekly_p50=p50,
        weekly_p90=p90,
        lots=[rules.Lot(Decimal(q), u) for u, q in s.lots],
        on_order=Decimal(on_order),
        review_period_days=1,
        service_level=Decimal("0.95"),
        shelf_life_days=s.shelf,
    )
    suggestion = rules.suggest(position, rules.Offer(1, Decimal(1), LEAD))
    return math.ceil(suggestion.quantity)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skus", type=int, default=200)
    parser.add_argument("--days", type=int, default=364)
    parser.add_argument("--seed", type=int, default=7)
    a = parser.parse_args()
    out = {}
    for policy in ("static", "static_shelf", "lotline"):
        t0 = time.perf_counter()
        out[policy] = simulate(policy, a.skus, a.days, a.seed)
        print(f"{policy}: {time.perf_counter() - t0:.0f} s", flush=True)
    print(f"\n{a.skus} SKUs × {a.days} days, seed {a.seed}\n")
    print("| policy | stock-out rate | waste rate |\n|---|---|---|")
    for policy, (lost, waste) in out.items():
        print(f"| {policy} | {lost:.1%} | {waste:.1%} |")
    change = (out["lotline"][0] - out["static"][0]) / out["static"][0] if out["static"][0] else float("nan")
    print(f"\nstock-outs, Lotline vs static: {change:+.0%}")


if __name__ == "__main__":
    main()
