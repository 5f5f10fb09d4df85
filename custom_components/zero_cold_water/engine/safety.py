"""The safety rules, as pure functions of the engine's state.

In order of precedence:

1. A fixture valve is closed at rest, closed whenever the water at it is at or above its limit, and
   open only while a cycle for it runs.
2. Where the pump pushes through a valve (cold_line, return_line with a junction valve) the pump
   runs only while a valve is commanded open *and* reports open; valves open and confirm before
   the pump starts, and the pump stops before (or with) the last valve closing.
3. No cycle outlives its maximum run time; the pump's rolling 24 h run time has a cap.
4. Unavailable, stale or implausible readings are not believed (see ``readings``).
5. On start-up, reload, unload and shutdown the hardware is driven to the safe state.

The controller computes the wanted actuator states with :func:`wanted_valves` and
:func:`wanted_pump`, orders the commands with :func:`ordered_commands`, and tests check every
state with :func:`violations`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .commands import SetPump, SetValve
from .config import InstallationSettings
from .events import ActuatorReading
from .topology import pump_needs_open_valve, valves


def wanted_valves(
    settings: InstallationSettings,
    *,
    cycle_valves: Iterable[str],
    limit_reached: Iterable[str],
    active: bool,
) -> dict[str, bool]:
    """Rule 1: each valve is open only for a running cycle and below its limit."""
    needed = set(cycle_valves) if active else set()
    hot = set(limit_reached)
    return {v: v in needed and v not in hot for v in valves(settings)}


def wanted_pump(
    settings: InstallationSettings,
    *,
    running: bool,
    valve_open: Mapping[str, bool],
    valve_reported: Mapping[str, ActuatorReading],
    cap_reached: bool,
) -> bool:
    """Rules 2 and 3: run only for a running cycle, under the cap, against a confirmed valve."""
    if not settings.topology.has_pump or not running or cap_reached:
        return False
    if not pump_needs_open_valve(settings):
        return True
    return any(
        open_ and valve_reported.get(v) is ActuatorReading.ON for v, open_ in valve_open.items()
    )


def ordered_commands(
    *,
    pump_was: bool,
    pump_now: bool,
    valves_were: Mapping[str, bool],
    valves_now: Mapping[str, bool],
    resend: Iterable[str] = (),
    resend_pump: bool = False,
) -> list[SetPump | SetValve]:
    """The commands to go from the old to the new wanted state, in a safe order.

    The pump stops first, then valves close, then valves open, then the pump starts. ``resend``
    names valves whose command is repeated (a report contradicted it).
    """
    repeat = set(resend)
    out: list[SetPump | SetValve] = []
    if not pump_now and (pump_was or resend_pump):
        out.append(SetPump(on=False))
    out.extend(
        SetValve(fixture=v, open=False)
        for v, open_ in valves_now.items()
        if not open_ and (valves_were.get(v, True) or v in repeat)
    )
    out.extend(
        SetValve(fixture=v, open=True)
        for v, open_ in valves_now.items()
        if open_ and (not valves_were.get(v, False) or v in repeat)
    )
    if pump_now and (not pump_was or resend_pump):
        out.append(SetPump(on=True))
    return out


def violations(
    settings: InstallationSettings,
    *,
    pump_on: bool,
    valve_open: Mapping[str, bool],
    valve_reported: Mapping[str, ActuatorReading],
    cycle_valves: Iterable[str],
    limit_reached: Iterable[str],
) -> list[str]:
    """Every safety rule the commanded state breaks (empty when safe)."""
    found: list[str] = []
    needed = set(cycle_valves)
    hot = set(limit_reached)
    for valve, open_ in valve_open.items():
        if open_ and valve not in needed:
            found.append(f"valve {valve} open without a cycle")
        if open_ and valve in hot:
            found.append(f"valve {valve} open at or above its limit")
    if pump_on and not settings.topology.has_pump:
        found.append("pump commanded in a topology without one")
    if pump_on and pump_needs_open_valve(settings):
        confirmed = [
            v
            for v, open_ in valve_open.items()
            if open_ and valve_reported.get(v) is ActuatorReading.ON
        ]
        if not confirmed:
            found.append("pump on with no confirmed-open valve (dead-heading)")
    return found
