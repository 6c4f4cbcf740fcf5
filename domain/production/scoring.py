"""The substitute-material engine, pure: candidates for a short component scored on three dimensions.

- process route: each operation of the order's routing that the candidate may go through (it declares the
  operation) on at least one of the operation's allowed pieces of equipment;
- quality: each specification range of the BOM line (parameter → [min, max]) met by the QC results of the
  candidate's lots (every result of that parameter inside the range; no result is not met);
- cost: the candidate's cost per unit of the original (unit cost × ratio) against the original's, as a
  relative difference, within the line's allowed threshold (0.10 = at most 10 % dearer).

A candidate is *eligible* only when its route and quality are fully met, its cost is within the threshold
and enough of it is available. The score (0..1) weights route 0.4, quality 0.4 and cost 0.2; candidates are
ranked eligible first, then by score, then by SKU code, whatever order they came in.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
ONE = Decimal(1)
PLACES = Decimal("0.0001")
WEIGHTS = (Decimal("0.4"), Decimal("0.4"), Decimal("0.2"))  # route, quality, cost


@dataclass(frozen=True)
class RouteStep:
    operation: str
    equipment: frozenset[str]  # allowed by the routing; empty: any


@dataclass(frozen=True)
class Spec:
    parameter: str
    minimum: Decimal | None
    maximum: Decimal | None


@dataclass(frozen=True)
class Need:
    """The short BOM line: what the order needs and what a substitute must meet."""

    sku_code: str
    quantity: Decimal  # of the original, base units
    unit_cost: Decimal  # of the original
    cost_threshold: Decimal  # allowed relative increase, ≥ 0
    route: tuple[RouteStep, ...]
    specs: tuple[Spec, ...]


@dataclass(frozen=True)
class Candidate:
    sku_code: str
    source: str  # "bom_line" (declared on the line) | "item_group"
    ratio: Decimal  # candidate units per unit of the original
    unit_cost: Decimal
    available: Decimal  # base units of the candidate
    processes: Mapping[str, frozenset[str]]  # operation → equipment it runs on
    results: Mapping[str, tuple[str, ...]]  # QC parameter → measured values of its lots


@dataclass(frozen=True)
class Scored:
    sku_code: str
    source: str
    ratio: Decimal
    route_score: Decimal
    quality_score: Decimal
    cost_score: Decimal
    cost_difference: Decimal  # relative, + dearer
    needed: Decimal  # candidate units for the short quantity
    score: Decimal
    eligible: bool
    explanation: tuple[str, ...]


def _ratio(part: int, whole: int) -> Decimal:
    return ONE if whole == 0 else (Decimal(part) / Decimal(whole)).quantize(PLACES, ROUND_HALF_UP)


def route_fit(need: Need, c: Candidate) -> tuple[Decimal, list[str]]:
    """Share of the route's operations the candidate may go through, and what is missing."""
    notes: list[str] = []
    ok = 0
    for step in need.route:
        own = c.processes.get(step.operation)
        if own is None:
            notes.append(f"route: not qualified for operation {step.operation}")
        elif step.equipment and not (own & step.equipment):
            notes.append(
                f"route: {step.operation} allows {', '.join(sorted(step.equipment))}; "
                f"candidate runs on {', '.join(sorted(own)) or 'none'}"
            )
        else:
            ok += 1
    if need.route and ok == len(need.route):
        notes.append(f"route: all {ok} operations allowed")
    return _ratio(ok, len(need.route)), notes


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


