"""Per-topology policy: which actuators exist and how water moves.

What differs between ``cold_line``, ``return_line`` and ``drain`` is which valves exist, which valve
a fixture's cycle waits for, and what moves the water; the cycle state machine and the safety rules
are shared.
"""

from __future__ import annotations

from .config import JUNCTION, InstallationSettings, Topology


def valves(settings: InstallationSettings) -> tuple[str, ...]:
    """Every valve the engine commands, by fixture name (``JUNCTION`` for the junction valve)."""
    if settings.topology is Topology.RETURN_LINE:
        return (JUNCTION,) if settings.junction_valve else ()
    return tuple(f.name for f in settings.fixtures if f.has_valve)


def cycle_valve(settings: InstallationSettings, fixture: str) -> str | None:
    """The valve a cycle for ``fixture`` opens and waits for, or None."""
    if settings.topology is Topology.RETURN_LINE:
        return JUNCTION if settings.junction_valve else None
    return settings.path(fixture)


def pump_needs_open_valve(settings: InstallationSettings) -> bool:
    """Whether the pump may only run against a confirmed-open valve (no dead-heading)."""
    return settings.topology is Topology.COLD_LINE or (
        settings.topology is Topology.RETURN_LINE and settings.junction_valve
    )


def flow_lpm(settings: InstallationSettings, fixture: str) -> float:
    """The nominal flow that moves water past ``fixture`` during its cycle (L/min)."""
    if settings.topology is Topology.DRAIN:
        found = settings.fixture(settings.path(fixture))
        return (found.tap_flow_lpm or 0.0) if found else 0.0
    return settings.pump_flow_lpm or 0.0
