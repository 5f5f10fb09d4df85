"""Automatic cycles: when a cycle should start by itself (keep-warm, pre-heat, freeze).

The controller owns the hardware and every safety rule; :class:`Automatic` decides *when* a
cycle should start by itself, from its parts: presence, the schedule and the local time
(``presence.py``), what keep-warm remembers of each pipe (``keepwarm.py``), uses, draws and the
statistics (``usage.py``) and each fixture's pre-heat plan (``preheat.py``). The controller asks
:meth:`Automatic.wanted` once per fixture per event (O(1) each: a pre-heat plan is worked out
only when the profile changes), and starts what it answers through the same admission as a
person's request, never refusing: a start that is not allowed yet waits and is tried again
(``autopilot.py``).
"""

from __future__ import annotations

from dataclasses import replace

from .config import FixtureSettings, InstallationSettings
from .events import TriggerReason
from .keepwarm import LIMIT_MARGIN_K, Facts, Question, Warmth
from .learning import LearnedData
from .modes import Mode, policy
from .prediction import DrawRecord
from .preheat import PREHEAT_AHEAD_S, Preheats, time_to_hot_s
from .presence import Presence
from .snapshot import PredictionStats
from .usage import DEDUPE_S, PREHEAT_EXPIRY_S, Usage

__all__ = [
    "AUTOMATIC_REASONS",
    "DEDUPE_S",
    "LIMIT_MARGIN_K",
    "PREHEAT_AHEAD_S",
    "PREHEAT_EXPIRY_S",
    "Automatic",
    "Facts",
    "time_to_hot_s",
]

AUTOMATIC_REASONS = frozenset(
    {TriggerReason.KEEP_WARM, TriggerReason.PREDICTION, TriggerReason.FREEZE}
)
"""Triggers of the engine's own cycles (not usage: they do not teach the profile)."""


