"""Running cycles: starting and ending them, their readings, their deadlines, the cooldown.

Every change of a fixture's state goes through ``fixtures.py``; this module decides when (a
valve that reports open, a front that arrives, a deadline that passes, water that cools).
"""

from __future__ import annotations

from dataclasses import dataclass

from .accounting import Accounting
from .arrival import ArrivalDetector, Signal
from .automatic import Automatic
from .commands import (
    ArrivalBasis,
    Command,
    CycleFinished,
    CycleStarted,
    EndReason,
    Fault,
    FaultKind,
    Outcome,
)
from .config import Topology
from .cycle import FixtureCycle
from .events import Line, Start
from .fixtures import HEATING, WAITING, Fixtures
from .hardware import PUMP, Hardware
from .planning import (
    early_onset,
    fall_back,
    grow_transit,
    learn_transit,
    plan,
    readiness,
    volume_limit,
)
from .site import Site
from .snapshot import LastCycle
from .topology import cycle_valve

VOLUME_EPSILON_L = 1e-6
"""Volumes this close count as reached (time steps below it vanish at wall-clock epochs)."""


@dataclass(eq=False)
class Cycles:
    """The cycles of one installation and the cooldown after them (internal, mutable)."""

    site: Site
    fixtures: Fixtures
    hardware: Hardware
    accounting: Accounting
    auto: Automatic
    cooldown_until: float | None = None
    """After the last cycle ended, new starts wait until then."""

    def running(self) -> list[FixtureCycle]:
        """The running cycles, in the order they started."""
        return [r.cycle for r in self.fixtures.running() if r.cycle is not None]

    def in_cooldown(self, now: float) -> bool:
        """Whether a start must wait: the last cycle ended moments ago and none runs."""
        return (
            not self.fixtures.any_running
            and self.cooldown_until is not None
            and now < self.cooldown_until
        )

    # ------------------------------------------------------------- start and end

    def begin(self, name: str, event: Start, now: float, out: list[Command]) -> None:
        """Start a cycle for ``name`` (admitted: see ``admission.py``)."""
        s = self.site.settings
        target = self.site.target(name, event.target_c)
        max_run = min(event.max_run_s, s.max_run_s) if event.max_run_s else s.max_run_s
        how = plan(self.site, name, event.reason, now)
        self.fixtures.start(
            FixtureCycle(
                fixture=name,
                trigger=event.reason,
                started_at=now,
                deadline=now + max_run,
                basis=how.basis,
                detector=ArrivalDetector(
                    target_c=target,
                    onset_rise_c=s.onset_rise_c,
                    onset_min_slope_c_per_s=s.onset_min_slope_c_per_s,
                    start_c=how.start_c,
                ),
                valve=cycle_valve(s, name),
                opening_since=now,
                stop_volume_l=how.stop_volume_l,
                volume_limit_l=volume_limit(self.site, name),
                sensor_silent=how.silent,
                warm_network=how.warm,
            )
        )
        self.auto.cycle_started(name, event.reason, now)
        out.append(
            CycleStarted(
                fixture=name,
                trigger=event.reason,
                target_c=target,
                max_run_s=max_run,
                arrival_basis=how.basis,
            )
        )

    def finish(
        self, name: str, outcome: Outcome, reason: EndReason, now: float, out: list[Command]
    ) -> None:
        """End ``name``'s cycle: its figures, the totals, its readiness, the cooldown."""
        site = self.site
        record = self.fixtures[name]
        cycle = record.cycle
        assert cycle is not None  # noqa: S101 - callers pass running fixtures
        figures = self.accounting.close(cycle, outcome, reason, now)
        ready = outcome is Outcome.READY
        self.fixtures.finish(
            name,
            LastCycle(outcome=outcome, figures=figures),
            readiness(site, cycle, reason, now) if ready else None,
        )
        if not self.fixtures.any_running:
            self.cooldown_until = now + site.settings.cooldown_s
        self.auto.cycle_finished(
            name,
            ready=ready,
            sensor=cycle.sensed and site.settings.path(name) == name,
            now=now,
            settings=site.settings,
        )
        out.append(CycleFinished(fixture=name, outcome=outcome, figures=figures))

    def finish_all(
        self, outcome: Outcome, reason: EndReason, now: float, out: list[Command]
    ) -> None:
        """End every running cycle."""
        for cycle in self.running():
            self.finish(cycle.fixture, outcome, reason, now, out)

    def stop(self, names: tuple[str, ...], now: float, out: list[Command]) -> None:
        """A ``Stop``: end the cycles of ``names`` (every cycle when empty)."""
        for name in names or tuple(c.fixture for c in self.running()):
            if self.fixtures.is_running(name):
                self.finish(name, Outcome.STOPPED, EndReason.STOP_REQUESTED, now, out)

    # ------------------------------------------------------------- readings

    def reading(
        self, fixture: str, value: float | None, at: float, now: float, out: list[Command]
    ) -> None:
        """A report of ``fixture``'s hot-pipe sensor (``value``: believed now, or None)."""
        for record in self.fixtures.running():
            if self.site.settings.path(record.name) == fixture:
                self._feed(record.name, value, at, now, out)
        ready = self.fixtures[fixture].readiness
        if (
            ready is not None
            and value is not None
            and ready.baseline_c is not None
            and now <= ready.confirm_until
            and value - ready.baseline_c >= self.site.settings.onset_rise_c
        ):
            ready.confirmed = True

    def _feed(
        self, name: str, value: float | None, at: float, now: float, out: list[Command]
    ) -> None:
        """Give a running cycle a reading of the sensor on its path."""
        record = self.fixtures[name]
        cycle = record.cycle
        assert cycle is not None  # noqa: S101 - only running cycles are fed
        if value is None:
            if cycle.basis is ArrivalBasis.SENSOR:
                fall_back(self.site, cycle)
            return
        if cycle.basis is ArrivalBasis.NONE:
            cycle.basis = ArrivalBasis.SENSOR  # the sensor is back: no longer blind
        signal = cycle.detector.feed(value, at, cycle.flow_since)
        if signal is None or (signal is Signal.ONSET and cycle.basis is not ArrivalBasis.SENSOR):
            return
        early = early_onset(self.site, cycle)
        if signal is Signal.ONSET and early:
            return
        if record.state is HEATING and cycle.flow_since is not None and not early:
            learn_transit(self.site, cycle)
        reason = EndReason.THRESHOLD if signal is Signal.THRESHOLD else EndReason.ONSET
        self.finish(name, Outcome.READY, reason, now, out)

    # ------------------------------------------------------------- deadlines

    def check(self, now: float, out: list[Command]) -> bool:
        """Every deadline that is due, in a fixed order; True when the cooldown just ended."""
        self._check_valves(now, out)
        if self.hardware.pump_overdue(now) and self.fixtures.any_running:
            out.append(Fault(kind=FaultKind.PUMP_NOT_CONFIRMED, detail=PUMP))
            self.finish_all(Outcome.FAULT, EndReason.PUMP_TIMEOUT, now, out)
        self.hardware.check_stuck(now, out)
        self._check_ends(now, out)
        if self.fixtures.any_running and self.accounting.cap_reached(now):
            self.finish_all(Outcome.TIMED_OUT, EndReason.DAILY_CAP, now, out)
        self._check_blind(now, out)
        self._check_ready(now)
        if self.cooldown_until is not None and now >= self.cooldown_until:
            self.cooldown_until = None
            return True
        return False

    def update_phases(self, now: float) -> None:
        """Each running cycle waits for its valve until it reports open, and again if it closes."""
        for record in self.fixtures.running():
            assert record.cycle is not None  # noqa: S101 - a running record holds its cycle
            confirmed = self.hardware.confirmed(record.cycle.valve)
            self.fixtures.valve(record, confirmed=confirmed, now=now)

    def _check_valves(self, now: float, out: list[Command]) -> None:
        """A cycle whose valve does not report open within its confirm timeout faults."""
        self.update_phases(now)
        timeout = self.site.settings.valve_confirm_timeout_s
        for record in self.fixtures.running():
            cycle = record.cycle
            assert cycle is not None  # noqa: S101 - a running record holds its cycle
            if record.state is WAITING and now - cycle.opening_since >= timeout:
                out.append(
                    Fault(kind=FaultKind.VALVE_NOT_CONFIRMED, detail=cycle.valve or record.name)
                )
                self.finish(record.name, Outcome.FAULT, EndReason.VALVE_TIMEOUT, now, out)

    def _check_ends(self, now: float, out: list[Command]) -> None:
        """Stop volume, cold-line limit, volume limit, maximum run time: the first one ends it."""
        hot = self.site.limit_reached(now)
        for record in self.fixtures.running():
            name, cycle = record.name, record.cycle
            assert cycle is not None  # noqa: S101 - a running record holds its cycle
            stop = cycle.stop_volume_l
            if (
                stop is not None
                and record.state is HEATING
                and cycle.volume_l >= stop - VOLUME_EPSILON_L
            ):
                reason = EndReason.PREDICTED if cycle.sensed else EndReason.PURGE_COMPLETE
                self.finish(name, Outcome.READY, reason, now, out)
            elif name in hot:
                self.finish(name, Outcome.READY, EndReason.COLD_LINE_LIMIT, now, out)
            elif cycle.volume_limit_l is not None and cycle.volume_l >= cycle.volume_limit_l:
                self.finish(name, Outcome.TIMED_OUT, EndReason.VOLUME_LIMIT, now, out)
            elif now >= cycle.deadline:
                self.finish(name, Outcome.TIMED_OUT, EndReason.MAX_RUN_TIME, now, out)

    def _lost_sensor(self, cycle: FixtureCycle, now: float) -> str | None:
        """The sensor (``fixture:line``) a cycle has lost with nothing else to go on, if any.

        The hot pipe's with no volume to finish on (``ArrivalBasis.NONE``); the cold line's
        where it guards the valve's cold-line limit (it reported before and is not believed).
        """
        s = self.site.settings
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
        track = self.site.sensors.get((fx.name, Line.COLD))
        if track is None or track.believed(now, s.sensor_stale_after_s) is not None:
            return None
        return f"{fx.name}:{Line.COLD}"

    def _check_blind(self, now: float, out: list[Command]) -> None:
        """A cycle with no believed sensor left ends after ``sensor_grace_s`` (fail safe)."""
        for cycle in self.running():
            lost = self._lost_sensor(cycle, now)
            if lost is None:
                cycle.blind_since = None
                continue
            if cycle.blind_since is None:
                cycle.blind_since = now
            if now >= cycle.blind_since + self.site.settings.sensor_grace_s:
                out.append(Fault(kind=FaultKind.SENSOR_LOST, detail=lost))
                self.finish(cycle.fixture, Outcome.FAULT, EndReason.SENSOR_LOST, now, out)

    def _check_ready(self, now: float) -> None:
        """Readiness ends when the water cools (or its hold passes); an unconfirmed stop grows."""
        s = self.site.settings
        for record in self.fixtures.ready():
            name, ready = record.name, record.readiness
            assert ready is not None  # noqa: S101 - a ready record holds its readiness
            fx = s.fixture(name)
            assert fx is not None  # noqa: S101 - records follow the settings
            if ready.hold_until is not None and now >= ready.hold_until:
                self.fixtures.cooled(name)
                continue
            if ready.predicted and not ready.confirmed and now >= ready.confirm_until:
                grow_transit(self.site, name, ready)
                self.fixtures.cooled(name)
                continue
            if now < ready.settle_until:
                continue
            value = self.site.believed(name, Line.HOT, now)
            if value is not None and value < self.site.hot_band(name):
                self.fixtures.cooled(name)
            elif value is None and ready.hold_until is None:
                ready.hold_until = ready.since + fx.ready_hold_s
                if now >= ready.hold_until:
                    self.fixtures.cooled(name)

    def wakeups(self, now: float) -> list[float]:
        """The cycles' deadlines, the cooldown's end, the readiness checks."""
        s = self.site.settings
        times: list[float] = []
        running = self.fixtures.running()
        rates = self.accounting.rates(r.cycle for r in running if r.cycle is not None)
        for record in running:
            cycle = record.cycle
            assert cycle is not None  # noqa: S101 - a running record holds its cycle
            times.append(cycle.deadline)
            if cycle.blind_since is not None:
                times.append(cycle.blind_since + s.sensor_grace_s)
            if record.state is WAITING:
                times.append(cycle.opening_since + s.valve_confirm_timeout_s)
            rate = rates.get(record.name, 0.0)
            times.extend(
                now + max(volume - cycle.volume_l, 0.0) / rate * 60.0
                for volume in (cycle.stop_volume_l, cycle.volume_limit_l)
                if volume is not None and rate > 0
            )
        if self.cooldown_until is not None:
            times.append(self.cooldown_until)
        for record in self.fixtures.ready():
            ready = record.readiness
            assert ready is not None  # noqa: S101 - a ready record holds its readiness
            if ready.predicted and not ready.confirmed and now < ready.confirm_until:
                times.append(ready.confirm_until)
            if now < ready.settle_until:
                times.append(ready.settle_until)
            if ready.hold_until is not None:
                times.append(ready.hold_until)
        return times
