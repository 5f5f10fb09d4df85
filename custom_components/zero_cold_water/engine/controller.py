"""The controller: takes events with the current time, returns commands.

One :class:`Controller` runs one installation. It never performs I/O and has no clock of its own:
``handle(event, now)`` advances its notion of time to ``now`` (never backwards), applies the event,
checks every deadline, and returns the commands that bring the hardware to the wanted (safe) state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
import math

from .arrival import ArrivalDetector, Signal
from .automatic import AUTOMATIC_REASONS, CAP_RETRY_MIN_S, LIMIT_MARGIN_K, Automatic, Facts
from .commands import (
    AlreadyRunning,
    ArrivalBasis,
    Command,
    CycleFigures,
    CycleFinished,
    CycleStarted,
    Deferred,
    EndReason,
    Fault,
    FaultKind,
    LearnedDataChanged,
    ModeSwitched,
    Outcome,
    RefusalReason,
    Refused,
    ScheduleWakeup,
    SettingsRejected,
)
from .config import FixtureSettings, InstallationSettings, Topology, check, validate
from .cycle import FixtureCycle, Phase
from .events import (
    Actuator,
    ActuatorReading,
    ActuatorState,
    DrawObserved,
    Event,
    Line,
    LocalTime,
    ModeChanged,
    Presence,
    ResetUsage,
    ScheduleState,
    SettingsChanged,
    Shutdown,
    Start,
    Startup,
    Stop,
    TemperatureReading,
    Tick,
    TriggerReason,
)
from .learning import LearnedData, prune_runs, pump_seconds_in_window
from .modes import Mode, policy
from .prediction import DAY_S
from .readings import SensorTrack
from .safety import ordered_commands, violations, wanted_pump, wanted_valves
from .snapshot import (
    FixtureSnapshot,
    FixtureState,
    InstallationState,
    LastCycle,
    PredictionStats,
    Snapshot,
)
from .topology import cycle_valve, flow_lpm, valves

PUMP = "pump"
"""Actuator id of the pump in the engine's bookkeeping."""
KWH_PER_LITRE_KELVIN = 4.186 / 3600.0
VOLUME_EPSILON_L = 1e-6
"""Volumes this close count as reached (time steps below it vanish at wall-clock epochs)."""
SHORTFALL_GROWTH = 1.10
"""The learned transit grows by this after a predicted stop the sensor never confirmed."""
PREDICTED_FLOOR_SHARE = 0.9
"""A predicted stop is never before this share of the configured pipe volume: a transit learned
while the shared trunk was still warm from another fixture's use is too short for a cold one."""
MIN_ONSET_SHARE = 0.5
"""A rise before this share of the configured pipe volume was pumped is a warm parcel passing,
not the hot front: it neither ends the cycle nor teaches the transit."""
VOLUME_LIMIT_SHARE = 3.0
"""A cycle that moved this many times the expected volume (learned transit or configured pipe
volume, the larger) without seeing hot water ends ``timed_out``: the heater is not delivering, or
the sensor cannot tell; pushing more only wastes water and heat."""
MAX_GROWTH_SHARE = 2.5
"""Growth after shortfalls stops at this multiple of the configured pipe volume."""
MIN_PREDICTED_SHARE = 0.5
"""A predicted stop is never earlier than this share of the learned transit."""


@dataclass(slots=True, kw_only=True)
class _Ready:
    """A fixture whose water was made hot, until it cools."""

    since: float
    settle_until: float
    hold_until: float | None
    """Readiness expires at this time when the sensor cannot tell (None: the sensor decides)."""
    predicted: bool
    baseline_c: float | None
    confirm_until: float
    stop_volume_l: float
    lead_l: float
    confirmed: bool = False


