"""Pre-heat planning: when each fixture's next pre-heat starts, its hold, and what became of it.

The plan comes from the usage profile: a *busy window* (several slots in a row with a draw likely
near each) is held hot from its start to its end; a *routine* (draws at about the same time of
day) is pre-heated to be hot a few minutes before its draws' mean time (docs/engine.md,
"Predictive pre-heat"). A plan is worked out only when the profile, the settings, the mode or
the local time changed (the version the facade passes in), or when its slot has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
import math

from .config import InstallationSettings
from .learning import LearnedData
from .prediction import SLOT_S, SLOTS, PreheatOutcome, PreheatRecord, UsageProfile
from .topology import cycle_valve, flow_lpm
from .usage import PREHEAT_EXPIRY_S

VALVE_ALLOWANCE_S = 10.0
"""Time to hot: allowance for a valve to open and report (battery valves take seconds)."""
PUMP_ALLOWANCE_S = 3.0
DEFAULT_TIME_TO_HOT_S = 90.0
"""Time to hot when neither a transit nor a pipe volume is known."""
PREHEAT_MARGIN_S = 30.0
"""A pre-heat aims to be hot this long before ``PREHEAT_AHEAD_S``."""
PREHEAT_AHEAD_S = 360.0
"""A pre-heat aims to be hot this long before the time in its slot its draws usually came
(a routine's draws come a few minutes early or late)."""
MIN_HOLD_SLOTS = 3
"""Busy slots in a row that make a window (fewer: a routine, pre-heated for its draws' time)."""
HOLD_REACH_SLOTS = 2
"""A slot is busy when a draw is likely within this many slots either side of it."""
MAX_HOLD_SLOTS = 16
"""A busy window is held hot for at most this many slots (4 h) by one pre-heat."""


def time_to_hot_s(settings: InstallationSettings, learned: LearnedData, name: str) -> float:
    """How long a cycle for ``name`` takes to make it hot.

    The learned transit (or the configured volume) over the flow, plus the valve (or pump)
    latency allowance.
    """
    flow = flow_lpm(settings, name)
    path = settings.path(name)
    volume = learned.fixture(path).transit_l
    if volume is None:
        for fixture in (settings.fixture(path), settings.fixture(name)):
            if fixture is not None and fixture.configured_volume_l is not None:
                volume = fixture.configured_volume_l
                break
    allowance = VALVE_ALLOWANCE_S if cycle_valve(settings, name) else PUMP_ALLOWANCE_S
    if volume is None or flow <= 0:
        return DEFAULT_TIME_TO_HOT_S + allowance
    return volume / flow * 60.0 + allowance


@dataclass(slots=True)
class Plan:
    """A fixture's next pre-heat: start at ``due`` for the slot ending at ``slot_end``."""

    version: int
    due: float | None
    slot: int
    slot_end: float


class _Slots:
    """The profile's slots of one fixture as a pre-heat plan sees them (memoised)."""

    def __init__(self, usage: UsageProfile, name: str, offset: float, threshold: float) -> None:
        """The slots of ``name`` in local time (``offset``); ``threshold``: a likely draw."""
        self._usage = usage
        self._name = name
        self._offset = offset
        self._threshold = threshold
        self._daily = usage.daily_sums(name)
        self._cache: dict[int, tuple[float, float]] = {}

    def seen(self, slot: int) -> tuple[float, float]:
        """(score, when in it the draws came) of ``slot``."""
        found = self._cache.get(slot)
        if found is None:
            slot_start = slot * SLOT_S - self._offset
            score = min(self._usage.score(self._name, slot_start, self._offset, self._daily), 1.0)
            at = (
                slot_start + self._usage.offset_s(self._name, slot % SLOTS)
                if score > 0
                else slot_start
            )
            found = self._cache[slot] = (score, at)
        return found

    def busy(self, slot: int) -> bool:
        """A slot inside a busy window: a draw is likely within reach of it."""
        if self.seen(slot)[0] <= 0:
            return False
        reach = range(slot - HOLD_REACH_SLOTS, slot + HOLD_REACH_SLOTS + 1)
        missed = math.prod(1.0 - self.seen(k)[0] for k in reach)
        return 1.0 - missed >= self._threshold

    def window_end(self, slot: int) -> int | None:
        """The last slot of a busy window starting at ``slot`` (None: no window starts there)."""
        last = slot - 1
        while last < slot + MAX_HOLD_SLOTS and self.busy(last + 1):
            last += 1
        return last if last >= slot + MIN_HOLD_SLOTS - 1 else None

    def routine_at(
        self, prev: tuple[float, float], cur: tuple[float, float], nxt: tuple[float, float]
    ) -> float | None:
        """When the draws of a routine peaking in ``cur``'s slot come (None: no such routine).

        A routine's draws straddle slot edges (a few minutes early or late): a neighbour whose
        draws come within a pre-heat's reach joins the slot, and the slot with the most draws
        of such a cluster (the earlier on a tie) pre-heats for all of it, timed on their mean.
        """
        score, at = cur
        near = [n for n in (prev, nxt) if n[0] > 0 and abs(n[1] - at) <= 2 * PREHEAT_AHEAD_S]
        peak = all(score > n[0] for n in near if n is prev) and all(
            score >= n[0] for n in near if n is nxt
        )
        members = [cur, *near]
        missed = math.prod(1.0 - m[0] for m in members)
        if score > 0 and peak and 1.0 - missed >= self._threshold:
            return sum(m[0] * m[1] for m in members) / sum(m[0] for m in members)
        return None


class Preheats:
    """Each fixture's pre-heat plan, hold and open pre-heats (internal, mutable)."""

    def __init__(self) -> None:
        """No plan yet."""
        self._consumed: dict[str, int] = {}
        """Per fixture: the last slot no longer to pre-heat (used, or pre-heated)."""
        self._plans: dict[str, Plan] = {}
        self.open: dict[str, float] = {}
        """Pre-heats waiting for a draw at their fixture: when each started."""
        self.hold: dict[str, float] = {}
        """Per fixture: until when its pre-heat under way holds the water hot."""

    def forget(self, names: set[str]) -> None:
        """Drop the fixtures no longer configured."""
        for table in (self._consumed, self._plans, self.open, self.hold):
            for key in [k for k in table if k not in names]:
                del table[key]

    def reset(self, fixtures: tuple[str, ...]) -> None:
        """Forget the pre-heats of ``fixtures`` (all when empty)."""
        for name in fixtures or (*self.open, *self.hold):
            self.open.pop(name, None)
            self.hold.pop(name, None)
        if not fixtures:
            self._consumed.clear()
        for name in fixtures:
            self._consumed.pop(name, None)

    def consume(self, name: str, at: float, offset: float) -> None:
        """Someone is using ``name`` now: no pre-heat for the slot under way."""
        slot = int((at + offset) // SLOT_S)
        self._consumed[name] = max(self._consumed.get(name, slot), slot)

    def drawn(self, name: str, at: float, learned: LearnedData) -> LearnedData:
        """A draw at ``name``: the pre-heat open before it was used."""
        if name in self.open and self.open[name] <= at:
            del self.open[name]
            return learned.with_preheat_outcome(name, PreheatOutcome.USED)
        return learned

    def expire(self, now: float, learned: LearnedData, *, busy: set[str]) -> LearnedData | None:
        """Resolve pre-heats as wasted.

        Those whose readiness ended (``busy``: fixtures running or ready) or that are an hour
        old, with no draw.
        """
        data: LearnedData | None = None
        for name, started in list(self.open.items()):
            if now < self.hold.get(name, -math.inf) or (
                name in busy and now < started + PREHEAT_EXPIRY_S
            ):
                continue
            del self.open[name]
            data = (data or learned).with_preheat_outcome(name, PreheatOutcome.WASTED)
        return data

    def plan(
        self,
        name: str,
        now: float,
        *,
        version: int,
        offset: float,
        settings: InstallationSettings,
        learned: LearnedData,
    ) -> Plan:
        """``name``'s next pre-heat in the coming week (worked out again only when stale)."""
        plan = self._plans.get(name)
        if (
            plan is not None
            and plan.version == version
            and (plan.due is None or now < plan.slot_end)
        ):
            return plan
        usage = learned.usage
        lead = time_to_hot_s(settings, learned, name) + PREHEAT_MARGIN_S
        first = int((now + offset) // SLOT_S)
        consumed = self._consumed.get(name, first - 1)
        plan = Plan(version=version, due=None, slot=-1, slot_end=math.inf)
        if name in usage.weights:
            slots = _Slots(usage, name, offset, settings.preheat_threshold)
            start = max(first, consumed + 1)
            prev, cur = slots.seen(start - 1), slots.seen(start)
            for slot in range(start, first + SLOTS + 1):
                nxt = slots.seen(slot + 1)
                slot_start = slot * SLOT_S - offset
                last = slots.window_end(slot)
                if last is not None:
                    # a window of likely draws at uncertain times (not a routine's few
                    # minutes): hold the water hot from this slot's start to the window's end
                    end = (last + 1) * SLOT_S - offset
                    plan = Plan(version=version, due=slot_start - lead, slot=last, slot_end=end)
                    break
                expected = slots.routine_at(prev, cur, nxt)
                if expected is not None:
                    due = expected - PREHEAT_AHEAD_S - lead
                    end = max(slot_start + SLOT_S, expected + PREHEAT_AHEAD_S)
                    plan = Plan(version=version, due=due, slot=slot, slot_end=end)
                    break
                prev, cur = cur, nxt
        self._plans[name] = plan
        return plan

    def started(self, name: str, now: float, learned: LearnedData) -> LearnedData:
        """A pre-heat for ``name`` started: log it, consume its slot, hold until its end.

        A re-heat within a pre-heat's hold is part of that pre-heat (not logged again).
        """
        if now < self.hold.get(name, -math.inf):
            return learned
        plan = self._plans[name]
        self._consumed[name] = plan.slot
        self.hold[name] = plan.slot_end
        self.open[name] = now
        return learned.with_preheat(PreheatRecord(at=now, fixture=name))