class Automatic:
    """State and decisions of the automatic cycles of one installation (internal, mutable)."""

    def __init__(self) -> None:
        """Nobody known to be away, schedule on, UTC, nothing learned yet."""
        self.presence = Presence()
        self._warmth = Warmth()
        self._usage = Usage()
        self._preheats = Preheats()
        self._last_auto: dict[str, float] = {}
        """Per fixture: when its last automatic cycle started (the minimum interval)."""
        self._times: dict[str, float] = {}
        """Per fixture: when the decisions need a look again."""
        self._version = 0

    @property
    def utc_offset_s(self) -> float:
        """The local time's offset from UTC."""
        return self.presence.utc_offset_s

    def set_offset(self, utc_offset_s: float) -> None:
        """The local time's offset from UTC (ignored unless finite and within +-18 h)."""
        if self.presence.set_offset(utc_offset_s):
            self.invalidate()

    def local_day(self, at: float) -> int:
        """The local day number of ``at``."""
        return self.presence.local_day(at)

    def invalidate(self) -> None:
        """Pre-heat plans and statistics must be worked out again (profile, settings or time)."""
        self._version += 1

    def forget(self, names: set[str]) -> None:
        """Drop the per-fixture state of fixtures no longer configured."""
        for table in (self._last_auto, self._times):
            for key in [k for k in table if k not in names]:
                del table[key]
        for part in (self._warmth, self._usage, self._preheats):
            part.forget(names)
        self.invalidate()

    # ------------------------------------------------------------- cycles and readings

    def cycle_started(self, name: str, reason: TriggerReason, now: float) -> None:
        """A cycle started for ``name`` (any trigger)."""
        self._warmth.cycle_started(name)
        if reason in AUTOMATIC_REASONS:
            self._last_auto[name] = now

    def cycle_finished(
        self, name: str, *, ready: bool, sensor: bool, now: float, settings: InstallationSettings
    ) -> None:
        """A cycle for ``name`` ended.

        ``ready``: its water is hot; ``sensor``: its own sensor will tell when it cools.
        """
        self._usage.cycle_finished(now, settings)
        self._warmth.cycle_finished(name, ready=ready, sensor=sensor, now=now, settings=settings)

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
        changed = self._warmth.reading(fx, celsius, at, settings=settings, learned=learned)
        base = self._usage.detect(fx, celsius, at, quiet=quiet)
        if base is not None:
            self._warmth.draw_seen(fx.name)
        return changed, base

    def before(self, name: str, at: float) -> float | None:
        """The last recent reading of ``name`` at or before ``at`` (None: none kept)."""
        return self._usage.before(name, at)

    # ------------------------------------------------------------- usage and statistics

    def record_usage(
        self, name: str, at: float, *, hit: bool | None, learned: LearnedData
    ) -> LearnedData | None:
        """Someone used (or asked for) hot water at ``name``.

        ``hit`` None: not a draw (a request). Returns the new learned data, or None when
        de-duplicated.
        """
        if not self._usage.fresh(name, at):
            return None
        offset = self.presence.utc_offset_s
        self._preheats.consume(name, at, offset)
        data = replace(learned, usage=learned.usage.with_draw(name, at, offset), reset_reason=None)
        if hit is not None:
            data = data.with_draw(DrawRecord(at=at, fixture=name, hit=hit))
            data = self._preheats.drawn(name, at, data)
        self.invalidate()
        return data

    def reset_usage(self, fixtures: tuple[str, ...], learned: LearnedData) -> LearnedData:
        """Forget the profile and statistics of ``fixtures`` (all when empty)."""
        self._preheats.reset(fixtures)
        self._usage.reset(fixtures)
        self.invalidate()
        return learned.without_usage(fixtures)

    def expire_preheats(
        self, now: float, learned: LearnedData, *, busy: set[str]
    ) -> LearnedData | None:
        """Resolve as wasted the pre-heats with no draw (see ``Preheats.expire``)."""
        data = self._preheats.expire(now, learned, busy=busy)
        if data is not None:
            self.invalidate()
        return data

    @property
    def has_open_preheats(self) -> bool:
        """Whether some pre-heat waits for a draw."""
        return bool(self._preheats.open)

    def stats(self, now: float, learned: LearnedData) -> PredictionStats:
        """The pre-heat statistics (cached: recomputed when the data change, or each minute)."""
        return self._usage.stats(
            now,
            learned,
            version=self._version,
            local_day=self.presence.local_day,
            open_preheats=self._preheats.open,
        )

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
        """A pre-heat for ``name`` started: log it, consume its slot, hold until its end."""
        data = self._preheats.started(name, now, learned)
        if data is not learned:
            self.invalidate()
        return data

    # ------------------------------------------------------------- decisions

    def cooling_s(
        self, fx: FixtureSettings, settings: InstallationSettings, learned: LearnedData
    ) -> float:
        """How long ``fx``'s pipe stays within the keep-warm band after a cycle."""
        return self._warmth.cooling_s(fx, settings, learned)

    def reheat_level(self, fx: FixtureSettings, settings: InstallationSettings) -> float:
        """The reading of ``fx``'s pipe below which its water no longer counts as hot."""
        return self._warmth.reheat_level(fx, settings)

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
        home = self.presence.home is not False
        q = Question(fx, facts, now, settings, learned)
        if rules.keep_warm and home and self.presence.schedule_active and fx.keep_warm:
            reason = self._keep_warm(q, interval_end)
            if reason is not None:
                return reason
        if rules.predictive and home and fx.keep_warm and settings.preheat_daily_limit > 0:
            return self._predict(q)
        return None

    def _keep_warm(self, q: Question, interval_end: float | None) -> TriggerReason | None:
        """Keep-warm's answer (also a pre-heat's hold): now, or a time noted to look again."""
        start = self._warmth.due(q)
        if start is None:
            return None
        if interval_end is not None:
            start = max(start, interval_end)
        if start <= q.now:
            return TriggerReason.KEEP_WARM
        self._note(q.fx.name, start)
        return None

    def _predict(self, q: Question) -> TriggerReason | None:
        """A pre-heat due now, or the re-heat of one holding its fixture hot."""
        fx, now, settings, learned = q.fx, q.now, q.settings, q.learned
        name = fx.name
        hold_end = self._preheats.hold.get(name)
        if hold_end is not None and now < hold_end:
            # a pre-heat under way holds the water hot until its draws' spread has passed
            self._note(name, hold_end)
            if self._keep_warm(q, None):
                return TriggerReason.PREDICTION
            return None
        plan = self._preheats.plan(
            name,
            now,
            version=self._version,
            offset=self.presence.utc_offset_s,
            settings=settings,
            learned=learned,
        )
        if plan.due is None:
            return None
        if now < plan.due:
            self._note(name, plan.due)
            return None
        # (a plan whose slot has passed is recomputed from the slot under way)
        self._note(name, plan.slot_end)
        if self.preheats_today(now, learned) >= settings.preheat_daily_limit:
            return None
        if q.facts.pipe_c is not None:
            hot = q.facts.pipe_c >= self.reheat_level(fx, settings)
        else:
            hot = q.facts.ready
        if hot:
            return None
        return TriggerReason.PREDICTION

    def _note(self, name: str, at: float) -> None:
        """Look at ``name`` again at ``at`` (the earliest noted in this pass)."""
        current = self._times.get(name)
        self._times[name] = at if current is None else min(current, at)

    def wakeups(self, now: float, mode: Mode, settings: InstallationSettings) -> list[float]:
        """The times the automatic decisions need a look again (after ``now``)."""
        times = [t for t in self._times.values() if t > now]
        return times + self.presence.wakeups(mode, settings)

    def clear_times(self) -> None:
        """Forget when to look again (a new pass of :meth:`wanted` follows, or none is due)."""
        self._times.clear()
