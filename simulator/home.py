"""Homes: the data model of an installation (files: ``homefile``, schema: docs/homes.md).

A home is a tree of hot pipes rooted at the heater, a tree of cold pipes rooted at the heater's
cold inlet (``mains``), optionally a return pipe from the end of the hot loop back to the heater's
inlet, and fixtures at the leaves. Everything here is plain, frozen data; each default a home file
may leave out is the one declared here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from .control import FixtureInfo, HomeInfo, Topology
from .pipes import PIPE_KINDS

BridgeKind = Literal["solenoid", "check_valve", "thermostatic"]
FixtureKind = Literal["kitchen", "basin", "shower"]

# Sensor lag chains fitted to physics.md (first-order stages in series, seconds).
SENSOR_LAGS: dict[str, tuple[float, ...]] = {
    "ppr": (4.0, 33.0, 5.0),  # 10/63/90 % at 11/43/86 s
    "pex": (0.5, 7.25, 1.0),  # 2/9/18 s
    "copper": (1.0, 3.0, 5.0),  # ~8 s to 63 %
}


class HomeError(ValueError):
    """A home file is invalid."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PipeSpec:
    """One pipe between two nodes of the hot, cold or return network."""

    name: str
    kind: str
    """A key of ``simulator.pipes.PIPE_KINDS``."""
    length_m: float
    from_node: str
    to_node: str
    insulated: bool = False

    @property
    def volume_l(self) -> float:
        """Water volume of the pipe."""
        return PIPE_KINDS[self.kind].litres_per_m * self.length_m


