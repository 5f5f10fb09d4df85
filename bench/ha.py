"""``scripts/bench --ha``: what the integration costs inside a real Home Assistant.

Three figures, in one run, in one ``hass`` per measurement:

1. Per-event cost of a pipe-sensor update through the integration, side by side with HA core's
   ``generic_thermostat`` handling the same updates in the same ``hass`` (both minus a sensor no
   one listens to), and their ratio. Goal: no more than generic_thermostat's.
2. 50 fixtures whose sensors report every second: event-loop time used per second of reports;
   and the delay from a sensor reaching the target to the valve's close call, with the number
   of timers that fired in between (goal: none, no polling).
3. Setup and unload time of an installation with 1 and with 50 fixtures.

The ``hass`` is pytest-homeassistant-custom-component's ``async_test_home_assistant`` (the
same Home Assistant the tests run), with the input_boolean integration for the pump and valves.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
import importlib
from pathlib import Path
import statistics
import tempfile
import time
from typing import Any

from homeassistant import loader
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.setup import async_setup_component

from custom_components.zero_cold_water.const import CONF_COOLDOWN, DEFAULT_OPTIONS
from custom_components.zero_cold_water.engine import TriggerReason

DOMAIN = "zero_cold_water"
UNIT = {"device_class": "temperature", "unit_of_measurement": "°C"}


def _expect(ok: object, what: object) -> None:
    """Stop the benchmark when Home Assistant did not do what it must (not an assert: -O)."""
    if not ok:
        raise RuntimeError(f"bench --ha: {what}")


def _common() -> Any:
    """pytest-homeassistant-custom-component's helpers (untyped, so loaded as Any)."""
    return importlib.import_module("pytest_homeassistant_custom_component.common")


@asynccontextmanager
async def _hass(fixtures: int) -> AsyncIterator[HomeAssistant]:
    """A running hass with this custom integration enabled and stand-in hardware."""
    with tempfile.TemporaryDirectory() as config_dir:
        async with _common().async_test_home_assistant(config_dir=config_dir) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
            booleans: dict[str, Any] = {"pump": {}, "heater": {}} | {
                f"valve_{i}": {} for i in range(fixtures)
            }
            _expect(
                await async_setup_component(hass, "input_boolean", {"input_boolean": booleans}),
                "input_boolean set-up failed",
            )
            for i in range(fixtures):
                hass.states.async_set(f"sensor.pipe_{i}", "20.0", UNIT)
            await hass.async_block_till_done()
            yield hass
            await hass.async_stop(force=True)


def _entry(fixtures: int) -> Any:
    """A cold-line installation with ``fixtures`` fixtures on the stand-ins."""
    return _common().MockConfigEntry(
        domain=DOMAIN,
        title="Bench",
        data={"topology": "cold_line", "pump": "input_boolean.pump", "pump_flow_lpm": 6.0},
        options={**DEFAULT_OPTIONS, CONF_COOLDOWN: 0.0},
        version=1,
        minor_version=2,
        subentries_data=[
            {
                "data": {"sensor": f"sensor.pipe_{i}", "valve": f"input_boolean.valve_{i}"},
                "subentry_id": f"fixture_{i}",
                "subentry_type": "fixture",
                "title": f"Fixture {i}",
                "unique_id": None,
            }
            for i in range(fixtures)
        ],
    )


async def _set_up(hass: HomeAssistant, fixtures: int) -> Any:
    """Add the installation of ``fixtures`` fixtures and set it up."""
    entry = _entry(fixtures)
    entry.add_to_hass(hass)
    _expect(await hass.config_entries.async_setup(entry.entry_id), "set-up failed")
    return entry


async def _settle(hass: HomeAssistant) -> None:
    # HA 2025.4 hands state changes to listeners one loop iteration later.
    await hass.async_block_till_done()
    await asyncio.sleep(0)
    await hass.async_block_till_done()


async def _updates(hass: HomeAssistant, entity_id: str, count: int) -> float:
    """Seconds for ``count`` changed reports of ``entity_id``, each handled to the end."""
    began = time.perf_counter()
    for i in range(count):
        hass.states.async_set(entity_id, f"{20.0 + (i % 10) * 0.1:.1f}", UNIT)
        await _settle(hass)
    return time.perf_counter() - began


@dataclass(slots=True)
class Figures:
    """What ``run`` measured."""

    zcw_us: float
    thermostat_us: float
    loop_ms_per_s: float
    close_delay_ms: float
    timers_between: int
    setup_ms: dict[int, float]
    unload_ms: dict[int, float]

    @property
    def ratio(self) -> float:
        """The integration's per-event cost over generic_thermostat's."""
        return self.zcw_us / self.thermostat_us if self.thermostat_us > 0 else float("inf")

    def table(self) -> str:
        """The figures as a markdown table."""
        rows = [
            ("sensor update, zero_cold_water (per event)", f"{self.zcw_us:.0f} us"),
            ("sensor update, generic_thermostat (per event)", f"{self.thermostat_us:.0f} us"),
            ("ratio zero_cold_water / generic_thermostat", f"{self.ratio:.2f}"),
            ("50 fixtures at 1 Hz: event-loop time", f"{self.loop_ms_per_s:.1f} ms per s"),
            ("target reached -> valve close call", f"{self.close_delay_ms:.2f} ms"),
            ("timers fired in between", str(self.timers_between)),
        ]
        for n in sorted(self.setup_ms):
            rows.append((f"setup, {n} fixture(s)", f"{self.setup_ms[n]:.0f} ms"))
            rows.append((f"unload, {n} fixture(s)", f"{self.unload_ms[n]:.0f} ms"))
        return "\n".join(["| figure | value |", "|---|---|", *(f"| {a} | {b} |" for a, b in rows)])


