"""Automatic cycles: presence and vacation, keep-warm, predictive pre-heat, freeze protection.

The controller owns the hardware and every safety rule; this module decides *when* a cycle
should start by itself and keeps what that needs: presence, the schedule, the local time, the
usage profile's draw detection and de-duplication, the learned cooling time, each fixture's
pre-heat plan and the pre-heat statistics. The controller asks :meth:`Automatic.wanted` once per
fixture per event (O(1) each: the pre-heat plan is computed only when the profile changes), and
starts what it answers through the same start path as a person's request, never refusing: a start
that is not allowed yet (cooldown, daily cap, unavailable actuator) waits and is retried.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace
import math
import statistics

from .commands import ModeSwitched, ModeSwitchReason
from .config import FixtureSettings, InstallationSettings, Topology
from .events import TriggerReason
from .learning import LearnedData
from .modes import Mode, policy
from .prediction import (
    DAY_S,
    DRAW_WINDOW_S,
    SLOT_S,
    SLOTS,
    DrawRecord,
    PreheatOutcome,
    PreheatRecord,
    draw_base,
)
from .snapshot import PredictionStats
from .topology import cycle_valve, flow_lpm

AUTOMATIC_REASONS = frozenset(
    {TriggerReason.KEEP_WARM, TriggerReason.PREDICTION, TriggerReason.FREEZE}
)
"""Triggers of the engine's own cycles (not usage: they do not teach the profile)."""
DEDUPE_S = 600.0
"""One usage per fixture in this time (a draw, its detection and a request are one use)."""
PREHEAT_EXPIRY_S = 3600.0
"""A pre-heat with no draw at its fixture within this (or before its readiness ended) is wasted."""
QUIET_SETTLE_SHARE = 2.0
"""Draw detection waits this many ``ready_settle_s`` after any cycle: a lagging sensor keeps
rising after a stop, and that is not a draw."""
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
LIMIT_MARGIN_K = 1.0
"""A fixture whose valve must stay shut at its cold-line limit is re-heated as soon as its pipe
reads this far below its target (at most the limit): in a home whose target is capped by the
limit the tap's "hot" lies above it, so a reading the valve may open at is already too cool."""
PEAK_WINDOW_S = 300.0
"""After a cycle, the highest reading within this long is what the cycle left in the pipe (a
lagging sensor peaks a minute or two after the stop)."""
MIN_HOLD_SLOTS = 3
"""Busy slots in a row that make a window (fewer: a routine, pre-heated for its draws' time)."""
HOLD_REACH_SLOTS = 2
"""A slot is busy when a draw is likely within this many slots either side of it."""
MAX_HOLD_SLOTS = 16
"""A busy window is held hot for at most this many slots (4 h) by one pre-heat."""
MAX_UTC_OFFSET_S = 18 * 3600.0
STATS_WINDOW_S = 7 * DAY_S


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
class _Plan:
    """A fixture's next pre-heat: start at ``due`` for the slot ending at ``slot_end``."""

    version: int
    due: float | None
    slot: int
    slot_end: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Facts:
    """What the controller knows about one fixture right now (inputs of :meth:`wanted`)."""

    pipe_c: float | None
    """Believed hot-pipe reading on the fixture's path (its own or the serving fixture's)."""
    own_c: float | None
    """Believed hot-pipe reading of the fixture's own sensor."""
    cold_c: float | None
    """Believed cold-line reading of the fixture."""
    ready: bool
    """The fixture is ready (its water was made hot and has not cooled)."""
    awaiting_sensor: bool = False
    """The path has a sensor that has not reported since the engine started (wait for it)."""