class Controller:
    """The control engine of one installation (sans-I/O).

    Drive it with :meth:`handle`; read it with :meth:`snapshot`, :attr:`learned`, :attr:`mode`
    and :attr:`settings`.
    """

    def __init__(
        self,
        settings: InstallationSettings,
        *,
        learned: LearnedData | None = None,
        mode: Mode = Mode.ON_DEMAND,
        resume_mode: Mode | None = None,
        quiet_readings: bool = True,
    ) -> None:
        """Create a controller; raises ``InvalidSettingsError`` if ``settings`` are invalid.

        ``quiet_readings`` False: every reading takes the full pass (tests compare both).
        """
        self._settings = check(settings)
        self._learned = learned if learned is not None else LearnedData()
        self._mode = mode
        self._resume_mode = resume_mode
        self._now: float | None = None
        self._started = False
        self._shut_down = False
        self._sensors: dict[tuple[str, Line], SensorTrack] = {}
        self._pump_cmd = False
        self._valve_cmd: dict[str, bool] = dict.fromkeys(valves(settings), False)
        self._pump_reported: ActuatorReading | None = None
        self._valve_reported: dict[str, ActuatorReading] = {}
        self._reported_at: dict[str, float] = {}
        self._mismatch_since: dict[str, float] = {}
        self._stuck: set[str] = set()
        self._resend: set[str] = set()
        self._cycles: dict[str, FixtureCycle] = {}
        self._ready: dict[str, _Ready] = {}
        self._last: dict[str, LastCycle] = {}
        self._cooldown_until: float | None = None
        self._deferred: dict[str, Start] = {}
        """Requests that came during the cooldown, per fixture: they start when it ends."""
        self._run_start: float | None = None
        self._wakeup: float | None = None
        self._learned_dirty = False
        self._auto = Automatic()
        self._auto_retry: float | None = None
        self._quiet_readings = quiet_readings
        self._quiet_until = -math.inf
        self._quiet_day = 0
        self._thresholds: dict[tuple[str, Line], tuple[float, ...]] = {}
        self._thresholds_of: InstallationSettings | None = None
        self._served: dict[str, tuple[FixtureSettings, ...]] = {}
        """Per fixture: itself and the fixtures it serves (valve, pipe and sensor)."""
        self._revision = 0
        self._stats_seen: PredictionStats | None = None

    # ----------------------------------------------------------------- public API

    @property
    def settings(self) -> InstallationSettings:
        """The settings in force."""
        return self._settings

    @property
    def learned(self) -> LearnedData:
        """The learned data to persist (also sent as ``LearnedDataChanged`` when it changes)."""
        return self._learned

    @property
    def mode(self) -> Mode:
        """The current mode."""
        return self._mode

    @property
    def next_wakeup(self) -> float | None:
        """When the engine next needs a ``Tick`` (the last ``ScheduleWakeup``)."""
        return self._wakeup

    @property
    def revision(self) -> int:
        """Changes whenever :meth:`snapshot` may show something new.

        Unchanged means the snapshot can differ only in ``now``, ``pump_run_24h_s`` and the
        fixtures' ``temperature_c`` / ``cold_temperature_c`` (a quiet reading: see
        :meth:`_quiet_before`); a host that shows none of these need not build a snapshot.
        """
        return self._revision

    def handle(self, event: Event, now: float) -> list[Command]:
        """Apply ``event`` at time ``now``; return the commands to carry out, in order."""
        now = self._advance_clock(now)
        out: list[Command] = []
        if not self._started and not isinstance(event, Startup | Shutdown):
            out.extend(self._startup())
        self._accrue(now)
        self._now = now
        match event:
            case Startup():
                for name in list(self._cycles):
                    self._finish(name, Outcome.STOPPED, EndReason.RESTARTED, now, out)
                out.extend(self._startup())
            case Shutdown():
                self._shutdown(now, out)
            case TemperatureReading():
                before = self._quiet_before(event, now)
                self._on_reading(event, now, out)
                if before is not None and self._quiet_after(event, now, before, out):
                    return out  # empty: a quiet reading changes no decision (_quiet_before)
            case ActuatorState():
                self._on_actuator(event, now)
            case Start():
                self._on_start(event, now, out)
            case Stop():
                self._on_stop(event, now, out)
            case SettingsChanged():
                self._on_settings(event, now, out)
            case ModeChanged():
                self._on_mode(event, now, out)
            case Presence():
                switched = self._auto.on_presence(event.home, now, self._mode, self._resume_mode)
                if switched is not None:
                    self._switch(switched, out)
            case ScheduleState():
                self._auto.schedule_active = event.active
            case DrawObserved():
                self._on_draw(event, now)
            case LocalTime():
                self._auto.set_offset(event.utc_offset_s)
            case ResetUsage():
                self._learned = self._auto.reset_usage(event.fixtures, self._learned)
                self._learned_dirty = True
            case Tick():
                pass
        self._check(now, out)
        self._automatic(now, out)
        out.extend(self._reconcile(now))
        self._track_pump_run(now)
        self._update_phases(now)
        if self._learned_dirty:
            self._learned_dirty = False
            out.append(LearnedDataChanged(data=self._learned))
        wakeup = self._next_wakeup(now)
        if wakeup != self._wakeup:
            self._wakeup = wakeup
            out.append(ScheduleWakeup(at=wakeup))
        self._arm_quiet(now, out)
        return out

    def snapshot(self) -> Snapshot:
        """A read-only view for entities (as of the last handled event)."""
        now = self._now if self._now is not None else 0.0
        fixtures = {f.name: self._fixture_snapshot(f.name, now) for f in self._settings.fixtures}
        junction = valves(self._settings) if self._settings.junction_valve else ()
        return Snapshot(
            now=now,
            state=self._installation_state(now),
            mode=self._mode,
            pump_on_commanded=self._pump_cmd,
            pump_reported=self._pump_reported,
            junction_open_commanded=self._valve_cmd.get(junction[0]) if junction else None,
            fixtures=fixtures,
            pump_run_24h_s=self._pump_used(now),
            daily_pump_cap_s=self._settings.daily_pump_cap_s,
            cooldown_until=self._cooldown_until,
            next_wakeup=self._wakeup,
            totals=self._learned.totals,
            shut_down=self._shut_down,
            home=self._auto.home,
            schedule_active=self._auto.schedule_active,
            resume_mode=self._resume_mode,
            prediction=self._auto.stats(now, self._learned),
        )

    def safety_violations(self) -> list[str]:
        """Every safety rule the commanded state breaks right now (empty when safe)."""
        return violations(
            self._settings,
            pump_on=self._pump_cmd,
            valve_open=self._valve_cmd,
            valve_reported=self._valve_reported,
            cycle_valves={c.valve for c in self._cycles.values() if c.valve},
            limit_reached=self._limit_reached(self._now or 0.0),
        )

    # ----------------------------------------------------------------- time and flow

    def _advance_clock(self, now: float) -> float:
        if not math.isfinite(now):
            return self._now if self._now is not None else 0.0
        if self._now is not None and now < self._now:
            return self._now
        return now

    def _pump_running(self) -> bool:
        return self._pump_cmd or self._pump_reported is ActuatorReading.ON

    def _rates(self) -> dict[str, float]:
        """Flow (L/min) past each running cycle's fixture in the current state."""
        s = self._settings
        rates: dict[str, float] = {}
        reported_open = [
            v for v, state in self._valve_reported.items() if state is ActuatorReading.ON
        ]
        for name, cycle in self._cycles.items():
            rate = 0.0
            if s.topology is Topology.DRAIN:
                if cycle.valve and self._valve_reported.get(cycle.valve) is ActuatorReading.ON:
                    rate = flow_lpm(s, name)
            elif self._pump_reported is ActuatorReading.ON:
                if s.topology is Topology.COLD_LINE:
                    if cycle.valve in reported_open:
                        rate = flow_lpm(s, name) / len(reported_open)
                elif cycle.valve is None or cycle.valve in reported_open:
                    rate = flow_lpm(s, name)
            rates[name] = rate
        return rates

    def _accrue(self, now: float) -> None:
        if self._now is None or now <= self._now:
            return
        dt = now - self._now
        pump = self._settings.topology.has_pump and self._pump_running()
        rates = self._rates()
        past_fixtures = sum(rates.values())
        moved = self._moved_lpm(rates)
        for name, rate in rates.items():
            cycle = self._cycles[name]
            if rate > 0:
                if cycle.flow_since is None:
                    cycle.flow_since = self._now
                cycle.volume_l += rate * dt / 60.0
                cycle.share_l += moved * rate / past_fixtures * dt / 60.0
            if pump:
                cycle.pump_run_s += dt

    def _moved_lpm(self, rates: dict[str, float]) -> float:
        """The water the installation moves now: one loop's flow, however many cycles see it."""
        if self._settings.topology is Topology.RETURN_LINE:
            return max(rates.values(), default=0.0)
        return sum(rates.values())

    def _pump_used(self, now: float) -> float:
        runs = self._learned.pump_runs
        if self._run_start is not None:
            runs = (*runs, (self._run_start, now))
        return pump_seconds_in_window(runs, now)

    def _cap_reached(self, now: float) -> bool:
        return (
            self._settings.topology.has_pump
            and self._pump_used(now) >= self._settings.daily_pump_cap_s
        )

    def _track_pump_run(self, now: float) -> None:
        running = self._settings.topology.has_pump and self._pump_running()
        if running and self._run_start is None:
            self._run_start = now
        elif not running and self._run_start is not None:
            if now > self._run_start:
                runs = prune_runs((*self._learned.pump_runs, (self._run_start, now)), now)
                totals = self._learned.totals
                self._learned = replace(
                    self._learned,
                    pump_runs=runs,
                    totals=replace(totals, pump_run_s=totals.pump_run_s + now - self._run_start),
                )
                self._learned_dirty = True
            self._run_start = None

    # ----------------------------------------------------------------- sensors

    def _track(self, fixture: str, line: Line) -> SensorTrack:
        return self._sensors.setdefault((fixture, line), SensorTrack())

    def _believed(self, fixture: str, line: Line, now: float) -> float | None:
        fx = self._settings.fixture(fixture)
        if fx is None or (line is Line.HOT and not fx.has_sensor):
            return None
        if line is Line.COLD and not fx.has_cold_sensor:
            return None
        track = self._sensors.get((fixture, line))
        return None if track is None else track.believed(now, self._settings.sensor_stale_after_s)

    def _limit_reached(self, now: float) -> set[str]:
        """Valves whose water is at or above their fixture's cold-line limit."""
        hot: set[str] = set()
        for fx in self._settings.fixtures:
            limit = fx.cold_line_limit_c
            if limit is None or self._settings.topology is Topology.RETURN_LINE:
                continue
            for line in (Line.HOT, Line.COLD):
                value = self._believed(fx.name, line, now)
                if value is not None and value >= limit:
                    hot.add(fx.name)
        return hot

    def _on_reading(self, event: TemperatureReading, now: float, out: list[Command]) -> None:
        fx = self._settings.fixture(event.fixture)
        if fx is None:
            return
        at = event.at if math.isfinite(event.at) else now
        at = min(at, now)
        track = self._track(event.fixture, event.line)
        was_implausible = track.implausible
        if not track.report(event.celsius, at):
            return
        if track.implausible and not was_implausible:
            out.append(
                Fault(kind=FaultKind.SENSOR_IMPLAUSIBLE, detail=f"{event.fixture}:{event.line}")
            )
        if event.line is not Line.HOT or not fx.has_sensor:
            return
        value = track.believed(now, self._settings.sensor_stale_after_s)
        for name, cycle in list(self._cycles.items()):
            if self._settings.path(name) == event.fixture:
                self._feed(cycle, value, at, now, out)
        ready = self._ready.get(event.fixture)
        if (
            ready is not None
            and value is not None
            and ready.baseline_c is not None
            and now <= ready.confirm_until
            and value - ready.baseline_c >= self._settings.onset_rise_c
        ):
            ready.confirmed = True
        if value is not None:
            self._auto_reading(fx, value, at)

    # ----------------------------------------------------------------- quiet readings

    def _quiet_before(
        self, event: TemperatureReading, now: float
    ) -> tuple[float | None, bool | None] | None:
        """Whether a reading may be quiet; if so, what it must leave unchanged to be.

        A reading is quiet when the rest of the pass (deadlines, automatic cycles, the wanted
        hardware state, the next wakeup) would change nothing and command nothing, so it is
        skipped: no cycle runs, none of the engine's own starts waits for a retry, no pre-heat
        waits for its draw, no deadline is due (``now`` is before the next wakeup), no believed
        sensor has gone stale and the local day is the same since the last full pass
        (:meth:`_arm_quiet`), and the sensor has reported before. What :meth:`_on_reading` then
        does is checked by :meth:`_quiet_after`. Returns (the believed value, the fixture's
        readiness confirmation) before the reading, or None when the reading takes the full pass.

        The automatic cycles see readings only through :meth:`Automatic.reading` (run either
        way) and through their thresholds (:meth:`_reading_thresholds`); every other time
        their answer changes at is a wakeup they note. A new comparison of a reading in
        ``automatic.py`` belongs in :meth:`_reading_thresholds`.
        """
        if not (
            self._quiet_readings
            and now < self._quiet_until
            and (self._wakeup is None or now < self._wakeup)
            and not self._cycles
            and not self._deferred
            and self._auto_retry is None
            and not self._auto.has_open_preheats
            and self._auto.local_day(now) == self._quiet_day
            and (event.fixture, event.line) in self._sensors
        ):
            return None
        ready = self._ready.get(event.fixture)
        return (
            self._believed(event.fixture, event.line, now),
            ready.confirmed if ready is not None else None,
        )

    def _quiet_after(
        self,
        event: TemperatureReading,
        now: float,
        before: tuple[float | None, bool | None],
        out: list[Command],
    ) -> bool:
        """Whether the reading just taken was quiet (see :meth:`_quiet_before`).

        It commanded nothing, changed no learned data and no readiness confirmation, and its
        sensor's believed value is on the same side of every threshold it is compared with
        (known or unknown alike) as before. Then the snapshot can differ only in the readings
        and time; the pre-heat statistics, which age with time, bump :attr:`revision` if they
        changed.
        """
        value_before, confirmed = before
        ready = self._ready.get(event.fixture)
        if out or self._learned_dirty or (ready.confirmed if ready else None) != confirmed:
            return False
        value = self._believed(event.fixture, event.line, now)
        if value is None or value_before is None:
            if value is not value_before:
                return False
        elif any(
            (value < t) != (value_before < t)
            for t in self._reading_thresholds(event.fixture, event.line)
        ):
            return False
        stats = self._auto.stats(now, self._learned)
        if stats != self._stats_seen:
            self._stats_seen = stats
            self._revision += 1
        return True

    def _reading_thresholds(self, fixture: str, line: Line) -> tuple[float, ...]:
        """Every temperature the rest of a pass compares this sensor's believed value with.

        Freeze protection, the cold-line limit and the margin below it at which automatic cycles
        wait; for a hot-pipe sensor also the keep-warm band, the ready band and the current
        re-heat level (it follows what the last cycle left in the pipe) of its fixture and of
        every fixture it serves (the pipe reading of their automatic cycles, readiness).
        """
        s = self._settings
        if self._thresholds_of is not s:
            self._thresholds_of = s
            self._thresholds = {}
            self._served = {}
            for fx in s.fixtures:
                limit = fx.cold_line_limit_c
                common = tuple(
                    t
                    for t in (
                        s.freeze_protect_c,
                        limit,
                        None if limit is None else limit - LIMIT_MARGIN_K,
                    )
                    if t is not None
                )
                served = tuple(
                    g for g in s.fixtures if g.name == fx.name or s.path(g.name) == fx.name
                )
                self._served[fx.name] = served
                bands = tuple(
                    t
                    for g in served
                    for t in (
                        g.target_c - s.keep_warm_hysteresis_c,
                        g.target_c - s.ready_hysteresis_c,
                    )
                )
                self._thresholds[fx.name, Line.HOT] = common + bands
                self._thresholds[fx.name, Line.COLD] = common
        static = self._thresholds.get((fixture, line), ())
        if line is not Line.HOT:
            return static
        return static + tuple(self._auto.reheat_level(g, s) for g in self._served.get(fixture, ()))

    def _arm_quiet(self, now: float, out: list[Command]) -> None:
        """After a full pass: until when readings may be quiet (a believed sensor goes stale).

        Not at all after a refusal: the automatic cycles skipped the refused fixtures in this
        pass (and noted no time for them), the next pass looks at them again.
        """
        self._revision += 1
        stale = self._settings.sensor_stale_after_s
        until = -math.inf if any(isinstance(c, Refused) for c in out) else math.inf
        for track in self._sensors.values():
            if track.good_at is not None and track.believed(now, stale) is not None:
                until = min(until, track.good_at + stale)
        self._quiet_until = until
        self._quiet_day = self._auto.local_day(now)
        self._stats_seen = self._auto.stats(now, self._learned)

    def _feed(
        self, cycle: FixtureCycle, value: float | None, at: float, now: float, out: list[Command]
    ) -> None:
        """Give a running cycle a reading of the sensor on its path."""
        if value is None:
            if cycle.basis is ArrivalBasis.SENSOR:
                self._fall_back(cycle)
            return
        if cycle.basis is ArrivalBasis.NONE:
            cycle.basis = ArrivalBasis.SENSOR  # the sensor is back: no longer blind
        signal = cycle.detector.feed(value, at, cycle.flow_since)
        if signal is None or (signal is Signal.ONSET and cycle.basis is not ArrivalBasis.SENSOR):
            return
        path = self._settings.fixture(self._settings.path(cycle.fixture))
        volume = path.configured_volume_l if path is not None else None
        early = (
            not cycle.warm_network
            and volume is not None
            and cycle.volume_l < MIN_ONSET_SHARE * volume
        )
        if signal is Signal.ONSET and early:
            return
        if cycle.phase is Phase.RUNNING and cycle.flow_since is not None and not early:
            cycle.transit_l = cycle.volume_l
            self._learn_transit(
                self._settings.path(cycle.fixture), cycle.volume_l, warm=cycle.warm_network
            )
        reason = EndReason.THRESHOLD if signal is Signal.THRESHOLD else EndReason.ONSET
        self._finish(cycle.fixture, Outcome.READY, reason, now, out)

    def _fall_back(self, cycle: FixtureCycle) -> None:
        """The sensor failed mid-cycle: switch to a timed purge."""
        basis, volume = self._purge_plan(cycle.fixture)
        cycle.basis = basis
        cycle.stop_volume_l = volume

    def _purge_plan(self, fixture: str) -> tuple[ArrivalBasis, float | None]:
        path = self._settings.path(fixture)
        margin = 1.0 + self._settings.purge_margin
        transit = self._learned.fixture(path).transit_l
        if transit is not None:
            return ArrivalBasis.LEARNED_PURGE, transit * margin
        for name in (fixture, path):
            fx = self._settings.fixture(name)
            if fx is not None and fx.configured_volume_l is not None:
                return ArrivalBasis.CONFIGURED_PURGE, fx.configured_volume_l * margin
        return ArrivalBasis.NONE, None

    def _volume_limit(self, fixture: str) -> float | None:
        """Never move more than ``VOLUME_LIMIT_SHARE`` x the expected volume without hot water."""
        path = self._settings.path(fixture)
        transit = self._learned.fixture(path).transit_l
        volumes = [
            v
            for v in (
                transit,
                *(
                    f.configured_volume_l
                    for f in (self._settings.fixture(n) for n in (fixture, path))
                    if f
                ),
            )
            if v is not None
        ]
        return VOLUME_LIMIT_SHARE * max(volumes) if volumes else None

    def _protects_cold_line(self, fixture: str) -> bool:
        fx = self._settings.fixture(fixture)
        return (
            self._settings.topology is Topology.COLD_LINE
            and fx is not None
            and fx.cold_line_limit_c is not None
        )

    def _grow_transit(self, fixture: str, ready: _Ready) -> None:
        """A predicted stop the sensor never confirmed: the front comes later than learned."""
        learning = self._learned.fixture(fixture)
        fx = self._settings.fixture(fixture)
        if fx is None:
            return
        track = self._sensors.get((fixture, Line.HOT))
        if track is not None and track.failed:
            return
        transit = learning.transit_l
        if transit is None:
            grown = learning.with_sample(ready.stop_volume_l * SHORTFALL_GROWTH + ready.lead_l)
        elif fx.configured_volume_l is not None and (
            transit * SHORTFALL_GROWTH > MAX_GROWTH_SHARE * fx.configured_volume_l
        ):
            return
        else:
            grown = learning.grown(SHORTFALL_GROWTH)
        self._learned = self._learned.with_fixture(fixture, grown)
        self._learned_dirty = True

    def _network_warm(self, fixture: str, now: float) -> bool:
        """Whether another fixture's pipe is hot now (a shared trunk may hold hot water)."""
        for other in self._settings.fixtures:
            if other.name == fixture:
                continue
            value = self._believed(other.name, Line.HOT, now)
            if value is not None and value >= other.target_c - self._settings.ready_hysteresis_c:
                return True
        return False

    def _learn_transit(self, fixture: str, litres: float, *, warm: bool = False) -> None:
        current = self._learned.fixture(fixture)
        learning = current.with_warm_sample(litres) if warm else current.with_sample(litres)
        self._learned = self._learned.with_fixture(fixture, learning)
        self._learned_dirty = True

    # ----------------------------------------------------------------- actuators

    def _on_actuator(self, event: ActuatorState, now: float) -> None:
        if event.actuator is Actuator.PUMP:
            if not self._settings.topology.has_pump:
                return
            key = PUMP
        else:
            if event.fixture is None or event.fixture not in self._valve_cmd:
                return
            key = event.fixture
        at = event.at if math.isfinite(event.at) else now
        if key in self._reported_at and at < self._reported_at[key]:
            return
        self._reported_at[key] = min(at, now)
        if key == PUMP:
            self._pump_reported = event.state
            commanded = self._pump_cmd
        else:
            self._valve_reported[key] = event.state
            commanded = self._valve_cmd[key]
        if event.state is not ActuatorReading.UNAVAILABLE and (
            (event.state is ActuatorReading.ON) != commanded
        ):
            self._resend.add(key)

    def _update_phases(self, now: float) -> None:
        for cycle in self._cycles.values():
            confirmed = (
                cycle.valve is None or self._valve_reported.get(cycle.valve) is ActuatorReading.ON
            )
            if cycle.phase is Phase.OPENING and confirmed:
                cycle.phase = Phase.RUNNING
            elif cycle.phase is Phase.RUNNING and not confirmed:
                cycle.phase = Phase.OPENING
                cycle.opening_since = now

    def _reconcile(self, now: float) -> list[Command]:
        """Compute the wanted actuator states under the safety rules; command the difference."""
        self._update_phases(now)
        active = self._started and not self._shut_down
        cycle_valves = {c.valve for c in self._cycles.values() if c.valve}
        want_valves = wanted_valves(
            self._settings,
            cycle_valves=cycle_valves,
            limit_reached=self._limit_reached(now),
            active=active,
        )
        running = active and any(c.phase is Phase.RUNNING for c in self._cycles.values())
        want_pump = wanted_pump(
            self._settings,
            running=running,
            valve_open=want_valves,
            valve_reported=self._valve_reported,
            cap_reached=self._cap_reached(now),
        )
        commands = ordered_commands(
            pump_was=self._pump_cmd,
            pump_now=want_pump,
            valves_were=self._valve_cmd,
            valves_now=want_valves,
            resend=self._resend & set(want_valves),
            resend_pump=PUMP in self._resend and self._settings.topology.has_pump,
        )
        self._resend.clear()
        if want_pump != self._pump_cmd:
            self._mismatch_since.pop(PUMP, None)
        for valve, open_ in want_valves.items():
            if open_ != self._valve_cmd.get(valve):
                self._mismatch_since.pop(valve, None)
        self._pump_cmd = want_pump
        self._valve_cmd = want_valves
        self._note_mismatches(now)
        return list(commands)

    def _note_mismatches(self, now: float) -> None:
        """Track since when each actuator's report contradicts its command."""
        pairs: list[tuple[str, bool, ActuatorReading | None]] = [
            (v, open_, self._valve_reported.get(v)) for v, open_ in self._valve_cmd.items()
        ]
        if self._settings.topology.has_pump:
            pairs.append((PUMP, self._pump_cmd, self._pump_reported))
        for key, commanded, reported in pairs:
            if commanded is (reported is ActuatorReading.ON) and reported is not None:
                self._mismatch_since.pop(key, None)
                self._stuck.discard(key)
            elif (commanded or reported is not None) and key not in self._mismatch_since:
                self._mismatch_since[key] = now

    def _startup(self) -> list[Command]:
        """Drive everything to the safe state, whatever was running before."""
        self._started = True
        self._shut_down = False
        return self._safe_commands()

    def _safe_commands(self) -> list[Command]:
        """Pump off, then every valve closed, whatever was commanded before."""
        out: list[Command] = list(
            ordered_commands(
                pump_was=self._settings.topology.has_pump,
                pump_now=False,
                valves_were=dict.fromkeys(self._valve_cmd, True),
                valves_now=dict.fromkeys(self._valve_cmd, False),
            )
        )
        self._pump_cmd = False
        self._valve_cmd = dict.fromkeys(self._valve_cmd, False)
        self._mismatch_since.clear()
        return out

    def _shutdown(self, now: float, out: list[Command]) -> None:
        self._deferred.clear()
        for name in list(self._cycles):
            self._finish(name, Outcome.STOPPED, EndReason.SHUTDOWN, now, out)
        out.extend(self._safe_commands())
        self._started = True
        self._shut_down = True
        self._track_pump_run(now)

    # ----------------------------------------------------------------- requests

    def _on_start(self, event: Start, now: float, out: list[Command]) -> None:
        names = tuple(dict.fromkeys(event.fixtures))
        refusal = self._refusal(event, names)
        if refusal is not None:
            out.append(self._refused(names, refusal, event))
            return
        if event.reason not in AUTOMATIC_REASONS:
            for name in names:
                self._note_usage(name, now, hit=None)
        self._start_fixtures(event, names, now, out)

    def _start_fixtures(
        self, event: Start, names: tuple[str, ...], now: float, out: list[Command]
    ) -> None:
        """Start what is neither running nor hot, unless the cooldown defers it or a rule forbids."""
        s = self._settings
        running = tuple(n for n in names if n in self._cycles)
        if running:
            out.append(AlreadyRunning(fixtures=running))
        to_start: list[str] = []
        for name in names:
            if name in self._cycles:
                continue
            if self._already_hot(name, event.target_c, now):
                self._deferred.pop(name, None)
                self._finish_already_hot(name, event, now, out)
                continue
            to_start.append(name)
        if not to_start:
            return
        if not self._cycles and self._cooldown_until is not None and now < self._cooldown_until:
            self._deferred.update(dict.fromkeys(to_start, event))
            out.append(Deferred(fixtures=tuple(to_start), start_at=self._cooldown_until))
            return
        if self._cap_reached(now):
            out.append(
                self._refused(tuple(to_start), RefusalReason.DAILY_CAP_REACHED, event, now=now)
            )
            return
        if s.topology.has_pump and self._pump_reported is ActuatorReading.UNAVAILABLE:
            out.append(Refused(fixtures=tuple(to_start), reason=RefusalReason.ACTUATOR_UNAVAILABLE))
            return
        unavailable = tuple(
            n
            for n in to_start
            if (valve := cycle_valve(s, n)) is not None
            and self._valve_reported.get(valve) is ActuatorReading.UNAVAILABLE
        )
        if unavailable:
            out.append(Refused(fixtures=unavailable, reason=RefusalReason.ACTUATOR_UNAVAILABLE))
        for name in to_start:
            if name not in unavailable:
                self._begin(name, event, now, out)

    def _refused(
        self,
        names: tuple[str, ...],
        reason: RefusalReason,
        event: Start,
        *,
        now: float | None = None,
    ) -> Refused:
        """A refusal with what the host needs to say why (the limit, when a retry can work)."""
        limit: float | None = None
        retry: float | None = None
        if reason is RefusalReason.TARGET_ABOVE_LIMIT:
            limit = min(self._limits_below(event.target_c, names))
        elif reason is RefusalReason.DAILY_CAP_REACHED and now is not None:
            retry = self._cap_free_at(now)
        return Refused(fixtures=names, reason=reason, retry_at=retry, limit_c=limit)

    def _limits_below(self, target_c: float | None, names: tuple[str, ...]) -> list[float]:
        """The cold-line limits of ``names`` that ``target_c`` exceeds."""
        found: list[float] = []
        for name in names:
            fx = self._settings.fixture(name)
            limit = fx.cold_line_limit_c if fx else None
            if target_c is not None and limit is not None and target_c > limit:
                found.append(limit)
        return found

    def _cap_free_at(self, now: float) -> float:
        """When the rolling 24 h window has room for a minute's pump run again."""
        wanted = self._settings.daily_pump_cap_s - CAP_RETRY_MIN_S
        runs = self._learned.pump_runs
        if self._run_start is not None:
            runs = (*runs, (self._run_start, now))
        low, high = now, now + DAY_S
        if pump_seconds_in_window(runs, low) <= wanted:
            return now + CAP_RETRY_MIN_S
        for _ in range(40):  # the usage only falls as old runs leave the window: bisect
            mid = (low + high) / 2
            if pump_seconds_in_window(runs, mid) <= wanted:
                high = mid
            else:
                low = mid
        return high

    def _refusal(self, event: Start, names: tuple[str, ...]) -> RefusalReason | None:
        s = self._settings
        if self._shut_down:
            return RefusalReason.SHUT_DOWN
        if not names:
            return RefusalReason.NO_FIXTURES
        if any(s.fixture(n) is None for n in names):
            return RefusalReason.UNKNOWN_FIXTURE
        if not policy(self._mode).accepts_start:
            return RefusalReason.MODE_FORBIDS
        if event.max_run_s is not None and not (
            math.isfinite(event.max_run_s) and 0 < event.max_run_s <= 3600.0
        ):
            return RefusalReason.INVALID_OVERRIDE
        if event.target_c is not None:
            if not (math.isfinite(event.target_c) and 20.0 <= event.target_c <= 90.0):
                return RefusalReason.INVALID_OVERRIDE
            if self._limits_below(event.target_c, names):
                return RefusalReason.TARGET_ABOVE_LIMIT
        return None

    def _target(self, name: str, override: float | None) -> float:
        fx = self._settings.fixture(name)
        assert fx is not None  # noqa: S101 - callers checked the name
        return override if override is not None else fx.target_c

    def _already_hot(self, name: str, override: float | None, now: float) -> bool:
        """Ready, or the pipe (or the serving fixture's pipe) reads at least the target."""
        if name in self._ready and override is None:
            return True
        band = self._target(name, override)
        # a fixture served by another's valve can only be heated as far as that valve
        for fixture in dict.fromkeys((name, self._settings.path(name))):
            value = self._believed(fixture, Line.HOT, now)
            if value is not None and value >= band:
                return True
        return False

    def _finish_already_hot(self, name: str, event: Start, now: float, out: list[Command]) -> None:
        value = self._believed(name, Line.HOT, now)
        figures = CycleFigures(
            trigger=event.reason,
            started_at=now,
            ended_at=now,
            end_reason=EndReason.ALREADY_HOT,
            arrival_basis=ArrivalBasis.SENSOR if value is not None else ArrivalBasis.NONE,
            time_to_hot_s=0.0,
            pump_run_s=0.0,
            litres_moved=0.0,
            heat_moved_kwh=0.0,
            start_c=value,
            peak_c=value,
            transit_l=None,
        )
        self._last[name] = LastCycle(outcome=Outcome.ALREADY_HOT, figures=figures)
        out.append(CycleFinished(fixture=name, outcome=Outcome.ALREADY_HOT, figures=figures))

    def _begin(self, name: str, event: Start, now: float, out: list[Command]) -> None:
        s = self._settings
        fx = s.fixture(name)
        assert fx is not None  # noqa: S101 - callers checked the name
        target = self._target(name, event.target_c)
        max_run = min(event.max_run_s, s.max_run_s) if event.max_run_s else s.max_run_s
        path = s.path(name)
        path_fx = s.fixture(path) or fx
        track = self._sensors.get((path, Line.HOT))
        start_c = self._believed(path, Line.HOT, now)
        stop_volume: float | None = None
        silent = False
        warm = False
        if path_fx.has_sensor and not (track is not None and track.failed):
            basis = ArrivalBasis.SENSOR
            silent = start_c is None
            warm = self._network_warm(path, now)
            learning = self._learned.fixture(path)
            transit = learning.warm_transit_l if warm else learning.transit_l
            lead_l = flow_lpm(s, name) * path_fx.sensor_lead_s / 60.0
            floor = (
                PREDICTED_FLOOR_SHARE * path_fx.configured_volume_l
                if path_fx.configured_volume_l is not None
                else None
            )
            if warm:
                # The front may come as soon as the branch is purged: no volume floor, and only
                # transits learned in the same condition predict it. An automatic re-heat of a
                # lukewarm loop (no cold line to protect) waits for the front itself.
                reheat = event.reason in AUTOMATIC_REASONS and not self._protects_cold_line(path)
                if transit is not None and not reheat:
                    stop_volume = max(transit - lead_l, transit * MIN_PREDICTED_SHARE)
            elif transit is not None:
                stop_volume = max(transit - lead_l, transit * MIN_PREDICTED_SHARE, floor or 0.0)
            elif floor is not None and self._protects_cold_line(path):
                # Nothing learned yet and an appliance on the cold line: approach the front
                # from below (the configured volume) instead of learning it by overshooting.
                stop_volume = floor
            elif silent:
                stop_volume = self._purge_plan(name)[1]
        else:
            basis, stop_volume = self._purge_plan(name)
        self._ready.pop(name, None)
        self._cycles[name] = FixtureCycle(
            fixture=name,
            trigger=event.reason,
            started_at=now,
            target_c=target,
            deadline=now + max_run,
            basis=basis,
            detector=ArrivalDetector(
                target_c=target,
                onset_rise_c=s.onset_rise_c,
                onset_min_slope_c_per_s=s.onset_min_slope_c_per_s,
                start_c=start_c,
            ),
            valve=cycle_valve(s, name),
            opening_since=now,
            stop_volume_l=stop_volume,
            volume_limit_l=self._volume_limit(name),
            sensor_silent=silent,
            warm_network=basis is ArrivalBasis.SENSOR and warm,
        )
        self._auto.cycle_started(name, event.reason, now)
        out.append(
            CycleStarted(
                fixture=name,
                trigger=event.reason,
                target_c=target,
                max_run_s=max_run,
                arrival_basis=basis,
            )
        )

    def _on_stop(self, event: Stop, now: float, out: list[Command]) -> None:
        names = event.fixtures or tuple(self._cycles)
        for name in event.fixtures or tuple(self._deferred):
            self._deferred.pop(name, None)
        for name in names:
            if name in self._cycles:
                self._finish(name, Outcome.STOPPED, EndReason.STOP_REQUESTED, now, out)

    def _on_settings(self, event: SettingsChanged, now: float, out: list[Command]) -> None:
        errors = validate(event.settings)
        if errors:
            out.append(SettingsRejected(errors=errors))
            return
        self._deferred.clear()
        for name in list(self._cycles):
            self._finish(name, Outcome.STOPPED, EndReason.SETTINGS_CHANGED, now, out)
        had_pump = self._settings.topology.has_pump
        every_valve = list(dict.fromkeys((*self._valve_cmd, *valves(event.settings))))
        self._settings = event.settings
        self._valve_cmd = dict.fromkeys(valves(event.settings), False)
        self._pump_cmd = False
        names = set(event.settings.names)
        self._auto.forget(names)
        self._sensors = {k: v for k, v in self._sensors.items() if k[0] in names}
        self._ready = {k: v for k, v in self._ready.items() if k in names}
        self._last = {k: v for k, v in self._last.items() if k in names}
        kept = set(self._valve_cmd) | ({PUMP} if event.settings.topology.has_pump else set())
        self._valve_reported = {k: v for k, v in self._valve_reported.items() if k in kept}
        self._reported_at = {k: v for k, v in self._reported_at.items() if k in kept}
        self._mismatch_since = {k: v for k, v in self._mismatch_since.items() if k in kept}
        if not event.settings.topology.has_pump:
            self._pump_reported = None
        # the old and the new hardware both end safe: pump off first, then every valve closed
        out.extend(
            ordered_commands(
                pump_was=had_pump or event.settings.topology.has_pump,
                pump_now=False,
                valves_were=dict.fromkeys(every_valve, True),
                valves_now=dict.fromkeys(every_valve, False),
            )
        )

    def _on_mode(self, event: ModeChanged, now: float, out: list[Command]) -> None:
        self._mode = event.mode
        self._resume_mode = None
        self._auto.invalidate()
        if not policy(event.mode).accepts_start:
            self._deferred.clear()
        if not policy(event.mode).keeps_cycles:
            for name in list(self._cycles):
                self._finish(name, Outcome.STOPPED, EndReason.MODE_OFF, now, out)

    # ----------------------------------------------------------------- deadlines

    def _check(self, now: float, out: list[Command]) -> None:
        s = self._settings
        self._update_phases(now)
        for name, cycle in list(self._cycles.items()):
            if (
                cycle.phase is Phase.OPENING
                and now - cycle.opening_since >= s.valve_confirm_timeout_s
            ):
                out.append(Fault(kind=FaultKind.VALVE_NOT_CONFIRMED, detail=cycle.valve or name))
                self._finish(name, Outcome.FAULT, EndReason.VALVE_TIMEOUT, now, out)
        pump_since = self._mismatch_since.get(PUMP)
        if (
            self._pump_cmd
            and pump_since is not None
            and now - pump_since >= s.pump_confirm_timeout_s
            and self._cycles
        ):
            out.append(Fault(kind=FaultKind.PUMP_NOT_CONFIRMED, detail=PUMP))
            for name in list(self._cycles):
                self._finish(name, Outcome.FAULT, EndReason.PUMP_TIMEOUT, now, out)
        self._check_stuck(now, out)
        hot = self._limit_reached(now)
        for name, cycle in list(self._cycles.items()):
            stop = cycle.stop_volume_l
            if (
                stop is not None
                and cycle.phase is Phase.RUNNING
                and cycle.volume_l >= stop - VOLUME_EPSILON_L
            ):
                reason = (
                    EndReason.PREDICTED
                    if cycle.basis is ArrivalBasis.SENSOR and not cycle.sensor_silent
                    else EndReason.PURGE_COMPLETE
                )
                self._finish(name, Outcome.READY, reason, now, out)
            elif name in hot:
                self._finish(name, Outcome.READY, EndReason.COLD_LINE_LIMIT, now, out)
            elif cycle.volume_limit_l is not None and cycle.volume_l >= cycle.volume_limit_l:
                self._finish(name, Outcome.TIMED_OUT, EndReason.VOLUME_LIMIT, now, out)
            elif now >= cycle.deadline:
                self._finish(name, Outcome.TIMED_OUT, EndReason.MAX_RUN_TIME, now, out)
        if self._cycles and self._cap_reached(now):
            for name in list(self._cycles):
                self._finish(name, Outcome.TIMED_OUT, EndReason.DAILY_CAP, now, out)
        self._check_blind(now, out)
        self._check_ready(now)
        if self._cooldown_until is not None and now >= self._cooldown_until:
            self._cooldown_until = None
            deferred, self._deferred = self._deferred, {}
            for start in dict.fromkeys(deferred.values()):
                names = tuple(n for n, s in deferred.items() if s is start)
                self._start_fixtures(replace(start, fixtures=names), names, now, out)

    def _lost_sensor(self, cycle: FixtureCycle, now: float) -> str | None:
        """The sensor (``fixture:line``) a cycle has lost with nothing else to go on, if any.

        The hot pipe's with no volume to finish on (``ArrivalBasis.NONE``); the cold line's
        where it guards the valve's cold-line limit (it reported before and is not believed).
        """
        s = self._settings
        if cycle.basis is ArrivalBasis.NONE:
            return f"{s.path(cycle.fixture)}:{Line.HOT}"
        fx = s.fixture(cycle.valve) if cycle.valve else None
        if (
            fx is None
            or s.topology is Topology.RETURN_LINE
            or not fx.has_cold_sensor
            or fx.cold_line_limit_c is None
        ):
            return None
        track = self._sensors.get((fx.name, Line.COLD))
        if track is None or track.believed(now, s.sensor_stale_after_s) is not None:
            return None
        return f"{fx.name}:{Line.COLD}"

    def _check_blind(self, now: float, out: list[Command]) -> None:
        """A cycle with no believed sensor left ends after ``sensor_grace_s`` (fail safe)."""
        for name, cycle in list(self._cycles.items()):
            lost = self._lost_sensor(cycle, now)
            if lost is None:
                cycle.blind_since = None
                continue
            if cycle.blind_since is None:
                cycle.blind_since = now
            if now >= cycle.blind_since + self._settings.sensor_grace_s:
                out.append(Fault(kind=FaultKind.SENSOR_LOST, detail=lost))
                self._finish(name, Outcome.FAULT, EndReason.SENSOR_LOST, now, out)

    def _check_stuck(self, now: float, out: list[Command]) -> None:
        """An actuator that stays on/open against an off/closed command: fault and resend."""
        s = self._settings
        for key, since in list(self._mismatch_since.items()):
            commanded = self._pump_cmd if key == PUMP else self._valve_cmd.get(key, False)
            reported = self._pump_reported if key == PUMP else self._valve_reported.get(key)
            if commanded or reported is not ActuatorReading.ON:
                continue
            timeout = s.pump_confirm_timeout_s if key == PUMP else s.valve_confirm_timeout_s
            if now - since >= timeout:
                kind = (
                    FaultKind.PUMP_NOT_CONFIRMED if key == PUMP else FaultKind.VALVE_NOT_CONFIRMED
                )
                out.append(Fault(kind=kind, detail=key))
                self._stuck.add(key)
                self._resend.add(key)
                self._mismatch_since[key] = now

    def _check_ready(self, now: float) -> None:
        s = self._settings
        for name, ready in list(self._ready.items()):
            fx = s.fixture(name)
            if fx is None:
                del self._ready[name]
                continue
            if ready.hold_until is not None and now >= ready.hold_until:
                del self._ready[name]
                continue
            if ready.predicted and not ready.confirmed and now >= ready.confirm_until:
                self._grow_transit(name, ready)
                del self._ready[name]
                continue
            if now < ready.settle_until:
                continue
            value = self._believed(name, Line.HOT, now)
            if value is not None and value < fx.target_c - s.ready_hysteresis_c:
                del self._ready[name]
            elif value is None and ready.hold_until is None:
                ready.hold_until = ready.since + fx.ready_hold_s
                if now >= ready.hold_until:
                    del self._ready[name]

    # ----------------------------------------------------------------- ending cycles

    def _finish(
        self, name: str, outcome: Outcome, reason: EndReason, now: float, out: list[Command]
    ) -> None:
        cycle = self._cycles.pop(name)
        fx = self._settings.fixture(name)
        detector = cycle.detector
        start_c, peak_c = detector.start_c, detector.peak_c
        rise = peak_c - start_c if peak_c is not None and start_c is not None else 0.0
        figures = CycleFigures(
            trigger=cycle.trigger,
            started_at=cycle.started_at,
            ended_at=now,
            end_reason=reason,
            arrival_basis=cycle.basis,
            time_to_hot_s=now - cycle.started_at if outcome is Outcome.READY else None,
            pump_run_s=cycle.pump_run_s,
            litres_moved=cycle.volume_l,
            heat_moved_kwh=cycle.volume_l * KWH_PER_LITRE_KELVIN * max(rise, 0.0),
            start_c=start_c,
            peak_c=peak_c,
            transit_l=cycle.transit_l,
        )
        self._last[name] = LastCycle(outcome=outcome, figures=figures)
        totals = self._learned.totals
        self._learned = replace(
            self._learned,
            totals=replace(
                totals,
                cycles=totals.cycles + 1,
                litres_moved=totals.litres_moved + cycle.share_l,
                heat_moved_kwh=totals.heat_moved_kwh
                + cycle.share_l * KWH_PER_LITRE_KELVIN * max(rise, 0.0),
            ),
        )
        self._learned_dirty = True
        if outcome is Outcome.READY and fx is not None:
            sensor = cycle.basis is ArrivalBasis.SENSOR and not cycle.sensor_silent
            self._ready[name] = _Ready(
                since=now,
                settle_until=now + self._settings.ready_settle_s,
                hold_until=None if sensor else now + fx.ready_hold_s,
                predicted=reason is EndReason.PREDICTED
                and self._settings.path(name) == name
                and not cycle.warm_network,
                baseline_c=detector.lowest_c,
                confirm_until=now + self._settings.ready_settle_s,
                stop_volume_l=cycle.volume_l,
                lead_l=flow_lpm(self._settings, name) * (fx.sensor_lead_s if fx else 0.0) / 60.0,
            )
        if not self._cycles:
            self._cooldown_until = now + self._settings.cooldown_s
        self._auto.cycle_finished(
            name,
            ready=outcome is Outcome.READY,
            sensor=cycle.basis is ArrivalBasis.SENSOR
            and not cycle.sensor_silent
            and self._settings.path(name) == name,
            now=now,
            settings=self._settings,
        )
        out.append(CycleFinished(fixture=name, outcome=outcome, figures=figures))

    # ----------------------------------------------------------------- automatic cycles

    def _switch(self, switched: ModeSwitched, out: list[Command]) -> None:
        """The engine switches the mode itself (vacation and back)."""
        self._mode = switched.mode
        self._resume_mode = switched.resume_mode
        self._auto.invalidate()
        out.append(switched)

    def _note_usage(self, name: str, at: float, hit: bool | None) -> None:
        if self._mode is Mode.OFF:
            return
        data = self._auto.record_usage(name, at, hit=hit, learned=self._learned)
        if data is not None:
            self._learned = data
            self._learned_dirty = True

    def _hit(self, name: str, before_c: float | None) -> bool:
        """Whether a draw at ``name`` found the water hot (ready, or the pipe in the band)."""
        fx = self._settings.fixture(name)
        if name in self._ready or fx is None:
            return name in self._ready
        return before_c is not None and before_c >= fx.target_c - self._settings.ready_hysteresis_c

    def _auto_reading(self, fx: FixtureSettings, value: float, at: float) -> None:
        """A believed reading of ``fx``'s own hot-pipe sensor: cooling time, draw detection."""
        name = fx.name
        quiet = not self._cycles and not self._pump_running()
        changed, base = self._auto.reading(
            fx, value, at, quiet=quiet, settings=self._settings, learned=self._learned
        )
        if changed is not None:
            self._learned = changed
            self._learned_dirty = True
        if base is not None:
            self._note_usage(name, at, self._hit(name, base))

    def _on_draw(self, event: DrawObserved, now: float) -> None:
        fx = self._settings.fixture(event.fixture)
        if fx is None or not fx.has_draw_sensor:
            return
        at = min(event.at, now) if math.isfinite(event.at) else now
        path = self._settings.path(fx.name)
        before = self._auto.before(path, at)
        if before is None:
            before = self._believed(path, Line.HOT, now)
        self._note_usage(fx.name, at, self._hit(fx.name, before))

    def _automatic(self, now: float, out: list[Command]) -> None:
        """Vacation, expired pre-heats, and the cycles the engine starts by itself."""
        s = self._settings
        switched = self._auto.check_vacation(now, self._mode, s)
        if switched is not None:
            self._switch(switched, out)
        if self._auto.has_open_preheats:
            expired = self._auto.expire_preheats(
                now, self._learned, busy=set(self._cycles) | set(self._ready)
            )
            if expired is not None:
                self._learned = expired
                self._learned_dirty = True
        self._auto.clear_times()
        self._auto_retry = None
        rules = policy(self._mode)
        if self._shut_down or not (
            rules.keep_warm
            or rules.predictive
            or (rules.freeze_protection and s.freeze_protect_c is not None)
        ):
            return
        busy_paths = {s.path(name) for name in self._cycles}
        # a fixture refused in this very step is not started by the engine in the same breath
        refused = {f for c in out if isinstance(c, Refused) for f in c.fixtures}
        for fx in s.fixtures:
            name = fx.name
            path = s.path(name)
            if name in self._cycles or path in busy_paths or name in refused:
                continue
            pipe_c = self._believed(path, Line.HOT, now)
            path_fx = s.fixture(path)
            facts = Facts(
                pipe_c=pipe_c,
                own_c=pipe_c if path == name else self._believed(name, Line.HOT, now),
                cold_c=self._believed(name, Line.COLD, now),
                ready=name in self._ready,
                awaiting_sensor=path_fx is not None
                and path_fx.has_sensor
                and (path, Line.HOT) not in self._sensors,
            )
            reason = self._auto.wanted(
                fx, facts, now, mode=self._mode, settings=s, learned=self._learned
            )
            if reason is not None and self._auto_start(name, reason, now, out):
                busy_paths.add(path)

    def _auto_start(self, name: str, reason: TriggerReason, now: float, out: list[Command]) -> bool:
        """Start an automatic cycle if every rule allows it now; else it waits (no refusal)."""
        s = self._settings
        if not self._cycles and self._cooldown_until is not None and now < self._cooldown_until:
            return False  # the cooldown's end is a wakeup
        if self._cap_reached(now):
            self._auto_retry = self._cap_free_at(now)
            return False
        if s.topology.has_pump and self._pump_reported is ActuatorReading.UNAVAILABLE:
            return False  # retried when the pump reports again
        valve = cycle_valve(s, name)
        if valve is not None and self._valve_reported.get(valve) is ActuatorReading.UNAVAILABLE:
            return False
        self._begin(name, Start(fixtures=(name,), reason=reason), now, out)
        if reason is TriggerReason.PREDICTION:
            self._learned = self._auto.preheat_started(name, now, self._learned)
            self._learned_dirty = True
        return True

    # ----------------------------------------------------------------- wakeups and views

    def _next_wakeup(self, now: float) -> float | None:
        s = self._settings
        times: list[float] = []
        rates = self._rates()
        for name, cycle in self._cycles.items():
            times.append(cycle.deadline)
            if cycle.blind_since is not None:
                times.append(cycle.blind_since + s.sensor_grace_s)
            if cycle.phase is Phase.OPENING:
                times.append(cycle.opening_since + s.valve_confirm_timeout_s)
            rate = rates.get(name, 0.0)
            for volume in (cycle.stop_volume_l, cycle.volume_limit_l):
                if volume is not None and rate > 0:
                    left = max(volume - cycle.volume_l, 0.0)
                    times.append(now + left / rate * 60.0)
        for key, since in self._mismatch_since.items():
            commanded = self._pump_cmd if key == PUMP else self._valve_cmd.get(key, False)
            reported = self._pump_reported if key == PUMP else self._valve_reported.get(key)
            if key == PUMP and commanded:
                times.append(since + s.pump_confirm_timeout_s)
            elif not commanded and reported is ActuatorReading.ON:
                timeout = s.pump_confirm_timeout_s if key == PUMP else s.valve_confirm_timeout_s
                times.append(since + timeout)
        if self._cycles and s.topology.has_pump and self._pump_running():
            times.append(now + max(s.daily_pump_cap_s - self._pump_used(now), 0.0))
        if self._cooldown_until is not None:
            times.append(self._cooldown_until)
        times.extend(self._auto.wakeups(now, self._mode, s))
        if self._auto_retry is not None:
            times.append(self._auto_retry)
        for ready in self._ready.values():
            if ready.predicted and not ready.confirmed and now < ready.confirm_until:
                times.append(ready.confirm_until)
            if now < ready.settle_until:
                times.append(ready.settle_until)
            if ready.hold_until is not None:
                times.append(ready.hold_until)
        # Every check fires at its deadline (>=), so a deadline at ``now`` has been dealt with;
        # asking for a wakeup at ``now`` again could only repeat this step.
        future = [t for t in times if t > now]
        return min(future) if future else None

    def _fixture_snapshot(self, name: str, now: float) -> FixtureSnapshot:
        fx = self._settings.fixture(name)
        assert fx is not None  # noqa: S101 - name comes from the settings
        cycle = self._cycles.get(name)
        last = self._last.get(name)
        if cycle is not None:
            state = (
                FixtureState.WAITING_FOR_VALVE
                if cycle.phase is Phase.OPENING
                else FixtureState.HEATING
            )
        elif name in self._deferred:
            state = FixtureState.QUEUED
        elif name in self._ready:
            state = FixtureState.READY
        elif last is not None and last.outcome is Outcome.FAULT:
            state = FixtureState.FAULT
        else:
            state = FixtureState.IDLE
        has_own_valve = name in self._valve_cmd
        learning = self._learned.fixture(name)
        track = self._sensors.get((name, Line.HOT))
        ready = self._ready.get(name)
        return FixtureSnapshot(
            name=name,
            state=state,
            temperature_c=self._believed(name, Line.HOT, now),
            cold_temperature_c=self._believed(name, Line.COLD, now),
            sensor_ok=fx.has_sensor
            and track is not None
            and track.believed(now, self._settings.sensor_stale_after_s) is not None,
            valve_open_commanded=self._valve_cmd[name] if has_own_valve else None,
            valve_reported=self._valve_reported.get(name) if has_own_valve else None,
            ready_until=ready.hold_until if ready else None,
            last_cycle=last,
            learned_transit_l=learning.transit_l,
            transit_samples=len(learning.transit_samples),
            keep_warm=fx.keep_warm,
        )

    def _installation_state(self, now: float) -> InstallationState:
        if self._shut_down or not policy(self._mode).accepts_start:
            return InstallationState.OFF
        if self._cycles:
            return InstallationState.HEATING
        unavailable = self._pump_reported is ActuatorReading.UNAVAILABLE or any(
            state is ActuatorReading.UNAVAILABLE for state in self._valve_reported.values()
        )
        last_fault = any(last.outcome is Outcome.FAULT for last in self._last.values())
        if unavailable or self._stuck or last_fault:
            return InstallationState.FAULT
        if self._cooldown_until is not None and now < self._cooldown_until:
            return InstallationState.COOLDOWN
        if self._ready:
            return InstallationState.READY
        return InstallationState.IDLE
