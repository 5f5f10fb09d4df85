"""Strap-on pipe sensors: thermal lag, ambient coupling, noise, resolution and radio reporting."""

from __future__ import annotations

import math
import random

from .home import SensorSpec


class Sensor:
    """One sensor: a chain of first-order lags fed by the water temperature where it sits.

    The chain stands for conduction through the pipe wall (2 nodes) plus the sensor's own lag;
    the reading misses ``ambient_coupling`` of (water - room) in steady state. Readings are noisy
    and quantised; reports follow the threshold / min-interval / heartbeat rules of ``SensorSpec``.
    """

    __slots__ = (
        "_decay_cache",
        "faults",
        "lags",
        "last_report_at",
        "last_report_c",
        "last_sample_at",
        "name",
        "nodes",
        "rng",
        "room_c",
        "spec",
    )

    def __init__(
        self,
        *,
        name: str,
        spec: SensorSpec,
        lags: tuple[float, ...],
        initial_c: float,
        room_c: float,
        seed: int,
    ) -> None:
        """Create a settled sensor reading ``initial_c`` water."""
        self.name = name
        self.spec = spec
        self.lags = lags
        self.room_c = room_c
        self.nodes = [initial_c] * len(lags)
        self.rng = random.Random(seed)  # noqa: S311 - simulated noise
        self.last_report_at = -math.inf
        self.last_sample_at = -math.inf
        self.last_report_c = math.nan
        self.faults = spec.faults
        self._decay_cache: dict[float, list[float]] = {}

    def advance(self, water_c: float, dt: float) -> None:
        """Advance the lag chain by ``dt`` s with the water at ``water_c`` (held over the step)."""
        if dt <= 0.0:
            return
        decays = self._decay_cache.get(dt)
        if decays is None:
            decays = [math.exp(-dt / tau) for tau in self.lags]
            if len(self._decay_cache) < 256:
                self._decay_cache[dt] = decays
        k = self.spec.ambient_coupling
        inp = water_c - k * (water_c - self.room_c)
        nodes = self.nodes
        for i, d in enumerate(decays):
            nodes[i] = inp + (nodes[i] - inp) * d
            inp = nodes[i]

    def settled(self, water_c: float) -> bool:
        """True when the chain has caught up with ``water_c`` (nothing left to report)."""
        k = self.spec.ambient_coupling
        target = water_c - k * (water_c - self.room_c)
        return all(abs(n - target) < 0.02 for n in self.nodes)

    def true_reading(self) -> float:
        """The sensor element's temperature (before noise and quantisation)."""
        return self.nodes[-1]

    def _fault_value(self, now: float) -> float | None:
        for start, duration, value in self.faults:
            if start <= now < start + duration:
                return value
        return None

    def due(self, now: float) -> bool:
        """Whether the sensor takes a reading at ``now`` (every ``sample_s``)."""
        return now - self.last_sample_at >= self.spec.sample_s - 1e-9

    def sample(self, now: float) -> float | None:
        """Read the sensor at ``now``; return the value if it is to be reported, else None."""
        self.last_sample_at = now
        spec = self.spec
        fault = self._fault_value(now)
        if fault is not None:
            value = fault
        else:
            raw = self.nodes[-1] + self.rng.gauss(0.0, spec.noise_c)
            res = spec.resolution_c
            value = round(round(raw / res) * res, 4) if res > 0 else raw
        since = now - self.last_report_at
        changed = math.isnan(self.last_report_c) or abs(value - self.last_report_c) >= (
            spec.report_delta_c
        )
        if (changed and since >= spec.min_interval_s) or since >= spec.max_interval_s:
            self.last_report_at = now
            self.last_report_c = value
            return value
        return None

    def next_fault_edge(self, now: float) -> float | None:
        """The next time an injected fault starts or ends after ``now``."""
        edges = [t for s, d, _ in self.faults for t in (s, s + d) if t > now]
        return min(edges) if edges else None
