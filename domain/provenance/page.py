"""The value types of a batch's public page, and one journey step built from a checked event.

A ``Provenance`` is everything a scan may show (an allow-list, see ``domain.provenance.services``); a ``Step``
is one event of the journey, every fact read from the event's stored JSON as checked by
``domain.anchoring.verification``. Hashes are 0x-hex SHA-256; days are local to where the step happened.
"""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from domain.anchoring import verification
from domain.asn import rules as asn_rules
from domain.common import business_time
from domain.provenance import rules
from domain.recall.services import PublicRecall
from domain.trace.integrity import State


@dataclass(frozen=True)
class Anchoring:
    anchored: bool
    block_number: int | None = None
    tx_hash: str | None = None  # 0x-hex
    root: str | None = None  # 0x-hex


NOT_ANCHORED = Anchoring(False)


@dataclass(frozen=True)
class Step:
    biz_step: str  # CBV business step (receiving, inspecting, shipping…)
    disposition: str | None
    day: date  # local to where it happened
    place: str  # the warehouse's name, "" when the place is not one of ours
    of_input_lot: bool  # about a lot this batch was made from, not the batch itself
    event_hash: str  # 0x-hex SHA-256 of the event's canonical JSON: the value anchored and verified
    readings: tuple[rules.Reading, ...]
    anchor: Anchoring
    proof: tuple[str, ...] | None = None  # sibling hashes, leaf to root, when the proof file is available
    contract: str | None = None  # the registry the proof file names
    certificate: str | None = (
        None  # hex SHA-256 of a supplier certificate the event carries (certificationInfo)
    )
    state: str = "not_anchored"  # integrity.State, checked now against the chain
    recorded_on: date | None = None  # the business day of our recordTime, when far from the event's own time
    before_first: bool = False  # dated before its lot's receipt or production
    sealed_on: date | None = None  # recorded before chain links: the business day of the seal vouching for it


@dataclass(frozen=True)
class Provenance:
    public_code: str
    lot_code: str
    product_zh: str
    product_en: str
    category_zh: str
    category_en: str
    origin: tuple[str, ...]  # supplier names (of the batch, else of the lots it was made from)
    production_date: date | None
    expiry_date: date | None
    best_before_date: date | None
    receipt_date: date | None
    expired: bool
    verdict: str  # rules.Verdict: pass | fail | pending | none
    verdict_date: date | None
    parameters: tuple[tuple[str, bool], ...]  # (parameter name, passed)
    cold_chain: tuple[rules.Reading, ...]
    steps: tuple[Step, ...]
    anchoring_available: bool  # the anchoring module is installed
    proofs_available: bool  # …and it hands out proof files
    checked_at: datetime
    # Public: the lot is within its SKU's alert days of its expiry date (the internal markdown never shows).
    near_expiry: bool = False
    state: str = "not_anchored"  # the worst state of all the batch's events (integrity.State)
    missing: tuple[tuple[str, int], ...] = ()  # (lot class, position) of events gone from a lot's chain
    counts: tuple[tuple[str, int], ...] = ()  # (state, how many) over all events, hidden steps included
    recall: PublicRecall | None = None  # the recall reaching this lot (its public notice), if any


@dataclass(frozen=True, slots=True)
class _Shown:
    biz_step: str
    disposition: str | None
    day: date
    place_key: tuple[str, str] | None
    readings: tuple[rules.Reading, ...]
    certificate: str | None


#: What a step shows of an event, by (event hash of its stored JSON now, its time): the same bytes always
#: show the same, so a page rebuild reads only events it has not seen; bounded, oldest out first.
_SHOWN: "OrderedDict[tuple[str, datetime], _Shown]" = OrderedDict()
SHOWN_SIZE = 65_536


def _shown(c: verification.EventCheck) -> _Shown:
    key = (c.event_hash, c.event_time)
    found = _SHOWN.get(key)
    if found is not None:
        _SHOWN.move_to_end(key)
        return found
    body = c.body
    disposition = body.get("disposition")
    found = _Shown(
        str(body.get("bizStep", "")),
        disposition if isinstance(disposition, str) else None,
        rules.local_date(c.event_time, body.get("eventTimeZoneOffset")),
        rules.event_place(body),
        tuple(rules.sensor_readings(body, c.event_time)),
        asn_rules.sha256_of_certification(body.get("certificationInfo")),
    )
    _SHOWN[key] = found
    if len(_SHOWN) > SHOWN_SIZE:
        _SHOWN.popitem(last=False)
    return found


def step_of(c: verification.EventCheck, places: dict[tuple[str, str], str], of_input: bool) -> Step:
    """One journey step, every fact read from the checked event's stored JSON."""
    shown = _shown(c)
    a = c.anchor
    verified = c.state == State.VERIFIED
    anchor = (
        Anchoring(True, a.block_number, a.tx_hash, a.root) if a is not None and verified else NOT_ANCHORED
    )
    return Step(
        biz_step=shown.biz_step,
        disposition=shown.disposition,
        day=shown.day,
        place=places.get(shown.place_key, "") if shown.place_key else "",
        of_input_lot=of_input,
        event_hash="0x" + c.event_hash,
        readings=shown.readings,
        anchor=anchor,
        proof=tuple(a.proof) if a is not None else None,
        contract=a.contract if a is not None else None,
        state=c.state,
        recorded_on=_business_day(c.record_time) if c.recorded_late else None,
        before_first=c.before_first,
        certificate=shown.certificate,
        sealed_on=_business_day(c.sealed_on),
    )


def _business_day(at: datetime | None) -> date | None:
    """The business day (``business_time`` zone) of an instant we recorded; a naive value is UTC (SQLite)."""
    if at is None:
        return None
    return business_time.business_date(at if at.tzinfo is not None else at.replace(tzinfo=UTC))