@dataclass(frozen=True, slots=True, kw_only=True)
class SensorSpec:
    """A strap-on pipe sensor and its radio reporting behaviour."""

    pipe: str | None = None
    """The pipe it sits on; None: the fixture's own pipe (hot or cold)."""
    at_m: float | None = None
    """Position from the pipe's inlet end; None: at the outlet end."""
    lags_s: tuple[float, ...] | None = None
    """First-order stages in series (wall conduction nodes + sensor); None: by pipe material."""
    ambient_coupling: float = 0.02
    """Fraction of (pipe - room) the strap-on sensor misses in steady state."""
    noise_c: float = 0.05
    resolution_c: float = 0.1
    report_delta_c: float = 0.5
    """Report on a change of at least this much since the last report..."""
    min_interval_s: float = 5.0
    """...but at most once per this many seconds..."""
    max_interval_s: float = 300.0
    """...and at least once per this many seconds."""
    sample_s: float = 1.0
    """How often the sensor reads while water flows (idle: coarser, it changes slowly)."""
    faults: tuple[tuple[float, float, float], ...] = ()
    """Injected errors: (start_s, duration_s, value), e.g. 85.0 or -127.0."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ValveSpec:
    """The hardware at a fixture: a bridge to the cold line (cold_line) or a drain valve (drain)."""

    kind: BridgeKind = "solenoid"
    command_latency_s: tuple[float, float] = (1.0, 6.0)
    """Uniform range: a sleepy battery Zigbee valve takes seconds to act on a command."""
    report_latency_s: tuple[float, float] = (0.5, 3.0)
    close_c: float = 38.0
    """Thermostatic check valve: closes when the water reaches this."""
    flow_lpm: float | None = None
    """Flow through an open drain valve (drain topology); None: the fixture's tap flow."""
    cross_flow_share: float = 0.4
    """Share of a cold draw at this fixture that comes from the hot side through an open bridge."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FixtureSpec:
    """A point of use."""

    name: str
    kind: FixtureKind = "basin"
    tap_flow_lpm: float = 8.0
    target_c: float = 40.0
    valve: ValveSpec | None = None
    sensor: SensorSpec | None = field(default_factory=SensorSpec)
    cold_sensor: SensorSpec | None = None
    """A sensor on the cold line (e.g. an RO purifier's inlet) at this fixture."""
    cold_line_limit_c: float | None = None
    draw_weight: float = 1.0
    trigger_probability: float = 0.6
    """Chance that someone presses the remote (or asks the voice assistant) before a draw."""


@dataclass(frozen=True, slots=True, kw_only=True)
class HeaterSpec:
    """A gas combi / tankless heater."""

    setpoint_c: float = 50.0
    activation_lpm: float = 2.0
    min_kw: float = 3.5
    max_kw: float = 24.0
    ignition_delay_s: float = 2.0


@dataclass(frozen=True, slots=True, kw_only=True)
class PumpSpec:
    """The recirculation pump (at the heater)."""

    flow_lpm: float = 6.0
    power_w: float = 25.0
    command_latency_s: tuple[float, float] = (0.3, 1.0)
    report_latency_s: tuple[float, float] = (0.2, 1.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class PeopleSpec:
    """Who draws water, how often, and how they use the remote."""

    draws_per_day: tuple[int, int] = (10, 20)
    cold_draws_per_day: tuple[int, int] = (0, 0)
    """Cold-water draws (toilet, cold tap) at fixtures with a cold pipe, per day."""
    trigger_lead_median_s: float = 25.0
    """Median time between pressing the remote and opening the tap (lognormal)."""
    trigger_lead_max_s: float = 300.0
    max_wait_s: float = 180.0
    """A person gives up waiting for hot water after this long (and uses what comes)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Home:
    """One installation, as loaded from a home file."""

    name: str
    description: str = ""
    topology: Topology
    room_c: float = 18.0
    mains_c: float = 15.0
    front_mixing: float = 1.15
    """AF/PV: pipe volumes that must pass before fully hot water arrives (1.0-2.0)."""
    heater: HeaterSpec = field(default_factory=HeaterSpec)
    pump: PumpSpec | None = None
    hot_pipes: tuple[PipeSpec, ...]
    cold_pipes: tuple[PipeSpec, ...] = ()
    return_pipe: PipeSpec | None = None
    fixtures: tuple[FixtureSpec, ...]
    people: PeopleSpec = field(default_factory=PeopleSpec)

    def fixture(self, name: str) -> FixtureSpec:
        """Return the fixture called ``name``."""
        for f in self.fixtures:
            if f.name == name:
                return f
        raise KeyError(name)

    def hot_path(self, node: str) -> tuple[PipeSpec, ...]:
        """The hot pipes from the heater to ``node`` (in flow order)."""
        return _path(self.hot_pipes, "heater", node)

    def cold_path(self, node: str) -> tuple[PipeSpec, ...]:
        """The cold pipes from the mains to ``node`` (in forward flow order)."""
        return _path(self.cold_pipes, "mains", node)

    def hot_volume_l(self, fixture: str) -> float:
        """Hot-pipe volume from the heater to ``fixture``."""
        return sum(p.volume_l for p in self.hot_path(fixture))

    def farthest_fixture(self) -> str:
        """The fixture with the largest hot-pipe volume from the heater."""
        return max(self.fixtures, key=lambda f: self.hot_volume_l(f.name)).name

    def with_bridge(self, kind: BridgeKind) -> Home:
        """This home with a passive/solenoid bridge of ``kind``.

        A solenoid leaves the home as it is. A passive bridge (check valve or thermostatic check
        valve) is how such products are installed: one bridge under the farthest fixture, the
        other fixtures' valves removed. Only meaningful in cold_line topology.
        """
        cold_ends = {p.to_node for p in self.cold_pipes}
        bridgeable = [f for f in self.fixtures if f.name in cold_ends]
        if kind == "solenoid" or self.topology != "cold_line" or not bridgeable:
            return self
        far = max(bridgeable, key=lambda f: self.hot_volume_l(f.name)).name
        fixtures = []
        for f in self.fixtures:
            if f.name == far:
                limit = f.cold_line_limit_c if f.cold_line_limit_c is not None else 38.0
                base = f.valve or ValveSpec()
                fixtures.append(replace(f, valve=replace(base, kind=kind, close_c=limit)))
            else:
                fixtures.append(replace(f, valve=None))
        return replace(self, fixtures=tuple(fixtures))

    def info(self) -> HomeInfo:
        """What an installer knows about this home (the strategy's view)."""
        return HomeInfo(
            name=self.name,
            topology=self.topology,
            fixtures=tuple(
                FixtureInfo(
                    name=f.name,
                    has_pipe_sensor=f.sensor is not None,
                    has_cold_sensor=f.cold_sensor is not None,
                    has_valve=f.valve is not None and f.valve.kind == "solenoid",
                    tap_flow_lpm=f.tap_flow_lpm,
                    target_c=f.target_c,
                    cold_line_limit_c=f.cold_line_limit_c,
                    configured_volume_l=round(self.hot_volume_l(f.name), 2),
                )
                for f in self.fixtures
            ),
            pump_flow_lpm=self.pump.flow_lpm if self.pump else None,
            heater_setpoint_c=self.heater.setpoint_c,
        )


def _path(pipes: tuple[PipeSpec, ...], root: str, node: str) -> tuple[PipeSpec, ...]:
    by_to = {p.to_node: p for p in pipes}
    out: list[PipeSpec] = []
    cur = node
    while cur != root:
        p = by_to.get(cur)
        if p is None:
            raise HomeError(f"no pipe path from {root} to {node}")
        out.append(p)
        cur = p.from_node
        if len(out) > len(pipes):
            raise HomeError("pipe network has a cycle")
    return tuple(reversed(out))


def validate(home: Home) -> None:
    """Raise HomeError unless ``home`` is consistent."""
    if not home.fixtures:
        raise HomeError("home: at least one fixture")
    if not home.hot_pipes:
        raise HomeError("home: at least one hot pipe")
    if not 1.0 <= home.front_mixing <= 2.0:
        raise HomeError("home: front_mixing (AF/PV) must be within 1.0-2.0")
    names = [p.name for p in (*home.hot_pipes, *home.cold_pipes)]
    if home.return_pipe:
        names.append(home.return_pipe.name)
    if len(set(names)) != len(names):
        raise HomeError("home: pipe names must be unique")
    for pipes, root in ((home.hot_pipes, "heater"), (home.cold_pipes, "mains")):
        tos = [p.to_node for p in pipes]
        if len(set(tos)) != len(tos):
            raise HomeError(f"home: two pipes end at the same node (tree rooted at {root})")
        if root in tos:
            raise HomeError(f"home: no pipe may end at {root}")
    fnames = [f.name for f in home.fixtures]
    if len(set(fnames)) != len(fnames):
        raise HomeError("home: fixture names must be unique")
    for f in home.fixtures:
        home.hot_path(f.name)
        if home.topology == "cold_line" and (f.valve is not None or f.cold_sensor is not None):
            home.cold_path(f.name)
        if f.tap_flow_lpm <= 0:
            raise HomeError(f"fixture {f.name}: tap_flow_lpm must be > 0")
        for s in (f.sensor, f.cold_sensor):
            if s is not None and s.pipe is not None and s.pipe not in names:
                raise HomeError(f"fixture {f.name}: sensor on unknown pipe {s.pipe!r}")
    if home.topology == "return_line":
        if home.return_pipe is None or home.pump is None:
            raise HomeError("return_line: needs return_pipe and pump")
        if home.return_pipe.to_node != "heater":
            raise HomeError("return_line: return_pipe must end at 'heater' (its inlet)")
        home.hot_path(home.return_pipe.from_node)
    elif home.topology == "cold_line":
        if home.pump is None:
            raise HomeError("cold_line: needs a pump")
        if not any(f.valve is not None for f in home.fixtures):
            raise HomeError("cold_line: at least one fixture needs a valve (bridge)")
    elif not any(f.valve is not None for f in home.fixtures):
        raise HomeError("drain: at least one fixture needs a (drain) valve")


def sensor_lags(spec: SensorSpec, pipe: PipeSpec) -> tuple[float, ...]:
    """The lag chain of a sensor: its own, or by the material of the pipe it is strapped to."""
    if spec.lags_s is not None:
        return spec.lags_s
    kind = pipe.kind
    if kind.startswith("ppr"):
        return SENSOR_LAGS["ppr"]
    if kind.startswith("pex"):
        return SENSOR_LAGS["pex"]
    return SENSOR_LAGS["copper"]
