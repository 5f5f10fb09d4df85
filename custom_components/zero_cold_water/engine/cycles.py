"""Running cycles: starting and ending them, their readings, their deadlines, the cooldown.

Every change of a fixture's state goes through ``fixtures.py``; this module decides when (a
valve that reports open, a front that arrives, a deadline that passes, water that cools).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

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
from .cycle import FixtureCycle
from .events import Line, Start
from .fixtures import HEATING, WAITING, Fixture, Fixtures
from .hardware import PUMP, Hardware
from .planning import (
    confirmed,
    early_front,
    early_onset,
    fall_back,
    learn_transit,
    no_heat,
    plan,
    readiness,
    unconfirmed,
    volume_limit,
)
from .site import Site
from .snapshot import LastCycle
from .topology import cycle_valve

VOLUME_EPSILON_L = 1e-6
"""Volumes this close count as reached (time steps below it vanish at wall-clock epochs)."""
FAILURES_FOR_FAULT = 2
"""Cycles in a row without the hot water they expected before ``Fault(no_heat)``."""


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
                probe=how.probe,
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
        """End ``name``'s cycle: its figures, the totals, its readiness, the cooldown.

        A stop on the predicted volume is reported once the sensor confirms it (or does not).
        """
        site = self.site
        cycle = self.fixtures[name].cycle
        assert cycle is not None  # noqa: S101 - callers pass running fixtures
        figures = self.accounting.close(cycle, outcome, reason, now)
        last = LastCycle(outcome=outcome, figures=figures)
        ready = outcome is Outcome.READY
        provisional = ready and cycle.sensed and reason in (EndReason.PREDICTED, EndReason.ONSET)
        if provisional:
            pending = readiness(site, cycle, now, onset=reason is EndReason.ONSET)
            pending.pending = figures
            self.fixtures.provisional(name, last, pending)
        else:
            self.fixtures.finish(name, last, readiness(site, cycle, now) if ready else None)
        if not self.fixtures.any_running:
            self.cooldown_until = now + site.settings.cooldown_s
        self.auto.cycle_finished(
            name,
            ready=ready,
            sensor=cycle.sensed and site.settings.path(name) == name,
            now=now,
            settings=site.settings,
        )
        if outcome is Outcome.NO_HEAT:
            self._failed(name, no_heat(site, name), out)
        if not provisional:
            out.append(CycleFinished(fixture=name, outcome=outcome, figures=figures))

    def _failed(self, name: str, failures: int, out: list[Command]) -> None:
        """Cycles keep ending without hot water: once per streak, say the heater does not fire."""
        if failures == FAILURES_FOR_FAULT:
            out.append(Fault(kind=FaultKind.NO_HEAT, detail=self.site.settings.path(name)))

    def _resolve(self, record: Fixture, *, hot: bool, out: list[Command]) -> None:
        """A predicted stop confirmed by the sensor (``hot``) or not: its cycle is reported."""
        ready = record.readiness
        assert ready is not None  # noqa: S101 - a confirming record holds its readiness
        assert ready.pending is not None  # noqa: S101 - and the figures it waits to report
        figures, ready.pending = ready.pending, None
        if hot:
            confirmed(self.site, record.name, ready)
            outcome = Outcome.READY
        else:
            if unconfirmed(self.site, record.name, ready):
                path = self.site.settings.path(record.name)
                self._failed(record.name, self.site.learned.fixture(path).failures, out)
            outcome, figures = Outcome.NOT_CONFIRMED, replace(figures, time_to_hot_s=None)
        self.fixtures.resolve(record.name, LastCycle(outcome=outcome, figures=figures))
        out.append(CycleFinished(fixture=record.name, outcome=outcome, figures=figures))

    def settle(self, out: list[Command]) -> None:
        """Shutdown or new settings: report every stop awaiting confirmation as it stands."""
        for record in self.fixtures.confirming():
            ready = record.readiness
            assert ready is not None  # noqa: S101 - a confirming record holds its readiness
            assert ready.pending is not None  # noqa: S101 - and the figures it waits to report
            figures, ready.pending = ready.pending, None
            self.fixtures.resolve(record.name, LastCycle(outcome=Outcome.READY, figures=figures))
            out.append(CycleFinished(fixture=record.name, outcome=Outcome.READY, figures=figures))

    def draw(self, fixture: str, now: float, out: list[Command]) -> None:
        """Someone opened the tap at ``fixture``: the cycles on its path stop.

        The draw brings the hot water along; the pump would only push it past the fixture.
        """
        path = self.site.settings.path(fixture)
        for record in self.fixtures.running():
            if self.site.settings.path(record.name) == path:
                self.finish(record.name, Outcome.STOPPED, EndReason.DRAW, now, out)

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
        s = self.site.settings
        for record in self.fixtures.running():
            if s.path(record.name) == fixture:
                self._feed(record.name, value, at, now, out)
        if value is None:
            return
        for record in self.fixtures.confirming():
            ready = record.readiness
            assert ready is not None  # noqa: S101 - a confirming record holds its readiness
            if (
                s.path(record.name) == fixture
                and ready.baseline_c is not None
                and now <= ready.confirm_until
                and value - ready.baseline_c >= s.onset_rise_c
            ):
                self._resolve(record, hot=True, out=out)

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
        if signal is Signal.ONSET and early and not early_front(self.site, cycle):
            return
        if record.state is HEATING and cycle.flow_since is not None and not early:
            cycle.transit_l = cycle.volume_l
            if signal is Signal.THRESHOLD:
                learn_transit(self.site, name, cycle.volume_l, warm=cycle.warm_network)
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
        self._check_ready(now, out)
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
                self.finish(name, self._give_up(cycle), EndReason.VOLUME_LIMIT, now, out)
            elif now >= cycle.deadline:
                self.finish(name, self._give_up(cycle), EndReason.MAX_RUN_TIME, now, out)

    @staticmethod
    def _give_up(cycle: FixtureCycle) -> Outcome:
        """A cycle that ran out: ``no_heat`` when its sensor saw the pipe not warm at all."""
        return Outcome.NO_HEAT if cycle.sensed and not cycle.detector.warmed else Outcome.TIMED_OUT

    def _check_blind(self, now: float, out: list[Command]) -> None:
        """A cycle with no believed sensor left ends after ``sensor_grace_s`` (fail safe)."""
        for cycle in self.running():
            lost = self.site.lost_sensor(cycle.fixture, cycle.valve, cycle.basis, now)
            if lost is None:
                cycle.blind_since = None
                continue
            if cycle.blind_since is None:
                cycle.blind_since = now
            if now >= cycle.blind_since + self.site.settings.sensor_grace_s:
                out.append(Fault(kind=FaultKind.SENSOR_LOST, detail=lost))
                self.finish(cycle.fixture, Outcome.FAULT, EndReason.SENSOR_LOST, now, out)

    def _check_ready(self, now: float, out: list[Command]) -> None:
        """A predicted stop unconfirmed in time fails; readiness ends when the water cools."""
        for record in self.fixtures.confirming():
            ready = record.readiness
            assert ready is not None  # noqa: S101 - a confirming record holds its readiness
            if now >= ready.confirm_until:
                self._resolve(record, hot=False, out=out)
        for record in self.fixtures.ready():
            name, ready = record.name, record.readiness
            assert ready is not None  # noqa: S101 - a ready record holds its readiness
            if ready.hold_until is not None and now >= ready.hold_until:
                self.fixtures.cooled(name)
                continue
            if now < ready.settle_until:
                continue
            value = self.site.believed(name, Line.HOT, now)
            if value is not None and value < self.site.hot_band(name):
                self.fixtures.cooled(name)
            elif value is None and ready.hold_until is None:
                fx = self.site.settings.fixture(name)
                assert fx is not None  # noqa: S101 - records follow the settings
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
        for record in self.fixtures.confirming():
            ready = record.readiness
            assert ready is not None  # noqa: S101 - a confirming record holds its readiness
            times.append(ready.confirm_until)
        for record in self.fixtures.ready():
            ready = record.readiness
            assert ready is not None  # noqa: S101 - a ready record holds its readiness
            if now < ready.settle_until:
                times.append(ready.settle_until)
            if ready.hold_until is not None:
                times.append(ready.hold_until)
        return times