def spec_met(spec: Spec, values: Sequence[str]) -> tuple[bool, str]:
    """Whether every measured value is a number inside [minimum, maximum]; no value is not met."""
    if not values:
        return False, f"quality: no QC result for {spec.parameter}"
    numbers = [_number(v) for v in values]
    bad = [v for v, n in zip(values, numbers, strict=True) if n is None]
    if bad:
        return False, f"quality: {spec.parameter} result {bad[0]!r} is not a number"
    low, high = min(n for n in numbers if n is not None), max(n for n in numbers if n is not None)
    low_end = "-∞" if spec.minimum is None else str(spec.minimum)
    high_end = "∞" if spec.maximum is None else str(spec.maximum)
    window = f"[{low_end}, {high_end}]"
    if (spec.minimum is not None and low < spec.minimum) or (
        spec.maximum is not None and high > spec.maximum
    ):
        return False, f"quality: {spec.parameter} {low}..{high} outside {window}"
    return True, f"quality: {spec.parameter} {low}..{high} within {window}"


def quality_fit(need: Need, c: Candidate) -> tuple[Decimal, list[str]]:
    met = 0
    notes = []
    for spec in need.specs:
        ok, note = spec_met(spec, c.results.get(spec.parameter, ()))
        met += ok
        notes.append(note)
    return _ratio(met, len(need.specs)), notes


def cost_fit(need: Need, c: Candidate) -> tuple[Decimal, Decimal, str]:
    """(score, relative difference, note): 1 when not dearer, falling linearly to 0 at the threshold,
    0 beyond it. An original without cost compares absolutely (any dearer candidate is beyond)."""
    per_original = c.unit_cost * c.ratio
    if need.unit_cost > 0:
        diff = ((per_original - need.unit_cost) / need.unit_cost).quantize(PLACES, ROUND_HALF_UP)
    else:
        diff = ZERO if per_original <= 0 else Decimal("Infinity")
    pct = "∞" if not diff.is_finite() else f"{diff * 100:+.2f}%"
    limit = f"{need.cost_threshold * 100:.2f}%"
    if diff <= 0:
        return ONE, diff, f"cost: {pct} vs original, not dearer"
    if diff > need.cost_threshold:
        return ZERO, diff, f"cost: {pct} vs original, over the allowed {limit}"
    score = ONE if need.cost_threshold == 0 else (ONE - diff / need.cost_threshold).quantize(PLACES)
    return score, diff, f"cost: {pct} vs original, within the allowed {limit}"


def score(need: Need, c: Candidate) -> Scored:
    """Scores one candidate with its explanation (one line per check, in route, quality, cost order)."""
    route, route_notes = route_fit(need, c)
    quality, quality_notes = quality_fit(need, c)
    cost, diff, cost_note = cost_fit(need, c)
    needed = (need.quantity * c.ratio).quantize(PLACES, rounding="ROUND_CEILING")
    enough = c.available >= needed
    stock_note = f"stock: {c.available} available, {needed} needed" + ("" if enough else " (short)")
    total = (WEIGHTS[0] * route + WEIGHTS[1] * quality + WEIGHTS[2] * cost).quantize(PLACES, ROUND_HALF_UP)
    eligible = route == ONE and quality == ONE and diff <= need.cost_threshold and enough
    return Scored(
        c.sku_code,
        c.source,
        c.ratio,
        route,
        quality,
        cost,
        diff if diff.is_finite() else Decimal("999999"),
        needed,
        total,
        eligible,
        (*route_notes, *quality_notes, cost_note, stock_note),
    )


def rank(need: Need, candidates: Sequence[Candidate]) -> list[Scored]:
    """Every candidate but the original itself scored and ranked, one per SKU: a SKU declared on the line
    wins over the same SKU found through the item group, then the better-ranked duplicate wins, so the
    result does not depend on the order the candidates came in."""

    def order(s: Scored) -> tuple[bool, Decimal, str]:
        return (not s.eligible, -s.score, s.sku_code)

    def preference(s: Scored) -> tuple[object, ...]:
        return (s.source != "bom_line", *order(s), s.cost_difference, s.ratio, s.explanation)

    best: dict[str, Scored] = {}
    for c in candidates:
        if c.sku_code == need.sku_code:
            continue
        s = score(need, c)
        held = best.get(c.sku_code)
        if held is None or preference(s) < preference(held):
            best[c.sku_code] = s
    return sorted(best.values(), key=order)
