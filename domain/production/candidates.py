"""Gathering what the substitute engine scores: the short line's needs and each candidate's facts.

Candidates are the SKUs declared on the BOM line (``BomSubstitute``) and the other members of the line's item
group. Per candidate: its moving-average cost, what is allocatable in the order's warehouse today, the
operations and equipment it is qualified for (``MaterialProcess``), and the results of the passed QC checks
of its lots on hand there. The scoring itself is ``scoring.rank`` (pure).
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from domain.catalog.models import Sku
from domain.inventory import reservations
from domain.inventory import rules as stock_rules
from domain.inventory.models import SkuValuation
from domain.production import rules, scoring
from domain.production.models import (
    BomLine,
    BomSubstitute,
    ItemGroupMember,
    MaterialProcess,
    ProductionOrder,
    RoutingOperation,
)
from domain.quality.models import QualityCheck


async def available(sku_ids: list[int], warehouse_id: int, today: date) -> dict[int, Decimal]:
    """Allocatable stock per SKU in the warehouse's internal, unfrozen locations on ``today``."""
    found = await reservations.candidates_by_sku(sku_ids, warehouse_id)
    return {s: stock_rules.allocatable_total(found.get(s, []), today) for s in sku_ids}


async def unit_costs(sku_ids: list[int]) -> dict[int, Decimal]:
    rows = await SkuValuation.filter(sku_id__in=sku_ids).values_list("sku_id", "average_cost")
    costs = {int(s): Decimal(str(c)) for s, c in rows}
    return {s: costs.get(s, rules.ZERO) for s in sku_ids}


async def route_of(bom_id: int) -> tuple[scoring.RouteStep, ...]:
    ops = await RoutingOperation.filter(bom_id=bom_id).order_by("seq")
    return tuple(scoring.RouteStep(op.code, frozenset(op.equipment)) for op in ops)


def specs_of(line: BomLine) -> tuple[scoring.Spec, ...]:
    def num(v: object) -> Decimal | None:
        return None if v is None else Decimal(str(v))

    return tuple(scoring.Spec(str(s["parameter"]), num(s.get("min")), num(s.get("max"))) for s in line.specs)


async def _declared(line: BomLine) -> list[tuple[int, str, Decimal]]:
    """(SKU id, source, ratio) of every candidate of the line."""
    found = [(s.sku_id, "bom_line", Decimal(s.ratio)) for s in await BomSubstitute.filter(line_id=line.id)]
    if line.item_group_id is not None:
        members = await ItemGroupMember.filter(group_id=line.item_group_id)
        own = next((Decimal(m.ratio) for m in members if m.sku_id == line.sku_id), Decimal(1))
        found += [
            (m.sku_id, "item_group", Decimal(m.ratio) / own) for m in members if m.sku_id != line.sku_id
        ]
    return found


async def _qc_results(sku_ids: list[int], warehouse_id: int) -> dict[int, dict[str, list[str]]]:
    """Per SKU, parameter → values from the passed checks of its lots on hand in the warehouse."""
    quants = await reservations.pickable_quants(sku_ids, warehouse_id)
    batch_sku = {q.batch_id: q.sku_id for q in quants}
    results: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for check in await QualityCheck.filter(batch_id__in=list(batch_sku), status="passed").order_by("id"):
        for r in check.results:
            results[batch_sku[check.batch_id]][str(r.get("parameter", ""))].append(str(r.get("value", "")))
    return results


async def rank_for(
    order: ProductionOrder, line: BomLine, quantity: Decimal, today: date
) -> list[scoring.Scored]:
    """The line's candidates for ``quantity`` (base units of the original), scored and ranked."""
    declared = await _declared(line)
    ids = sorted({s for s, _, _ in declared} | {line.sku_id})
    codes = {s.id: s.code for s in await Sku.filter(id__in=ids)}
    costs = await unit_costs(ids)
    stock = await available(ids, order.warehouse_id, today)
    processes: dict[int, dict[str, frozenset[str]]] = defaultdict(dict)
    for p in await MaterialProcess.filter(sku_id__in=ids):
        processes[p.sku_id][p.operation_code] = frozenset(p.equipment)
    results = await _qc_results(ids, order.warehouse_id)
    need = scoring.Need(
        codes[line.sku_id],
        quantity,
        costs[line.sku_id],
        Decimal(line.cost_threshold),
        await route_of(order.bom_id),
        specs_of(line),
    )
    return scoring.rank(
        need,
        [
            scoring.Candidate(
                codes[sku_id],
                source,
                ratio,
                costs[sku_id],
                stock[sku_id],
                processes.get(sku_id, {}),
                {k: tuple(v) for k, v in results.get(sku_id, {}).items()},
            )
            for sku_id, source, ratio in declared
        ],
    )
