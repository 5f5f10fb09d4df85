"""A small rig that drives the engine like a host with instantly (or never) confirming hardware."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
import os

from hypothesis import HealthCheck, settings

from custom_components.zero_cold_water.engine import (
    Actuator,
    ActuatorReading,
    ActuatorState,
    Command,
    Controller,
    CycleFinished,
    Event,
    FixtureSettings,
    InstallationSettings,
    LearnedData,
    Mode,
    ScheduleWakeup,
    SetPump,
    SetValve,
    Startup,
    TemperatureReading,
    Tick,
    Topology,
)


def cold_line(*names: str, **overrides: object) -> InstallationSettings:
    """A cold-line installation with a valve, pipe sensor and cold sensor at each fixture."""
    fixtures = tuple(
        FixtureSettings(name=n, has_cold_sensor=True, cold_line_limit_c=45.0) for n in names
    )
    return InstallationSettings(
        topology=Topology.COLD_LINE,
        fixtures=fixtures or (FixtureSettings(name="basin", cold_line_limit_c=45.0),),
        pump_flow_lpm=6.0,
        **overrides,  # type: ignore[arg-type]
    )


def return_line(*names: str, junction: bool = False) -> InstallationSettings:
    """A return-line installation, no fixture valves."""
    return InstallationSettings(
        topology=Topology.RETURN_LINE,
        fixtures=tuple(FixtureSettings(name=n, has_valve=False) for n in names or ("far",)),
        pump_flow_lpm=6.0,
        junction_valve=junction,
    )


def drain(*names: str) -> InstallationSettings:
    """A drain installation: a drain valve at each fixture, no pump."""
    return InstallationSettings(
        topology=Topology.DRAIN,
        fixtures=tuple(FixtureSettings(name=n, tap_flow_lpm=8.0) for n in names or ("sink",)),
    )


@dataclass
class Rig:
    """Drives a controller; ``confirm`` makes the hardware report each command at once."""

    settings: InstallationSettings
    learned: LearnedData | None = None
    mode: Mode = Mode.ON_DEMAND
    confirm: bool = True
    now: float = 0.0
    log: list[tuple[float, Command]] = field(default_factory=list)
    wakeup: float | None = None
    pump_on: bool = False
    valves: dict[str, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Create the controller (and its full-pass twin) and start it up."""
        self.c = Controller(self.settings, learned=self.learned, mode=self.mode)
        self.twin = Controller(
            self.settings, learned=self.learned, mode=self.mode, quiet_readings=False
        )
        """Takes every event with the full pass: quiet readings must not show (test_quiet_readings)."""
        self.send(Startup())

    def send(self, event: Event, at: float | None = None) -> list[Command]:
        """Handle ``event`` at ``at`` (default: now); confirm actuator commands if asked."""
        if at is not None:
            self.now = max(self.now, at)
        out = self.c.handle(event, self.now)
        assert out == self.twin.handle(event, self.now), event
        assert self.c.snapshot() == self.twin.snapshot(), event
        result = list(out)
        self._note(out)
        if self.confirm:
            for cmd in out:
                result.extend(self._report(cmd))
        return result

    def _note(self, out: Iterable[Command]) -> None:
        for cmd in out:
            self.log.append((self.now, cmd))
            if isinstance(cmd, ScheduleWakeup):
                self.wakeup = cmd.at
            elif isinstance(cmd, SetPump):
                self.pump_on = cmd.on
            elif isinstance(cmd, SetValve):
                self.valves[cmd.fixture] = cmd.open

    def _report(self, cmd: Command) -> list[Command]:
        report = echo(cmd, self.now)
        return [] if report is None else self.send(report)

    def read(self, fixture: str, celsius: float | None, at: float | None = None) -> list[Command]:
        """A pipe-sensor report at ``at``."""
        at = self.now if at is None else at
        return self.send(TemperatureReading(fixture=fixture, celsius=celsius, at=at), at)

    def run_until(self, until: float) -> list[Command]:
        """Deliver every wakeup the engine asks for up to ``until``, then a tick at ``until``."""
        out: list[Command] = []
        while self.wakeup is not None and self.wakeup <= until:
            out.extend(self.send(Tick(), self.wakeup))
        out.extend(self.send(Tick(), until))
        return out

    def finished(self) -> list[CycleFinished]:
        """Every CycleFinished so far."""
        return [c for _, c in self.log if isinstance(c, CycleFinished)]


def echo(cmd: Command, at: float) -> ActuatorState | None:
    """The report of hardware that confirms ``cmd`` at once (None: not an actuator command)."""
    if isinstance(cmd, SetPump):
        state = ActuatorReading.ON if cmd.on else ActuatorReading.OFF
        return ActuatorState(actuator=Actuator.PUMP, state=state, at=at)
    if isinstance(cmd, SetValve):
        state = ActuatorReading.ON if cmd.open else ActuatorReading.OFF
        return ActuatorState(actuator=Actuator.VALVE, fixture=cmd.fixture, state=state, at=at)
    return None


def of_type[T](out: Iterable[object], kind: type[T]) -> list[T]:
    """The items of ``out`` of type ``kind``."""
    return [c for c in out if isinstance(c, kind)]


settings.register_profile(
    "zcw-engine",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "zcw-engine-thorough",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def profile() -> settings:
    """The hypothesis profile of the engine's property tests, applied per test.

    Not loaded globally, so other test folders keep theirs; ``ZCW_ENGINE_PROFILE=thorough``
    runs many more examples.
    """
    thorough = os.environ.get("ZCW_ENGINE_PROFILE") == "thorough"
    return settings.get_profile("zcw-engine-thorough" if thorough else "zcw-engine")
