"""The control contract: what a strategy sees of a simulated home and what it may ask of it.

A strategy sees only what a real controller in a home could see: the pipe-sensor reports, the
actuators' reported states, the triggers people press, the clock, and what an installer would have
configured (``HomeInfo``). It answers with the states it wants the actuators in (``Want``). The
simulator gets them there with the hardware's latency, so a strategy must not assume an actuator
has moved until an ``ActuatorReport`` says so.

Actuators and sensors are named by strings: ``PUMP``, ``valve(fixture)``; a fixture's hot-pipe
sensor is the fixture's name, its cold-line sensor ``cold_sensor(fixture)``.

Time is in seconds since the start of the simulation, which starts at local midnight on a Monday
(so ``now % 86400`` is the time of day and ``now // 86400 % 7`` the weekday, 0 = Monday).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal, Protocol

Topology = Literal["return_line", "cold_line", "drain"]

PUMP = "pump"
"""The recirculation pump's actuator name."""
VALVE_PREFIX = "valve:"
COLD_PREFIX = "cold:"


def valve(fixture: str) -> str:
    """The actuator name of ``fixture``'s valve."""
    return VALVE_PREFIX + fixture


def cold_sensor(fixture: str) -> str:
    """The name of the sensor on the cold line at ``fixture`` (e.g. an RO purifier's inlet)."""
    return COLD_PREFIX + fixture


@dataclass(frozen=True, slots=True, kw_only=True)
class FixtureInfo:
    """What an installer knows about one fixture (point of use)."""

    name: str
    has_pipe_sensor: bool
    """A strap-on sensor on the hot pipe at the fixture reports as ``SensorReport(sensor=name)``."""
    has_cold_sensor: bool
    """A sensor on the cold line reports as ``SensorReport(sensor=cold_sensor(name))``."""
    has_valve: bool
    """A normally-closed valve at the fixture (bridge to the cold line, or to the drain)."""
    tap_flow_lpm: float
    target_c: float
    """Water at or above this at the fixture counts as hot."""
    cold_line_limit_c: float | None
    """The cold line must stay at or below this (cold_line topology); None where it does not apply."""
    configured_volume_l: float | None = None
    """The installer's estimate of the hot-pipe volume from heater to this fixture, if any."""


@dataclass(frozen=True, slots=True, kw_only=True)
class HomeInfo:
    """What an installer knows about the installation."""

    name: str
    topology: Topology
    fixtures: tuple[FixtureInfo, ...]
    pump_flow_lpm: float | None
    """Nominal pump flow through the loop; None in drain topology (no pump)."""
    heater_setpoint_c: float


@dataclass(frozen=True, slots=True, kw_only=True)
class SensorReport:
    """A temperature report as a real (lagging, quantised, thresholded) sensor sends it."""

    sensor: str
    celsius: float
    at: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ActuatorReport:
    """An actuator's reported state: ``actuator`` is ``PUMP`` or ``valve(fixture)``."""

    actuator: str
    on: bool
    at: float


@dataclass(frozen=True, slots=True, kw_only=True)
class TriggerPressed:
    """Someone asked for hot water at a fixture (remote, voice, dashboard)."""

    fixture: str
    at: float
    reason: str = "remote"


Observation = SensorReport | ActuatorReport | TriggerPressed


@dataclass(frozen=True, slots=True, kw_only=True)
class Want:
    """The state a strategy wants an actuator in: ``on`` is a running pump or an open valve.

    The counterpart of ``ActuatorReport``, which says later that the actuator got there.
    """

    actuator: str
    on: bool


class Strategy(Protocol):
    """A control strategy under test. One instance runs one home for one simulation."""

    name: ClassVar[str]

    def start(self, home: HomeInfo, now: float) -> Sequence[Want]:
        """Begin controlling ``home``; called once before any observation."""

    def observe(self, obs: Observation) -> Sequence[Want]:
        """React to one observation (delivered in time order)."""

    def wakeup(self, now: float) -> Sequence[Want]:
        """Called at (or just after) the time ``next_wakeup`` asked for."""

    def next_wakeup(self) -> float | None:
        """When the strategy next needs ``wakeup`` without an observation, or None."""
