"""What the engine knows of its installation: the settings, the sensors, the learned data.

Every part of the engine reads the settings and the believed readings here, and changes the
learned data only through :meth:`Site.learn` (the controller then emits ``LearnedDataChanged``).
"""

from __future__ import annotations

import math

from .commands import Command, Fault, FaultKind
from .config import InstallationSettings, Topology
from .events import Line, TemperatureReading
from .learning import LearnedData
from .readings import SensorTrack


class Site:
    """Settings, sensor tracks and learned data of one installation (internal, mutable)."""

    def __init__(self, settings: InstallationSettings, learned: LearnedData) -> None:
        """No sensor has reported yet."""
        self.settings = settings
        self.learned = learned
        self.learned_dirty = False
        """The learned data changed in this pass (the host must persist it)."""
        self.sensors: dict[tuple[str, Line], SensorTrack] = {}

    def learn(self, data: LearnedData) -> None:
        """Replace the learned data."""
        self.learned = data
        self.learned_dirty = True

    def reconfigure(self, settings: InstallationSettings) -> None:
        """New settings: forget the sensors of fixtures that are gone."""
        self.settings = settings
        names = set(settings.names)
        self.sensors = {k: v for k, v in self.sensors.items() if k[0] in names}

    def report(self, event: TemperatureReading, now: float, out: list[Command]) -> float | None:
        """Take a reading; returns when it was made, or None when it is dropped.

        Dropped: an unknown fixture, or older than the sensor's last report. A value not to
        believe raises ``Fault(sensor_implausible)`` once, when the sensor turns implausible.
        """
        if self.settings.fixture(event.fixture) is None:
            return None
        at = min(event.at if math.isfinite(event.at) else now, now)
        track = self.sensors.setdefault((event.fixture, event.line), SensorTrack())
        was_implausible = track.implausible
        if not track.report(event.celsius, at):
            return None
        if track.implausible and not was_implausible:
            detail = f"{event.fixture}:{event.line}"
            out.append(Fault(kind=FaultKind.SENSOR_IMPLAUSIBLE, detail=detail))
        return at

    def sensor_failed(self, fixture: str, line: Line) -> bool:
        """Whether the sensor's last report was unavailable or implausible."""
        track = self.sensors.get((fixture, line))
        return track is not None and track.failed

    def believed(self, fixture: str, line: Line, now: float) -> float | None:
        """The reading to believe of a configured sensor, or None."""
        fx = self.settings.fixture(fixture)
        if fx is None or (line is Line.HOT and not fx.has_sensor):
            return None
        if line is Line.COLD and not fx.has_cold_sensor:
            return None
        track = self.sensors.get((fixture, line))
        return None if track is None else track.believed(now, self.settings.sensor_stale_after_s)

    def limit_reached(self, now: float) -> set[str]:
        """Valves whose water is at or above their fixture's cold-line limit."""
        hot: set[str] = set()
        for fx in self.settings.fixtures:
            limit = fx.cold_line_limit_c
            if limit is None or self.settings.topology is Topology.RETURN_LINE:
                continue
            for line in (Line.HOT, Line.COLD):
                value = self.believed(fx.name, line, now)
                if value is not None and value >= limit:
                    hot.add(fx.name)
        return hot

    def target(self, fixture: str, override: float | None = None) -> float:
        """The temperature a cycle for ``fixture`` aims at (an override replaces its own)."""
        fx = self.settings.fixture(fixture)
        assert fx is not None  # noqa: S101 - callers pass configured names
        return override if override is not None else fx.target_c

    def hot_band(self, fixture: str) -> float:
        """The reading at or above which ``fixture``'s pipe counts as hot (target - hysteresis)."""
        fx = self.settings.fixture(fixture)
        assert fx is not None  # noqa: S101 - callers pass configured names
        return fx.target_c - self.settings.ready_hysteresis_c
