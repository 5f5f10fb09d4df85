"""Views: the read-only snapshot of the engine, the installation's state, the next wakeup.

Nothing here changes the engine: the fixture states are the state machine's (``fixtures.py``),
the installation's state follows from them, the hardware and the cooldown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .accounting import Accounting
from .automatic import Automatic
from .commands import Outcome
from .cycles import Cycles
from .events import Line
from .fixtures import Fixture, Fixtures
from .hardware import Hardware
from .modes import Mode, policy
from .site import Site
from .snapshot import FixtureSnapshot, InstallationState, Snapshot
from .topology import valves


@dataclass(frozen=True, slots=True)
class Parts:
    """The parts of a controller a view reads."""

    site: Site
    fixtures: Fixtures
    hardware: Hardware
    accounting: Accounting
    cycles: Cycles
    auto: Automatic


def snapshot(
    parts: Parts,
    now: float,
    *,
    mode: Mode,
    resume_mode: Mode | None,
    shut_down: bool,
    wakeup: float | None,
) -> Snapshot:
    """The whole engine as the entities show it."""
    site, hw = parts.site, parts.hardware
    s = site.settings
    junction = valves(s) if s.junction_valve else ()
    return Snapshot(
        now=now,
        state=installation_state(parts, now, mode=mode, shut_down=shut_down),
        mode=mode,
        pump_on_commanded=hw.pump_cmd,
        pump_reported=hw.pump_reported,
        junction_open_commanded=hw.valve_cmd.get(junction[0]) if junction else None,
        fixtures={r.name: _fixture(parts, r, now) for r in parts.fixtures},
        pump_run_24h_s=parts.accounting.pump_used(now),
        daily_pump_cap_s=s.daily_pump_cap_s,
        cooldown_until=parts.cycles.cooldown_until,
        next_wakeup=wakeup,
        totals=site.learned.totals,
        shut_down=shut_down,
        home=parts.auto.presence.home,
        schedule_active=parts.auto.presence.schedule_active,
        resume_mode=resume_mode,
        prediction=parts.auto.stats(now, site.learned),
    )


def _fixture(parts: Parts, record: Fixture, now: float) -> FixtureSnapshot:
    """One fixture as the entities show it."""
    site, hw = parts.site, parts.hardware
    name = record.name
    fx = site.settings.fixture(name)
    assert fx is not None  # noqa: S101 - records follow the settings
    has_own_valve = name in hw.valve_cmd
    learning = site.learned.fixture(name)
    track = site.sensors.get((name, Line.HOT))
    ready = record.readiness
    return FixtureSnapshot(
        name=name,
        state=record.state,
        temperature_c=site.believed(name, Line.HOT, now),
        cold_temperature_c=site.believed(name, Line.COLD, now),
        sensor_ok=fx.has_sensor
        and track is not None
        and track.believed(now, site.settings.sensor_stale_after_s) is not None,
        valve_open_commanded=hw.valve_cmd[name] if has_own_valve else None,
        valve_reported=hw.valve_reported.get(name) if has_own_valve else None,
        ready_until=ready.hold_until if ready else None,
        last_cycle=record.last,
        learned_transit_l=learning.transit_l,
        transit_samples=len(learning.transit_samples),
        keep_warm=fx.keep_warm,
    )


def installation_state(
    parts: Parts, now: float, *, mode: Mode, shut_down: bool
) -> InstallationState:
    """The installation as a whole: off, heating, fault, cooldown, ready or idle."""
    fixtures = parts.fixtures
    if shut_down or not policy(mode).accepts_start:
        return InstallationState.OFF
    if fixtures.any_running:
        return InstallationState.HEATING
    last_fault = any(r.last is not None and r.last.outcome is Outcome.FAULT for r in fixtures)
    if parts.hardware.any_unavailable or parts.hardware.stuck or last_fault:
        return InstallationState.FAULT
    if parts.cycles.in_cooldown(now):
        return InstallationState.COOLDOWN
    if fixtures.ready():
        return InstallationState.READY
    return InstallationState.IDLE


def earliest(times: Iterable[float], now: float) -> float | None:
    """The first of ``times`` after ``now`` (None: none).

    Every check fires at its deadline (>=), so a deadline at ``now`` has been dealt with; asking
    for a wakeup at ``now`` again could only repeat this step.
    """
    return min((t for t in times if t > now), default=None)