async def _per_event(count: int, rounds: int) -> tuple[float, float]:
    """Per-event cost (us) of the integration and of generic_thermostat, net of a bare sensor."""
    async with _hass(1) as hass:
        entry = await _set_up(hass, 1)
        _expect(
            entry.runtime_data.coordinator.controller is not None,
            "entry.runtime_data.coordinator.controller is not None",
        )
        thermostat = {
            "platform": "generic_thermostat",
            "name": "Bench",
            "heater": "input_boolean.heater",
            "target_sensor": "sensor.thermostat_pipe",
            "target_temp": 30.0,
        }
        _expect(
            await async_setup_component(hass, "climate", {"climate": [thermostat]}),
            "generic_thermostat set-up failed",
        )
        hass.states.async_set("sensor.thermostat_pipe", "20.0", UNIT)
        hass.states.async_set("sensor.nobody", "20.0", UNIT)
        await _settle(hass)
        bare, zcw, gt = [], [], []
        for _ in range(rounds):  # interleaved, the median of each
            bare.append(await _updates(hass, "sensor.nobody", count))
            zcw.append(await _updates(hass, "sensor.pipe_0", count))
            gt.append(await _updates(hass, "sensor.thermostat_pipe", count))
        base = statistics.median(bare)
        scale = 1e6 / count
        return (
            max(statistics.median(zcw) - base, 0.0) * scale,
            max(statistics.median(gt) - base, 0.0) * scale,
        )


async def _fifty(seconds: int) -> tuple[float, float, int]:
    """50 fixtures reporting every second; then the target-to-close delay."""
    fixtures = 50
    async with _hass(fixtures) as hass:
        entry = await _set_up(hass, fixtures)
        await _settle(hass)
        busy = 0.0
        for second in range(seconds):
            began = time.perf_counter()
            for i in range(fixtures):
                value = 20.0 + ((second + i) % 10) * 0.1
                hass.states.async_set(f"sensor.pipe_{i}", f"{value:.1f}", UNIT)
            await _settle(hass)
            busy += time.perf_counter() - began
        # A cycle at fixture 0; then its sensor jumps to the target.
        coordinator = entry.runtime_data.coordinator
        result = await coordinator.async_start_cycles(("fixture_0",), TriggerReason.DASHBOARD)
        _expect(result.started == ("fixture_0",), result)
        await _settle(hass)
        _expect(
            hass.states.is_state("input_boolean.valve_0", "on"),
            "the valve did not open",
        )
        _expect(
            hass.states.is_state("input_boolean.pump", "on"),
            "the pump did not start",
        )
        closed: list[float] = []
        timers = 0

        @callback
        def _valve(event: Event[Any]) -> None:
            new = event.data["new_state"]
            if event.data["entity_id"] == "input_boolean.valve_0" and new.state == "off":
                closed.append(time.perf_counter())

        @callback
        def _timer(_event: Event[Any]) -> None:
            nonlocal timers
            timers += 1

        unsubs = [
            hass.bus.async_listen("state_changed", _valve),
            hass.bus.async_listen("time_changed", _timer),
        ]
        began = time.perf_counter()
        hass.states.async_set("sensor.pipe_0", "45.0", UNIT)
        await _settle(hass)
        for unsub in unsubs:
            unsub()
        _expect(closed, "the valve did not close")
        return busy / seconds * 1000.0, (closed[0] - began) * 1000.0, timers


async def _setup_unload(fixtures: int) -> tuple[float, float]:
    async with _hass(fixtures) as hass:
        entry = _entry(fixtures)
        entry.add_to_hass(hass)
        began = time.perf_counter()
        _expect(
            await hass.config_entries.async_setup(entry.entry_id),
            "await hass.config_entries.async_setup(entry.entry_id)",
        )
        await hass.async_block_till_done()
        setup = time.perf_counter() - began
        began = time.perf_counter()
        _expect(
            await hass.config_entries.async_unload(entry.entry_id),
            "await hass.config_entries.async_unload(entry.entry_id)",
        )
        await hass.async_block_till_done()
        return setup * 1000.0, (time.perf_counter() - began) * 1000.0


async def run(*, count: int = 500, rounds: int = 5, seconds: int = 30) -> Figures:
    """Measure everything (``count`` updates per round, ``seconds`` of 50 fixtures at 1 Hz)."""
    zcw, gt = await _per_event(count, rounds)
    loop_ms, delay_ms, timers = await _fifty(seconds)
    setup: dict[int, float] = {}
    unload: dict[int, float] = {}
    for n in (1, 50):
        setup[n], unload[n] = await _setup_unload(n)
    return Figures(
        zcw_us=zcw,
        thermostat_us=gt,
        loop_ms_per_s=loop_ms,
        close_delay_ms=delay_ms,
        timers_between=timers,
        setup_ms=setup,
        unload_ms=unload,
    )


def main(*, quick: bool = False) -> str:
    """Run the measurements and return the table (``quick``: tiny counts, for the tests)."""
    kwargs = {"count": 20, "rounds": 1, "seconds": 2} if quick else {}
    figures = asyncio.run(run(**kwargs))
    where = Path(__file__).resolve().parent.parent
    return f"Home Assistant cost of {where.name}'s integration (scripts/bench --ha)\n\n" + (
        figures.table()
    )