class Automatic:
    """State and decisions of the automatic cycles of one installation (internal, mutable)."""

    def __init__(self) -> None:
        """Nobody known to be away, schedule on, UTC."""
        self.home: bool | None = None
        self.away_since: float | None = None
        self.schedule_active = True
        self.utc_offset_s = 0.0
        self._last_auto: dict[str, float] = {}
        self._last_usage: dict[str, float] = {}
        self._recent: dict[str, deque[tuple[float, float]]] = {}
        self._quiet_until = -math.inf
        self._cool_from: dict[str, tuple[float, bool]] = {}
        self._hot_at: dict[str, float] = {}
        self._consumed: dict[str, int] = {}
        self._plans: dict[str, _Plan] = {}
        self._version = 0
        self._open_preheats: dict[str, float] = {}
        self._times: dict[str, float] = {}
        self._peak: dict[str, tuple[float, float | None]] = {}
        self._hold: dict[str, float] = {}
        self._settle: dict[str, float] = {}
        self._stats: tuple[tuple[int, float, int], LearnedData, PredictionStats] | None = None

    # ------------------------------------------------------------- presence, schedule, time

    def on_presence(
        self, home: bool | None, now: float, mode: Mode, resume_mode: Mode | None
    ) -> ModeSwitched | None:
        """Presence changed; returns the switch back from an automatic vacation, if any."""
        if home is False:
            if self.home is not False:
                self.away_since = now
            self.home = False
            return None
        self.home = home
        self.away_since = None
        if mode is Mode.VACATION and resume_mode is not None:
            return ModeSwitched(
                mode=resume_mode, reason=ModeSwitchReason.RETURNED, resume_mode=None
            )
        return None

    def vacation_deadline(self, mode: Mode, settings: InstallationSettings) -> float | None:
        """When a long absence switches ``mode`` to vacation (None: it does not)."""
        if self.away_since is None or not policy(mode).goes_on_vacation:
            return None
        return self.away_since + settings.vacation_after_s

    def check_vacation(
        self, now: float, mode: Mode, settings: InstallationSettings
    ) -> ModeSwitched | None:
        """The switch to vacation, if the absence has lasted long enough."""
        deadline = self.vacation_deadline(mode, settings)
        if deadline is None or now < deadline:
            return None
        return ModeSwitched(mode=Mode.VACATION, reason=ModeSwitchReason.VACATION, resume_mode=mode)

    def set_offset(self, utc_offset_s: float) -> None:
        """The local time's offset from UTC (ignored unless finite and within +-18 h)."""
        if (
            math.isfinite(utc_offset_s)
            and abs(utc_offset_s) <= MAX_UTC_OFFSET_S
            and utc_offset_s != self.utc_offset_s
        ):
            self.utc_offset_s = utc_offset_s
            self.invalidate()

    def local_day(self, at: float) -> int:
        """The local day number of ``at``."""
        return int((at + self.utc_offset_s) // DAY_S)

    def invalidate(self) -> None:
        """Pre-heat plans must be recomputed (profile, settings or time changed)."""
        self._version += 1
        self._stats = None

    def forget(self, names: set[str]) -> None:
        """Drop the per-fixture state of fixtures no longer configured."""
        for table in (
            self._last_auto,
            self._last_usage,
            self._recent,
            self._cool_from,
            self._hot_at,
            self._consumed,
            self._plans,
            self._open_preheats,
            self._times,
            self._peak,
            self._hold,
            self._settle,
        ):
            for key in [k for k in table if k not in names]:
                del table[key]
        self.invalidate()

    # ------------------------------------------------------------- cycles and readings

    def cycle_started(self, name: str, reason: TriggerReason, now: float) -> None:
        """A cycle started for ``name`` (any trigger)."""
        self._cool_from.pop(name, None)
        if reason in AUTOMATIC_REASONS:
            self._last_auto[name] = now

    def cycle_finished(
        self, name: str, *, ready: bool, sensor: bool, now: float, settings: InstallationSettings
    ) -> None:
        """A cycle for ``name`` ended.

        ``ready``: its water is hot; ``sensor``: its own sensor will tell when it cools.
        """
        self._quiet_until = max(
            self._quiet_until, now + QUIET_SETTLE_SHARE * settings.ready_settle_s
        )
        if ready:
            self._hot_at[name] = now
            if sensor:
                self._cool_from[name] = (now, False)
                self._peak[name] = (now + PEAK_WINDOW_S, None)
                self._settle[name] = now + settings.ready_settle_s

    def reading(
        self,
        fx: FixtureSettings,
        celsius: float,
        at: float,
        *,
        quiet: bool,
        settings: InstallationSettings,
        learned: LearnedData,
    ) -> tuple[LearnedData | None, float | None]:
        """A believed hot-pipe reading of fixture ``fx``'s own sensor.

        Returns (new learned data or None, the reading a detected draw warmed the pipe from or
        None). ``quiet``: no cycle runs and the pump is off.
        """
        name = fx.name
        changed: LearnedData | None = None
        band = fx.target_c - settings.keep_warm_hysteresis_c
        peak = self._peak.get(name)
        if peak is not None and at <= peak[0]:
            self._peak[name] = (peak[0], celsius if peak[1] is None else max(peak[1], celsius))
        cooling = self._cool_from.get(name)
        if cooling is not None:
            since, warm_seen = cooling
            if celsius >= band:
                self._cool_from[name] = (since, True)
            elif warm_seen:
                del self._cool_from[name]
                learning = learned.fixture(name).with_cooling_sample(at - since)
                if learning != learned.fixture(name):
                    changed = learned.with_fixture(name, learning)
        recent = self._recent.setdefault(name, deque(maxlen=32))
        base: float | None = None
        if quiet and at >= self._quiet_until and not fx.has_draw_sensor:
            found = draw_base(recent, celsius, at)
            if found is not None:
                base = found[1]
                recent.clear()
                self._cool_from.pop(name, None)
        while recent and at - recent[0][0] > DRAW_WINDOW_S:
            recent.popleft()
        if at >= self._quiet_until:
            recent.append((at, celsius))
        return changed, base

    def before(self, name: str, at: float) -> float | None:
        """The last recent reading of ``name`` at or before ``at`` (None: none kept)."""
        found: float | None = None
        for then, celsius in self._recent.get(name, ()):
            if then <= at:
                found = celsius
        return found

    # ------------------------------------------------------------- usage and statistics

    def record_usage(
        self,
        name: str,
        at: float,
        *,
        hit: bool | None,
        learned: LearnedData,
    ) -> LearnedData | None:
        """Someone used (or asked for) hot water at ``name``.

        ``hit`` None: not a draw (a request). Returns the new learned data, or None when
        de-duplicated.
        """
        last = self._last_usage.get(name)
        if last is not None and abs(at - last) < DEDUPE_S:
            return None
        self._last_usage[name] = at
        # someone is using it now: no pre-heat for the slot under way
        slot = int((at + self.utc_offset_s) // SLOT_S)
        self._consumed[name] = max(self._consumed.get(name, slot), slot)
        data = replace(
            learned,
            usage=learned.usage.with_draw(name, at, self.utc_offset_s),
            reset_reason=None,
        )
        if hit is not None:
            data = data.with_draw(DrawRecord(at=at, fixture=name, hit=hit))
            if name in self._open_preheats and self._open_preheats[name] <= at:
                del self._open_preheats[name]
                data = data.with_preheat_outcome(name, PreheatOutcome.USED)
        self.invalidate()
        return data

    def reset_usage(self, fixtures: tuple[str, ...], learned: LearnedData) -> LearnedData:
        """Forget the profile and statistics of ``fixtures`` (all when empty)."""
        for name in fixtures or (*self._open_preheats, *self._hold):
            self._open_preheats.pop(name, None)
            self._hold.pop(name, None)
        if not fixtures:
            self._last_usage.clear()
            self._consumed.clear()
        for name in fixtures:
            self._last_usage.pop(name, None)
            self._consumed.pop(name, None)
        self.invalidate()
        return learned.without_usage(fixtures)

    def expire_preheats(
        self, now: float, learned: LearnedData, *, busy: set[str]
    ) -> LearnedData | None:
        """Resolve pre-heats as wasted.

        Those whose readiness ended (``busy``: fixtures running or ready) or that are an hour
        old, with no draw.
        """
        data: LearnedData | None = None
        for name, started in list(self._open_preheats.items()):
            if now < self._hold.get(name, -math.inf) or (
                name in busy and now < started + PREHEAT_EXPIRY_S
            ):
                continue
            del self._open_preheats[name]
            data = (data or learned).with_preheat_outcome(name, PreheatOutcome.WASTED)
        if data is not None:
            self.invalidate()
        return data

    @property
    def has_open_preheats(self) -> bool:
        """Whether some pre-heat waits for a draw."""
        return bool(self._open_preheats)

    def stats(self, now: float, learned: LearnedData) -> PredictionStats:
        """The pre-heat statistics (cached: recomputed when the data change, or each minute)."""
        key = (self._version, now // 60.0, self.local_day(now))
        if self._stats is not None and self._stats[0] == key and self._stats[1] is learned:
            return self._stats[2]
        since = now - STATS_WINDOW_S
        today = self.local_day(now)
        draws = [d for d in learned.draws if since <= d.at <= now]
        hits = sum(1 for d in draws if d.hit)
        preheats_today = 0
        wasted_today = 0
        wasted_7d = 0
        for p in learned.preheats:
            if p.at < since or p.at > now:
                continue
            wasted = p.outcome is PreheatOutcome.WASTED or (
                p.outcome is PreheatOutcome.PENDING
                and now >= p.at + PREHEAT_EXPIRY_S
                and p.fixture not in self._open_preheats
            )
            is_today = self.local_day(p.at) == today
            preheats_today += is_today
            wasted_today += wasted and is_today
            wasted_7d += wasted
        result = PredictionStats(
            hit_rate=hits / len(draws) if draws else None,
            draws_7d=len(draws),
            preheats_today=preheats_today,
            wasted_today=wasted_today,
            wasted_7d=wasted_7d,
        )
        self._stats = (key, learned, result)
        return result

    # ------------------------------------------------------------- decisions

    def cooling_s(
        self, fx: FixtureSettings, settings: InstallationSettings, learned: LearnedData
    ) -> float:
        """How long ``fx``'s pipe stays within the keep-warm band after a cycle.

        Its own learned cooling time, else the median of the sensor fixtures', else its
        ``ready_hold_s``.
        """
        own = learned.fixture(fx.name).cooling_s
        if own is not None:
            return own
        learned_times = [
            t
            for f in settings.fixtures
            if f.has_sensor and (t := learned.fixture(f.name).cooling_s) is not None
        ]
        if learned_times:
            return float(statistics.median(learned_times))
        return fx.ready_hold_s

    def reheat_level(self, fx: FixtureSettings, settings: InstallationSettings) -> float:
        """The reading of ``fx``'s pipe below which its water no longer counts as hot.

        Where the target is capped by a cold-line limit (less than the hysteresis below it), just
        below the target (the valve opens there, and the tap's "hot" lies above it); else the
        hysteresis below what the last cycle left in the pipe (its peak reading afterwards), at
        most the target (and just below the limit), never below ``target_c`` minus the
        hysteresis.
        """
        hysteresis = settings.keep_warm_hysteresis_c
        floor = fx.target_c - hysteresis
        ceiling = fx.target_c
        limit = fx.cold_line_limit_c
        if limit is not None and settings.topology is not Topology.RETURN_LINE:
            if limit - fx.target_c < hysteresis:
                # the target is capped by the limit: no band fits below it
                return max(floor, fx.target_c - LIMIT_MARGIN_K)
            ceiling = min(ceiling, limit - LIMIT_MARGIN_K)
        peak = self._peak.get(settings.path(fx.name))
        if peak is None or peak[1] is None:
            return floor
        return max(floor, min(peak[1] - hysteresis, ceiling))

    def wanted(
        self,
        fx: FixtureSettings,
        facts: Facts,
        now: float,
        *,
        mode: Mode,
        settings: InstallationSettings,
        learned: LearnedData,
    ) -> TriggerReason | None:
        """Whether to start a cycle for ``fx`` now, and why. Notes when to look again."""
        name = fx.name
        self._times.pop(name, None)
        rules = policy(mode)
        last = self._last_auto.get(name)
        interval_end = None if last is None else last + settings.keep_warm_min_interval_s
        freeze = settings.freeze_protect_c
        if freeze is not None and rules.freeze_protection:
            cold = any(c is not None and c < freeze for c in (facts.own_c, facts.cold_c))
            if cold:
                if interval_end is None or now >= interval_end:
                    return TriggerReason.FREEZE
                self._note(name, interval_end)
        home = self.home is not False
        if rules.keep_warm and home and self.schedule_active and fx.keep_warm:
            reason = self._keep_warm(
                fx,
                facts=facts,
                now=now,
                interval_end=interval_end,
                settings=settings,
                learned=learned,
            )
            if reason is not None:
                return reason
        if rules.predictive and home and fx.keep_warm and settings.preheat_daily_limit > 0:
            return self._predict(fx, facts, now, settings, learned)
        return None

    def _keep_warm(
        self,
        fx: FixtureSettings,
        *,
        facts: Facts,
        now: float,
        interval_end: float | None,
        settings: InstallationSettings,
        learned: LearnedData,
    ) -> TriggerReason | None:
        name = fx.name
        limit = fx.cold_line_limit_c
        if (
            limit is not None
            and facts.cold_c is not None
            and settings.topology is not Topology.RETURN_LINE
            and facts.cold_c >= limit - LIMIT_MARGIN_K
        ):
            return None  # the valve would stay shut: wait for the cold line to cool
        if facts.pipe_c is not None:
            if facts.pipe_c >= self.reheat_level(fx, settings):
                return None
            # a lagging sensor still rises after a stop: judge the pipe once it has settled
            start = max(now, self._settle.get(settings.path(name), now))
        elif facts.ready or facts.awaiting_sensor:
            return None
        else:
            hot_at = self._hot_at.get(name)
            start = now if hot_at is None else hot_at + self.cooling_s(fx, settings, learned)
        if interval_end is not None:
            start = max(start, interval_end)
        if start <= now:
            return TriggerReason.KEEP_WARM
        self._note(name, start)
        return None

    def _plan(
        self, fx: FixtureSettings, now: float, settings: InstallationSettings, learned: LearnedData
    ) -> _Plan:
        name = fx.name
        plan = self._plans.get(name)
        if (
            plan is not None
            and plan.version == self._version
            and (plan.due is None or now < plan.slot_end)
        ):
            return plan
        usage = learned.usage
        lead = time_to_hot_s(settings, learned, name) + PREHEAT_MARGIN_S
        offset = self.utc_offset_s
        first = int((now + offset) // SLOT_S)
        consumed = self._consumed.get(name, first - 1)
        plan = _Plan(version=self._version, due=None, slot=-1, slot_end=math.inf)
        if name in usage.weights:
            daily = usage.daily_sums(name)
            threshold = settings.preheat_threshold
            start = max(first, consumed + 1)

            cache: dict[int, tuple[float, float]] = {}

            def seen(slot: int) -> tuple[float, float]:
                """(score, when in it the draws came) of ``slot``."""
                found = cache.get(slot)
                if found is None:
                    slot_start = slot * SLOT_S - offset
                    score = min(usage.score(name, slot_start, offset, daily), 1.0)
                    at = (
                        slot_start + usage.offset_s(name, slot % SLOTS) if score > 0 else slot_start
                    )
                    found = cache[slot] = (score, at)
                return found

            def busy(slot: int) -> bool:
                """A slot inside a busy window: a draw is likely within reach of it."""
                if seen(slot)[0] <= 0:
                    return False
                reach = range(slot - HOLD_REACH_SLOTS, slot + HOLD_REACH_SLOTS + 1)
                missed = math.prod(1.0 - seen(k)[0] for k in reach)
                return 1.0 - missed >= threshold

            prev, cur = seen(start - 1), seen(start)
            for slot in range(start, first + SLOTS + 1):
                nxt = seen(slot + 1)
                score, at = cur
                last = slot - 1
                while last < slot + MAX_HOLD_SLOTS and busy(last + 1):
                    last += 1
                if last >= slot + MIN_HOLD_SLOTS - 1:
                    # a window of likely draws at uncertain times (not a routine's few minutes):
                    # hold the water hot from this slot's start to the end of the window
                    slot_start = slot * SLOT_S - offset
                    plan = _Plan(
                        version=self._version,
                        due=slot_start - lead,
                        slot=last,
                        slot_end=(last + 1) * SLOT_S - offset,
                    )
                    break
                # A routine's draws straddle slot edges (a few minutes early or late): a
                # neighbour whose draws come within a pre-heat's reach joins this slot, and the
                # slot with the most draws of such a cluster (the earlier on a tie) pre-heats
                # for all of it, timed on their mean.
                near = [
                    n for n in (prev, nxt) if n[0] > 0 and abs(n[1] - at) <= 2 * PREHEAT_AHEAD_S
                ]
                peak = all(score > n[0] for n in near if n is prev) and all(
                    score >= n[0] for n in near if n is nxt
                )
                members = [cur, *near]
                missed = math.prod(1.0 - m[0] for m in members)
                if score > 0 and peak and 1.0 - missed >= threshold:
                    expected = sum(m[0] * m[1] for m in members) / sum(m[0] for m in members)
                    slot_start = slot * SLOT_S - offset
                    plan = _Plan(
                        version=self._version,
                        due=expected - PREHEAT_AHEAD_S - lead,
                        slot=slot,
                        slot_end=max(slot_start + SLOT_S, expected + PREHEAT_AHEAD_S),
                    )
                    break
                prev, cur = cur, nxt
        self._plans[name] = plan
        return plan

    def _predict(
        self,
        fx: FixtureSettings,
        facts: Facts,
        now: float,
        settings: InstallationSettings,
        learned: LearnedData,
    ) -> TriggerReason | None:
        name = fx.name
        hold_end = self._hold.get(name)
        if hold_end is not None and now < hold_end:
            # a pre-heat under way holds the water hot until its draws' spread has passed
            self._note(name, hold_end)
            if self._keep_warm(
                fx, facts=facts, now=now, interval_end=None, settings=settings, learned=learned
            ):
                return TriggerReason.PREDICTION
            return None
        plan = self._plan(fx, now, settings, learned)
        if plan.due is None:
            return None
        if now < plan.due:
            self._note(name, plan.due)
            return None
        # (a plan whose slot has passed is recomputed from the slot under way)
        self._note(name, plan.slot_end)
        if self.preheats_today(now, learned) >= settings.preheat_daily_limit:
            return None
        if facts.pipe_c is not None:
            hot = facts.pipe_c >= self.reheat_level(fx, settings)
        else:
            hot = facts.ready
        if hot:
            return None
        return TriggerReason.PREDICTION

    def preheats_today(self, now: float, learned: LearnedData) -> int:
        """Pre-heats started in the current local day."""
        today = self.local_day(now)
        count = 0
        for p in reversed(learned.preheats):
            if self.local_day(p.at) != today:
                break
            count += 1
        return count

    def preheat_started(self, name: str, now: float, learned: LearnedData) -> LearnedData:
        """A pre-heat for ``name`` started: log it, consume its slot, hold until its end.

        A re-heat within a pre-heat's hold is part of that pre-heat (not logged again).
        """
        if now < self._hold.get(name, -math.inf):
            return learned
        plan = self._plans[name]
        self._consumed[name] = plan.slot
        self._hold[name] = plan.slot_end
        self._open_preheats[name] = now
        self.invalidate()
        return learned.with_preheat(PreheatRecord(at=now, fixture=name))

    def _note(self, name: str, at: float) -> None:
        current = self._times.get(name)
        self._times[name] = at if current is None else min(current, at)

    def wakeups(self, now: float, mode: Mode, settings: InstallationSettings) -> list[float]:
        """The times the automatic decisions need a look again (after ``now``)."""
        times = [t for t in self._times.values() if t > now]
        deadline = self.vacation_deadline(mode, settings)
        if deadline is not None and self.home is False:
            times.append(deadline)
        return times

    def clear_times(self) -> None:
        """Forget when to look again (a new pass of :meth:`wanted` follows, or none is due)."""
        self._times.clear()
