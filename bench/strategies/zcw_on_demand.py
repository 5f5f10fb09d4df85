"""This project's on-demand control: the Zero Cold Water engine behind the benchmark's contract.

A thin adapter: it maps ``HomeInfo`` to engine settings, observations to engine events, and engine
commands to wanted actuator states (``settings_for``, ``event_for``, ``want_for``: the only places
the two vocabularies meet). Everything else (valve-before-pump, arrival detection, learning, safety) is
the engine's, exactly as it runs inside Home Assistant.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from custom_components.zero_cold_water import engine
from simulator.control import (
    COLD_PREFIX,
    PUMP,
    VALVE_PREFIX,
    ActuatorReport,
    FixtureInfo,
    HomeInfo,
    Observation,
    SensorReport,
    Want,
    valve,
)

DEFAULT_VOLUME_L = 2.0
"""Hot-pipe volume assumed for a sensorless fixture the installer gave no volume for."""


def _serving_valve(home: HomeInfo) -> str | None:
    """The valve fixture with the largest configured volume (it serves valveless fixtures)."""
    with_valve = [f for f in home.fixtures if f.has_valve]
    if not with_valve:
        return None
    return max(with_valve, key=lambda f: f.configured_volume_l or 0.0).name


def _fixture(home: HomeInfo, info: FixtureInfo, serving: str | None) -> engine.FixtureSettings:
    topology = engine.Topology(home.topology)
    limit = info.cold_line_limit_c if topology is not engine.Topology.RETURN_LINE else None
    target = info.target_c if limit is None else min(info.target_c, limit)
    own_valve = topology is not engine.Topology.RETURN_LINE and info.has_valve
    volume = info.configured_volume_l
    if not info.has_pipe_sensor and volume is None:
        volume = DEFAULT_VOLUME_L
    return engine.FixtureSettings(
        name=info.name,
        has_sensor=info.has_pipe_sensor,
        has_cold_sensor=info.has_cold_sensor,
        has_valve=own_valve,
        served_by=None if own_valve or topology is engine.Topology.RETURN_LINE else serving,
        target_c=target,
        cold_line_limit_c=limit,
        tap_flow_lpm=info.tap_flow_lpm,
        configured_volume_l=volume,
    )


def settings_for(home: HomeInfo) -> engine.InstallationSettings:
    """Engine settings for what an installer knows about ``home``."""
    topology = engine.Topology(home.topology)
    serving = _serving_valve(home)
    return engine.InstallationSettings(
        topology=topology,
        fixtures=tuple(_fixture(home, f, serving) for f in home.fixtures),
        pump_flow_lpm=home.pump_flow_lpm if topology.has_pump else None,
    )


def _reason(text: str) -> engine.TriggerReason:
    try:
        return engine.TriggerReason(text)
    except ValueError:
        return engine.TriggerReason.REMOTE


def event_for(obs: Observation) -> engine.Event | None:
    """The engine event for what the simulated hardware reported (None: nothing the engine knows)."""
    if isinstance(obs, SensorReport):
        if obs.sensor.startswith(COLD_PREFIX):
            fixture, line = obs.sensor.removeprefix(COLD_PREFIX), engine.Line.COLD
        else:
            fixture, line = obs.sensor, engine.Line.HOT
        return engine.TemperatureReading(fixture=fixture, celsius=obs.celsius, at=obs.at, line=line)
    if isinstance(obs, ActuatorReport):
        state = engine.ActuatorReading.ON if obs.on else engine.ActuatorReading.OFF
        if obs.actuator == PUMP:
            return engine.ActuatorState(actuator=engine.Actuator.PUMP, state=state, at=obs.at)
        if obs.actuator.startswith(VALVE_PREFIX):
            fixture = obs.actuator.removeprefix(VALVE_PREFIX)
            return engine.ActuatorState(
                actuator=engine.Actuator.VALVE, fixture=fixture, state=state, at=obs.at
            )
        return None
    return engine.Start(fixtures=(obs.fixture,), reason=_reason(obs.reason))


def want_for(command: engine.Command) -> Want | None:
    """The actuator state an engine command asks the simulated hardware for (None: not one)."""
    if isinstance(command, engine.SetPump):
        return Want(actuator=PUMP, on=command.on)
    if isinstance(command, engine.SetValve):
        return Want(actuator=valve(command.fixture), on=command.open)
    return None


class ZcwOnDemand:
    """On-demand control by the Zero Cold Water engine (starts a cycle on each trigger)."""

    name: ClassVar[str] = "zcw_on_demand"
    bridge: ClassVar[str] = "solenoid"
    mode: ClassVar[str] = "on_demand"
    """The engine's mode (``engine.Mode`` value)."""

    def __init__(self) -> None:
        """Idle until ``start``."""
        self._controller: engine.Controller | None = None
        self._wakeup: float | None = None
        self.log: list[tuple[float, engine.Command]] = []
        """Every engine command with its time (for tests and analysis)."""

    @property
    def controller(self) -> engine.Controller:
        """The engine (after ``start``)."""
        if self._controller is None:
            raise RuntimeError("strategy not started")
        return self._controller

    def start(self, home: HomeInfo, now: float) -> Sequence[Want]:
        """Build the engine for ``home`` and drive the hardware to the safe state."""
        self._controller = engine.Controller(settings_for(home), mode=engine.Mode(self.mode))
        return self._handle(engine.Startup(), now)

    def observe(self, obs: Observation) -> Sequence[Want]:
        """Turn an observation into an engine event."""
        event = event_for(obs)
        if event is None:
            return []
        return self._handle(event, obs.at)

    def wakeup(self, now: float) -> Sequence[Want]:
        """The engine's wakeup fell due."""
        return self._handle(engine.Tick(), now)

    def next_wakeup(self) -> float | None:
        """When the engine next needs a tick."""
        return self._wakeup

    def _handle(self, event: engine.Event, now: float) -> list[Want]:
        wants: list[Want] = []
        for command in self.controller.handle(event, now):
            self.log.append((now, command))
            want = want_for(command)
            if want is not None:
                wants.append(want)
            elif isinstance(command, engine.ScheduleWakeup):
                self._wakeup = command.at
        return wants
