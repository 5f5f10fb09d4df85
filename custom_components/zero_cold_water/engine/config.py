"""Settings of one installation and its fixtures, and their validation.

Settings are frozen values. :func:`validate` lists every problem at once, so a config flow can show
them all; the controller refuses invalid settings as a whole and never applies part of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import math

JUNCTION = "junction"
"""Pseudo fixture name of the supply/return junction valve (``return_line`` only)."""


class Topology(StrEnum):
    """Where the cold water in the hot pipe goes."""

    RETURN_LINE = "return_line"
    """A dedicated return pipe; a pump pushes water round the loop."""
    COLD_LINE = "cold_line"
    """The cold pipe is the return, through a normally-closed valve at each fixture."""
    DRAIN = "drain"
    """No pump: a valve at the fixture dumps the cold water into the drain."""

    @property
    def has_pump(self) -> bool:
        """Whether this topology moves water with a recirculation pump."""
        return self is not Topology.DRAIN

    @property
    def needs_fixture_valves(self) -> bool:
        """Whether every fixture must have its own valve."""
        return self is not Topology.RETURN_LINE


class SettingsErrorCode(StrEnum):
    """Why settings were rejected (usable as a translation key)."""

    NO_FIXTURES = "no_fixtures"
    EMPTY_NAME = "empty_name"
    RESERVED_NAME = "reserved_name"
    DUPLICATE_FIXTURE = "duplicate_fixture"
    NOT_FINITE = "not_finite"
    NEGATIVE_TIME = "negative_time"
    NOT_POSITIVE = "not_positive"
    TEMPERATURE_OUT_OF_RANGE = "temperature_out_of_range"
    LIMIT_BELOW_TARGET = "limit_below_target"
    PUMP_FLOW_REQUIRED = "pump_flow_required"
    PUMP_FLOW_NOT_ALLOWED = "pump_flow_not_allowed"
    TAP_FLOW_REQUIRED = "tap_flow_required"
    VALVE_REQUIRED = "valve_required"
    JUNCTION_VALVE_NOT_ALLOWED = "junction_valve_not_allowed"
    VOLUME_REQUIRED = "volume_required"
    UNKNOWN_FIXTURE = "unknown_fixture"
    OUT_OF_RANGE = "out_of_range"


@dataclass(frozen=True, slots=True, kw_only=True)
class SettingsError:
    """One problem found in settings."""

    code: SettingsErrorCode
    field: str
    """The offending setting, e.g. ``"target_c"`` or ``"pump_flow_lpm"``."""
    fixture: str | None = None
    """The fixture the setting belongs to, or None for an installation-wide setting."""


class InvalidSettingsError(ValueError):
    """Settings failed validation; ``errors`` lists every problem."""

    def __init__(self, errors: tuple[SettingsError, ...]) -> None:
        """Keep the errors and summarise them in the message."""
        self.errors = errors
        summary = ", ".join(
            f"{e.fixture + '.' if e.fixture else ''}{e.field}: {e.code}" for e in errors
        )
        super().__init__(f"invalid settings: {summary}")


@dataclass(frozen=True, slots=True, kw_only=True)
class FixtureSettings:
    """One point of use: its sensors, valve and targets."""

    name: str
    has_sensor: bool = True
    """A strap-on temperature sensor on the hot pipe at the fixture."""
    has_cold_sensor: bool = False
    """A sensor on the cold line at the fixture (e.g. an RO purifier's inlet)."""
    has_valve: bool = True
    """A normally-closed valve (bridge to the cold line, or to the drain)."""
    target_c: float = 40.0
    """Water at or above this at the fixture counts as hot."""
    cold_line_limit_c: float | None = None
    """The valve closes when the water at it reaches this (cold line protection)."""
    tap_flow_lpm: float | None = None
    """Flow through the fixture's drain valve (drain topology) or tap."""
    configured_volume_l: float | None = None
    """Installer's estimate of the hot-pipe volume from heater to this fixture."""
    sensor_lead_s: float = 8.0
    """How long before the sensor shows the first rise the hot front reaches the fixture."""
    ready_hold_s: float = 900.0
    """Without a believable sensor: how long the pipe stays hot after a cycle."""
    served_by: str | None = None
    """Without a valve of its own (cold_line, drain): the fixture whose valve, pipe and sensor a
    cycle for this fixture uses (one valve at the farthest fixture serving the nearer ones)."""
    keep_warm: bool = True
    """Kept hot in keep-warm mode (and pre-heated in predictive mode)."""
    has_draw_sensor: bool = False
    """A flow or heater-burning sensor reports draws here (``DrawObserved``); without one, draws
    are detected from the pipe sensor warming while no cycle runs."""


@dataclass(frozen=True, slots=True, kw_only=True)
class InstallationSettings:
    """One heater, its pipes, pump and fixtures."""

    topology: Topology
    fixtures: tuple[FixtureSettings, ...]
    pump_flow_lpm: float | None = None
    """Nominal pump flow through the loop (required with a pump)."""
    junction_valve: bool = False
    """A valve at the supply/return junction (``return_line`` only)."""
    max_run_s: float = 300.0
    """No cycle runs longer than this."""
    daily_pump_cap_s: float = 3.0 * 3600.0
    """The pump runs at most this long in any rolling 24 h."""
    cooldown_s: float = 15.0
    """After the last cycle ends, new starts are refused for this long."""
    valve_confirm_timeout_s: float = 60.0
    """A valve that does not report open within this is a fault."""
    pump_confirm_timeout_s: float = 30.0
    """A pump that does not report on within this is a fault."""
    sensor_stale_after_s: float = 6.0 * 3600.0
    """A reading older than this is not believed (report-on-change sensors are quiet when flat)."""
    sensor_grace_s: float = 45.0
    """A running cycle whose sensor is lost, with no pipe volume to finish on (or whose
    cold-line sensor is lost), ends this long after the loss unless the sensor comes back."""
    ready_hysteresis_c: float = 3.0
    """A ready fixture stops being ready below its target minus this."""
    ready_settle_s: float = 120.0
    """After a cycle, readings below target are ignored this long (the sensor catches up)."""
    onset_rise_c: float = 1.0
    """Rise over the cycle's lowest reading that counts as the hot front's onset."""
    onset_min_slope_c_per_s: float = 0.02
    """Minimum mean rate of that rise; slower drifts are not the front."""
    purge_margin: float = 0.2
    """Sensorless purge: learned transit times (1 + margin)."""
    keep_warm_hysteresis_c: float = 5.0
    """Keep-warm starts a cycle when a fixture's water falls below its target minus this."""
    keep_warm_min_interval_s: float = 1800.0
    """Keep-warm (and freeze protection) start a fixture at most once in this time."""
    preheat_daily_limit: int = 6
    """Predictive pre-heats per local day, over all fixtures."""
    preheat_threshold: float = 0.5
    """Pre-heat when the usage profile scores the coming slot at least this (1.0: every week)."""
    freeze_protect_c: float | None = None
    """Circulate when a pipe sensor falls below this (None: off)."""
    vacation_after_s: float = 24.0 * 3600.0
    """Away this long, keep-warm and predictive modes switch to vacation (and back on return)."""

    def path(self, name: str) -> str:
        """The fixture whose valve, pipe and sensor a cycle for ``name`` uses."""
        found = self.fixture(name)
        if (
            found is not None
            and self.topology.needs_fixture_valves
            and not found.has_valve
            and found.served_by is not None
        ):
            return found.served_by
        return name

    def fixture(self, name: str) -> FixtureSettings | None:
        """The fixture called ``name``, or None."""
        for fixture in self.fixtures:
            if fixture.name == name:
                return fixture
        return None

    @property
    def names(self) -> tuple[str, ...]:
        """The fixture names, in configured order."""
        return tuple(f.name for f in self.fixtures)


def _finite(value: float | None) -> bool:
    """An optional figure is absent or finite."""
    return value is None or math.isfinite(value)


def _check_fixture(fixture: FixtureSettings, settings: InstallationSettings) -> list[SettingsError]:
    """Every problem with one fixture's settings."""
    errors: list[SettingsError] = []
    name = fixture.name

    def err(code: SettingsErrorCode, field: str) -> None:
        """Note a problem with this fixture's ``field``."""
        errors.append(SettingsError(code=code, field=field, fixture=name or None))

    if not name.strip():
        err(SettingsErrorCode.EMPTY_NAME, "name")
    if name == JUNCTION:
        err(SettingsErrorCode.RESERVED_NAME, "name")
    for field in ("target_c", "cold_line_limit_c", "tap_flow_lpm", "configured_volume_l"):
        if not _finite(getattr(fixture, field)):
            err(SettingsErrorCode.NOT_FINITE, field)
    for field in ("sensor_lead_s", "ready_hold_s"):
        value = getattr(fixture, field)
        if not math.isfinite(value):
            err(SettingsErrorCode.NOT_FINITE, field)
        elif value < 0:
            err(SettingsErrorCode.NEGATIVE_TIME, field)
    if math.isfinite(fixture.target_c) and not 20.0 <= fixture.target_c <= 90.0:
        err(SettingsErrorCode.TEMPERATURE_OUT_OF_RANGE, "target_c")
    limit = fixture.cold_line_limit_c
    if limit is not None and math.isfinite(limit):
        if not 20.0 <= limit <= 90.0:
            err(SettingsErrorCode.TEMPERATURE_OUT_OF_RANGE, "cold_line_limit_c")
        elif math.isfinite(fixture.target_c) and limit < fixture.target_c:
            err(SettingsErrorCode.LIMIT_BELOW_TARGET, "cold_line_limit_c")
    for field in ("tap_flow_lpm", "configured_volume_l"):
        value = getattr(fixture, field)
        if value is not None and math.isfinite(value) and value <= 0:
            err(SettingsErrorCode.NOT_POSITIVE, field)
    if settings.topology.needs_fixture_valves and not fixture.has_valve:
        server = settings.fixture(fixture.served_by) if fixture.served_by else None
        if fixture.served_by is None:
            err(SettingsErrorCode.VALVE_REQUIRED, "has_valve")
        elif server is None:
            err(SettingsErrorCode.UNKNOWN_FIXTURE, "served_by")
        elif not server.has_valve:
            err(SettingsErrorCode.VALVE_REQUIRED, "served_by")
    if settings.topology is Topology.DRAIN and fixture.has_valve and fixture.tap_flow_lpm is None:
        err(SettingsErrorCode.TAP_FLOW_REQUIRED, "tap_flow_lpm")
    if not fixture.has_sensor and fixture.configured_volume_l is None:
        err(SettingsErrorCode.VOLUME_REQUIRED, "configured_volume_l")
    return errors


_TIMES = (
    "max_run_s",
    "daily_pump_cap_s",
    "cooldown_s",
    "valve_confirm_timeout_s",
    "pump_confirm_timeout_s",
    "sensor_stale_after_s",
    "sensor_grace_s",
    "ready_settle_s",
    "keep_warm_min_interval_s",
    "vacation_after_s",
)
"""Durations that must be finite and not negative."""
_POSITIVE_TIMES = ("max_run_s", "valve_confirm_timeout_s", "pump_confirm_timeout_s")
"""Durations that must also not be zero."""
_TUNINGS = (
    "ready_hysteresis_c",
    "onset_min_slope_c_per_s",
    "purge_margin",
    "keep_warm_hysteresis_c",
    "preheat_threshold",
)
"""Tuning figures that must be finite and not negative."""


def validate(settings: InstallationSettings) -> tuple[SettingsError, ...]:
    """Every problem with ``settings``; empty when they are valid."""
    return (*_check_fixtures(settings), *_check_hardware(settings), *_check_figures(settings))


def _check_fixtures(settings: InstallationSettings) -> list[SettingsError]:
    """At least one fixture, unique names, each fixture's own settings."""
    errors: list[SettingsError] = []
    if not settings.fixtures:
        errors.append(SettingsError(code=SettingsErrorCode.NO_FIXTURES, field="fixtures"))
    seen: set[str] = set()
    for fixture in settings.fixtures:
        if fixture.name in seen:
            errors.append(
                SettingsError(
                    code=SettingsErrorCode.DUPLICATE_FIXTURE, field="name", fixture=fixture.name
                )
            )
        seen.add(fixture.name)
        errors.extend(_check_fixture(fixture, settings))
    return errors


def _check_hardware(settings: InstallationSettings) -> list[SettingsError]:
    """The pump's flow where there is a pump (only there), the junction valve in return_line."""
    errors: list[SettingsError] = []
    flow = settings.pump_flow_lpm
    code: SettingsErrorCode | None = None
    if settings.topology.has_pump:
        if flow is None:
            code = SettingsErrorCode.PUMP_FLOW_REQUIRED
        elif not math.isfinite(flow):
            code = SettingsErrorCode.NOT_FINITE
        elif flow <= 0:
            code = SettingsErrorCode.NOT_POSITIVE
    elif flow is not None:
        code = SettingsErrorCode.PUMP_FLOW_NOT_ALLOWED
    if code is not None:
        errors.append(SettingsError(code=code, field="pump_flow_lpm"))
    if settings.junction_valve and settings.topology is not Topology.RETURN_LINE:
        errors.append(
            SettingsError(code=SettingsErrorCode.JUNCTION_VALVE_NOT_ALLOWED, field="junction_valve")
        )
    return errors


def _check_figures(settings: InstallationSettings) -> list[SettingsError]:
    """Durations, tuning figures, the pre-heat limit and the freeze threshold in range."""
    errors: list[SettingsError] = []

    def err(code: SettingsErrorCode, field: str) -> None:
        """Note a problem with the installation's ``field``."""
        errors.append(SettingsError(code=code, field=field))

    def non_negative(fields: tuple[str, ...], negative: SettingsErrorCode) -> None:
        """Each of ``fields`` finite and not negative (``negative``: the code when it is)."""
        for field in fields:
            value = getattr(settings, field)
            if not math.isfinite(value):
                err(SettingsErrorCode.NOT_FINITE, field)
            elif value < 0:
                err(negative, field)

    non_negative(_TIMES, SettingsErrorCode.NEGATIVE_TIME)
    for field in _POSITIVE_TIMES:
        value = getattr(settings, field)
        if math.isfinite(value) and value == 0:
            err(SettingsErrorCode.NOT_POSITIVE, field)
    if math.isfinite(settings.onset_rise_c) and settings.onset_rise_c <= 0:
        err(SettingsErrorCode.NOT_POSITIVE, "onset_rise_c")
    non_negative(_TUNINGS, SettingsErrorCode.NOT_POSITIVE)
    if not 0 <= settings.preheat_daily_limit <= 96:
        err(SettingsErrorCode.OUT_OF_RANGE, "preheat_daily_limit")
    freeze = settings.freeze_protect_c
    if freeze is not None:
        if not math.isfinite(freeze):
            err(SettingsErrorCode.NOT_FINITE, "freeze_protect_c")
        elif not 0.0 <= freeze <= 15.0:
            err(SettingsErrorCode.TEMPERATURE_OUT_OF_RANGE, "freeze_protect_c")
    return errors


def check(settings: InstallationSettings) -> InstallationSettings:
    """Return ``settings`` if valid, else raise :class:`InvalidSettingsError`."""
    errors = validate(settings)
    if errors:
        raise InvalidSettingsError(errors)
    return settings
