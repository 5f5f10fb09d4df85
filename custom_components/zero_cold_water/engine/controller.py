"""The controller: takes events with the current time, returns commands.

One :class:`Controller` runs one installation. It never performs I/O and has no clock of its own:
``handle(event, now)`` advances its notion of time to ``now`` (never backwards), applies the event
(:meth:`Controller._apply`, the one place every event goes through), then runs one pass in a fixed
order: the deadlines, the automatic cycles, the wanted hardware state, the learned data, the next
wakeup. The jobs themselves live in their own modules (docs/engine.md, "Shape").
"""

from __future__ import annotations

import math

from . import events as ev
from .accounting import Accounting
from .admission import Admission
from .automatic import AUTOMATIC_REASONS, Automatic
from .autopilot import Autopilot
from .commands import (
    Command,
    EndReason,
    LearnedDataChanged,
    ModeSwitched,
    Outcome,
    ScheduleWakeup,
    SettingsRejected,
)
from .config import InstallationSettings, check, validate
from .cycles import Cycles
from .fixtures import HEATING, Fixtures
from .hardware import Hardware
from .learning import LearnedData
from .modes import Mode, policy
from .quiet import Quiet
from .site import Site
from .snapshot import Snapshot
from .views import Parts, earliest, snapshot


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
        site = self._site = Site(check(settings), learned if learned is not None else LearnedData())
        self._mode = mode
        self._resume_mode = resume_mode
        self._now: float | None = None
        self._started = False
        self._shut_down = False
        self._wakeup: float | None = None
        auto = self._auto = Automatic()
        fixtures = self._fixtures = Fixtures(settings.names)
        hardware = self._hardware = Hardware(site)
        accounting = self._accounting = Accounting(site, hardware)
        cycles = self._cycles = Cycles(site, fixtures, hardware, accounting, auto)
        self._admission = Admission(site, fixtures, hardware, accounting, cycles)
        self._autopilot = Autopilot(site, fixtures, hardware, self._admission, auto)
        self._quiet = Quiet(site, fixtures, auto, enabled=quiet_readings)
        self._parts = Parts(site, fixtures, hardware, accounting, cycles, auto)

    @property
    def settings(self) -> InstallationSettings:
        """The settings in force."""
        return self._site.settings

    @property
    def learned(self) -> LearnedData:
        """The learned data to persist (also sent as ``LearnedDataChanged`` when it changes)."""
        return self._site.learned

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
        fixtures' ``temperature_c`` / ``cold_temperature_c`` (a quiet reading: ``quiet.py``);
        a host that shows none of these need not build a snapshot.
        """
        return self._quiet.revision

    def handle(self, event: ev.Event, now: float) -> list[Command]:
        """Apply ``event`` at time ``now``; return the commands to carry out, in order."""
        if not math.isfinite(now) or (self._now is not None and now < self._now):
            now = self._now if self._now is not None else 0.0  # time never goes backwards
        out: list[Command] = []
        if not self._started and not isinstance(event, ev.Startup | ev.Shutdown):
            out.extend(self._startup())
        if self._now is not None and now > self._now:
            self._accounting.accrue(self._now, now, self._cycles.running())
        self._now = now
        before = self._quiet.before(event, now, idle=self._idle(now))
        self._apply(event, now, out)
        if before is not None and self._quiet.after(before, now, out):
            return out  # empty: a quiet reading changes no decision (quiet.py)
        self._pass(now, out)
        return out

    def snapshot(self) -> Snapshot:
        """A read-only view for entities (as of the last handled event)."""
        return snapshot(
            self._parts,
            self._now if self._now is not None else 0.0,
            mode=self._mode,
            resume_mode=self._resume_mode,
            shut_down=self._shut_down,
            wakeup=self._wakeup,
        )

    def safety_violations(self) -> list[str]:
        """Every safety rule the commanded state breaks right now (empty when safe)."""
        cycle_valves = {c.valve for c in self._cycles.running() if c.valve}
        return self._hardware.violations(cycle_valves, self._now or 0.0)

    # ----------------------------------------------------------------- one event, one pass

    def _apply(self, event: ev.Event, now: float, out: list[Command]) -> None:
        """Apply one event (every event comes through here)."""
        mode = self._mode
        match event:
            case ev.Startup():
                self._cycles.finish_all(Outcome.STOPPED, EndReason.RESTARTED, now, out)
                out.extend(self._startup())
            case ev.Shutdown():
                self._shutdown(now, out)
            case ev.TemperatureReading():
                self._on_reading(event, now, out)
            case ev.ActuatorState():
                self._hardware.report(event, now)
            case ev.Start():
                self._on_start(event, now, out)
            case ev.Stop():
                self._admission.cancel(event.fixtures)
                self._cycles.stop(event.fixtures, now, out)
            case ev.SettingsChanged():
                self._on_settings(event, now, out)
            case ev.ModeChanged():
                self._mode, self._resume_mode = event.mode, None
                self._auto.invalidate()
                if not policy(event.mode).accepts_start:
                    self._admission.cancel()
                if not policy(event.mode).keeps_cycles:
                    self._cycles.finish_all(Outcome.STOPPED, EndReason.MODE_OFF, now, out)
            case ev.Presence():
                switched = self._auto.presence.on_presence(event.home, now, mode, self._resume_mode)
                if switched is not None:
                    self._switch(switched, out)
            case ev.ScheduleState():
                self._auto.presence.schedule_active = event.active
            case ev.DrawObserved():
                self._autopilot.draw(event, now, mode)
            case ev.LocalTime():
                self._auto.set_offset(event.utc_offset_s)
            case ev.ResetUsage():
                self._site.learn(self._auto.reset_usage(event.fixtures, self._site.learned))
            case ev.Tick():
                pass

    def _pass(self, now: float, out: list[Command]) -> None:
        """After an event: deadlines, automatic cycles, hardware, learned data, next wakeup."""
        if self._cycles.check(now, out):  # the cooldown is over
            self._admission.resume_queued(now, out)
        switched = self._auto.presence.check_vacation(now, self._mode, self._site.settings)
        if switched is not None:
            self._switch(switched, out)
        self._autopilot.run(now, self._mode, out, shut_down=self._shut_down)
        self._cycles.update_phases(now)
        running = self._fixtures.running()
        out.extend(
            self._hardware.reconcile(
                now,
                cycle_valves={r.cycle.valve for r in running if r.cycle and r.cycle.valve},
                running=any(r.state is HEATING for r in running),
                active=self._started and not self._shut_down,
                cap_reached=self._accounting.cap_reached(now),
            )
        )
        self._accounting.track_pump_run(now)
        self._cycles.update_phases(now)
        if self._site.learned_dirty:
            self._site.learned_dirty = False
            out.append(LearnedDataChanged(data=self._site.learned))
        wakeup = self._next_wakeup(now)
        if wakeup != self._wakeup:
            self._wakeup = wakeup
            out.append(ScheduleWakeup(at=wakeup))
        self._quiet.arm(now, out)

    def _next_wakeup(self, now: float) -> float | None:
        """The earliest time any part needs a look again."""
        times = [
            *self._cycles.wakeups(now),
            *self._hardware.wakeups(),
            *self._accounting.wakeups(now, running=self._fixtures.any_running),
            *self._auto.wakeups(now, self._mode, self._site.settings),
        ]
        if self._admission.retry_at is not None:
            times.append(self._admission.retry_at)
        return earliest(times, now)

    def _idle(self, now: float) -> bool:
        """Nothing runs, waits or is due: a reading may be quiet (``quiet.py``)."""
        return (
            (self._wakeup is None or now < self._wakeup)
            and not self._fixtures.any_running
            and not self._fixtures.any_queued
            and self._admission.retry_at is None
        )

    # ----------------------------------------------------------------- events

    def _startup(self) -> list[Command]:
        """Drive everything to the safe state, whatever was running before."""
        self._started = True
        self._shut_down = False
        return self._hardware.safe()

    def _shutdown(self, now: float, out: list[Command]) -> None:
        """End everything and leave the hardware safe; starts are refused until ``Startup``."""
        self._admission.cancel()
        self._cycles.finish_all(Outcome.STOPPED, EndReason.SHUTDOWN, now, out)
        out.extend(self._hardware.safe())
        self._started = True
        self._shut_down = True
        self._accounting.track_pump_run(now)

    def _on_reading(self, event: ev.TemperatureReading, now: float, out: list[Command]) -> None:
        """Track the sensor; a hot-pipe reading goes to the cycles and the automatic ones."""
        at = self._site.report(event, now, out)
        fx = self._site.settings.fixture(event.fixture)
        if at is None or fx is None or event.line is not ev.Line.HOT or not fx.has_sensor:
            return
        value = self._site.sensors[event.fixture, event.line].believed(
            now, self._site.settings.sensor_stale_after_s
        )
        self._cycles.reading(event.fixture, value, at, now, out)
        if value is not None:
            self._autopilot.reading(fx, value, at, self._mode)

    def _on_start(self, event: ev.Start, now: float, out: list[Command]) -> None:
        """A request: refused as a whole, or each fixture answered (``admission.py``)."""
        names = tuple(dict.fromkeys(event.fixtures))
        refused = self._admission.refusal(event, names, shut_down=self._shut_down, mode=self._mode)
        if refused is not None:
            out.append(refused)
            return
        if event.reason not in AUTOMATIC_REASONS:
            for name in names:
                self._autopilot.note_usage(name, now, None, self._mode)
        self._admission.start(event, names, now, out)

    def _on_settings(self, event: ev.SettingsChanged, now: float, out: list[Command]) -> None:
        """Valid new settings stop everything and close the old and the new valves."""
        errors = validate(event.settings)
        if errors:
            out.append(SettingsRejected(errors=errors))
            return
        self._admission.cancel()
        self._cycles.finish_all(Outcome.STOPPED, EndReason.SETTINGS_CHANGED, now, out)
        old = self._site.settings
        self._site.reconfigure(event.settings)
        self._fixtures.reconfigure(event.settings.names)
        self._auto.forget(set(event.settings.names))
        out.extend(self._hardware.reconfigure(old, event.settings))

    def _switch(self, switched: ModeSwitched, out: list[Command]) -> None:
        """The engine switches the mode itself (vacation and back)."""
        self._mode = switched.mode
        self._resume_mode = switched.resume_mode
        self._auto.invalidate()
        out.append(switched)
