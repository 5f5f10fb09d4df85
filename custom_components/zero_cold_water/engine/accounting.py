"""Accounting: the water moved past each fixture, the pump's runs, the daily cap, the totals.

The flow past a running cycle's fixture follows what the hardware *reports* (a pump that does
not report on moves nothing). A loop shared by two cycles moves its water once: each cycle keeps
its own volume (for its stop and its figures) and its share of the installation's water (for the
totals). The pump's run time is counted from its run intervals, once per run whatever number of
cycles it served; the intervals of the last 24 h are persisted, so a restart does not reset the
daily cap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .commands import CycleFigures, EndReason, Outcome
from .config import Topology
from .cycle import FixtureCycle
from .events import ActuatorReading
from .hardware import Hardware
from .learning import prune_runs, pump_seconds_in_window
from .prediction import DAY_S
from .site import Site
from .topology import flow_lpm

KWH_PER_LITRE_KELVIN = 4.186 / 3600.0
CAP_RETRY_MIN_S = 60.0
"""A start refused for the daily cap can be retried when the window has room for this long."""


class Accounting:
    """Flow, pump runs and totals of one installation (internal, mutable)."""

    def __init__(self, site: Site, hardware: Hardware) -> None:
        """No pump run under way."""
        self._site = site
        self._hardware = hardware
        self._run_start: float | None = None

    def rates(self, cycles: Iterable[FixtureCycle]) -> dict[str, float]:
        """Flow (L/min) past each running cycle's fixture in the current state."""
        s = self._site.settings
        hw = self._hardware
        rates: dict[str, float] = {}
        reported_open = hw.reported_open()
        for cycle in cycles:
            name = cycle.fixture
            rate = 0.0
            if s.topology is Topology.DRAIN:
                if cycle.valve and hw.valve_reported.get(cycle.valve) is ActuatorReading.ON:
                    rate = flow_lpm(s, name)
            elif hw.pump_reported is ActuatorReading.ON:
                if s.topology is Topology.COLD_LINE:
                    if cycle.valve in reported_open:
                        rate = flow_lpm(s, name) / len(reported_open)
                elif cycle.valve is None or cycle.valve in reported_open:
                    rate = flow_lpm(s, name)
            rates[name] = rate
        return rates

    def accrue(self, since: float, now: float, cycles: list[FixtureCycle]) -> None:
        """Add what moved from ``since`` to ``now`` (the state held all along) to each cycle."""
        dt = now - since
        pump = self._site.settings.topology.has_pump and self._hardware.pump_running
        rates = self.rates(cycles)
        past_fixtures = sum(rates.values())
        moved = self._moved_lpm(rates)
        for cycle in cycles:
            rate = rates[cycle.fixture]
            if rate > 0:
                if cycle.flow_since is None:
                    cycle.flow_since = since
                cycle.volume_l += rate * dt / 60.0
                cycle.share_l += moved * rate / past_fixtures * dt / 60.0
            if pump:
                cycle.pump_run_s += dt

    def _moved_lpm(self, rates: dict[str, float]) -> float:
        """The water the installation moves now: one loop's flow, however many cycles see it."""
        if self._site.settings.topology is Topology.RETURN_LINE:
            return max(rates.values(), default=0.0)
        return sum(rates.values())

    def _runs(self, now: float) -> tuple[tuple[float, float], ...]:
        """The pump's run intervals, the one under way included."""
        runs = self._site.learned.pump_runs
        if self._run_start is not None:
            runs = (*runs, (self._run_start, now))
        return runs

    def pump_used(self, now: float) -> float:
        """The pump's run time in the rolling 24 h window."""
        return pump_seconds_in_window(self._runs(now), now)

    def cap_reached(self, now: float) -> bool:
        """Whether the pump has used its daily run time (nothing may start or go on)."""
        s = self._site.settings
        return s.topology.has_pump and self.pump_used(now) >= s.daily_pump_cap_s

    def cap_free_at(self, now: float) -> float:
        """When the rolling 24 h window has room for ``CAP_RETRY_MIN_S`` of pump run again."""
        wanted = self._site.settings.daily_pump_cap_s - CAP_RETRY_MIN_S
        runs = self._runs(now)
        low, high = now, now + DAY_S
        if pump_seconds_in_window(runs, low) <= wanted:
            return now + CAP_RETRY_MIN_S
        for _ in range(40):  # the usage only falls as old runs leave the window: bisect
            mid = (low + high) / 2
            if pump_seconds_in_window(runs, mid) <= wanted:
                high = mid
            else:
                low = mid
        return high

    def wakeups(self, now: float, *, running: bool) -> list[float]:
        """When the daily cap is reached, while cycles run on the pump."""
        s = self._site.settings
        if running and s.topology.has_pump and self._hardware.pump_running:
            return [now + max(s.daily_pump_cap_s - self.pump_used(now), 0.0)]
        return []

    def track_pump_run(self, now: float) -> None:
        """Open or close the pump's run interval; a closed one counts in the totals once."""
        site = self._site
        running = site.settings.topology.has_pump and self._hardware.pump_running
        if running and self._run_start is None:
            self._run_start = now
        elif not running and self._run_start is not None:
            if now > self._run_start:
                runs = prune_runs((*site.learned.pump_runs, (self._run_start, now)), now)
                totals = site.learned.totals
                site.learn(
                    replace(
                        site.learned,
                        pump_runs=runs,
                        totals=replace(
                            totals, pump_run_s=totals.pump_run_s + now - self._run_start
                        ),
                    )
                )
            self._run_start = None

    def close(
        self, cycle: FixtureCycle, outcome: Outcome, reason: EndReason, now: float
    ) -> CycleFigures:
        """A cycle ends: its figures; its share of the water counts in the totals."""
        detector = cycle.detector
        start_c, peak_c = detector.start_c, detector.peak_c
        rise = max(peak_c - start_c if peak_c is not None and start_c is not None else 0.0, 0.0)
        totals = self._site.learned.totals
        self._site.learn(
            replace(
                self._site.learned,
                totals=replace(
                    totals,
                    cycles=totals.cycles + 1,
                    litres_moved=totals.litres_moved + cycle.share_l,
                    heat_moved_kwh=totals.heat_moved_kwh
                    + cycle.share_l * KWH_PER_LITRE_KELVIN * rise,
                ),
            )
        )
        return CycleFigures(
            trigger=cycle.trigger,
            started_at=cycle.started_at,
            ended_at=now,
            end_reason=reason,
            arrival_basis=cycle.basis,
            time_to_hot_s=now - cycle.started_at if outcome is Outcome.READY else None,
            pump_run_s=cycle.pump_run_s,
            litres_moved=cycle.volume_l,
            heat_moved_kwh=cycle.volume_l * KWH_PER_LITRE_KELVIN * rise,
            start_c=start_c,
            peak_c=peak_c,
            transit_l=cycle.transit_l,
        )
