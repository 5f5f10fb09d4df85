"""Shared fixtures: a real Home Assistant with stand-ins for the user's hardware."""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util.async_ import get_scheduled_timer_handles
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.zero_cold_water.const import (
    CONF_COLD_SENSOR,
    CONF_PUMP,
    CONF_PUMP_FLOW,
    CONF_SENSOR,
    CONF_TAP_FLOW,
    CONF_TARGET,
    CONF_TOPOLOGY,
    CONF_VALVE,
    CONF_VOLUME,
    DEFAULT_OPTIONS,
    DOMAIN,
    SUBENTRY_FIXTURE,
    Topology,
)
from custom_components.zero_cold_water.repairs import async_create_fix_flow

PUMP = "input_boolean.pump"
VALVES = ("input_boolean.kitchen_valve", "input_boolean.basin_valve", "input_boolean.shower_valve")
SENSORS = ("sensor.kitchen_pipe", "sensor.basin_pipe", "sensor.shower_pipe")
COLD_SENSOR = "sensor.ro_inlet"
ENTRY_ID = "installation_home"
FIXTURE_IDS = ("fixture_kitchen", "fixture_basin", "fixture_shower")
FIXTURE_NAMES = ("Kitchen sink", "Bathroom basin", "Shower")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(request: pytest.FixtureRequest) -> None:
    """Let Home Assistant load this custom integration in every test that runs a `hass`."""
    if "hass" in request.fixturenames:
        request.getfixturevalue("enable_custom_integrations")


def set_temperature(
    hass: HomeAssistant, entity_id: str, value: float | str, unit: str = "°C"
) -> None:
    """Set a stand-in pipe temperature sensor."""
    hass.states.async_set(
        entity_id,
        str(value),
        {"device_class": "temperature", "unit_of_measurement": unit},
    )


@pytest.fixture
async def hardware(hass: HomeAssistant) -> None:
    """Real input_boolean entities for the pump and valves; pipe sensors at 20 °C."""
    assert await async_setup_component(
        hass,
        "input_boolean",
        {
            "input_boolean": {
                "pump": {"name": "Pump"},
                "valve": {"name": "Valve"},
                "kitchen_valve": {"name": "Kitchen valve"},
                "basin_valve": {"name": "Basin valve"},
                "shower_valve": {"name": "Shower valve"},
                "junction": {"name": "Junction"},
            }
        },
    )
    for sensor in (*SENSORS, COLD_SENSOR):
        set_temperature(hass, sensor, 20.0)
    hass.states.async_set("sensor.humidity", "50", {"device_class": "humidity"})
    await hass.async_block_till_done()


def entry_data(**overrides: Any) -> dict[str, Any]:
    """Config entry data of a cold-line installation with the stand-in pump."""
    return {
        CONF_TOPOLOGY: Topology.COLD_LINE.value,
        CONF_PUMP: PUMP,
        CONF_PUMP_FLOW: 6.0,
        **overrides,
    }


def fixture_data(index: int, topology: Topology = Topology.COLD_LINE) -> dict[str, Any]:
    """Subentry data of fixture ``index`` (0..2)."""
    data: dict[str, Any] = {CONF_SENSOR: SENSORS[index]}
    if topology is not Topology.RETURN_LINE:
        data[CONF_VALVE] = VALVES[index]
    if topology is Topology.DRAIN:
        data[CONF_TAP_FLOW] = 8.0
    if index == 1 and topology is Topology.COLD_LINE:
        data[CONF_COLD_SENSOR] = COLD_SENSOR
    if index == 2:
        data[CONF_TARGET] = 42.0
        data[CONF_VOLUME] = 1.5
    return data


def make_entry(
    topology: Topology = Topology.COLD_LINE,
    fixtures: int = 3,
    *,
    data: dict[str, Any] | None = None,
    options: dict[str, Any] | None = None,
    fixture_extra: dict[int, dict[str, Any]] | None = None,
) -> MockConfigEntry:
    """An installation called Home with ``fixtures`` fixtures (``fixture_extra``: more data)."""
    if data is None:
        data = (
            entry_data(**{CONF_TOPOLOGY: topology.value})
            if topology.has_pump
            else {CONF_TOPOLOGY: topology.value}
        )
    return MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data=data,
        options={**DEFAULT_OPTIONS, **(options or {})},
        version=1,
        minor_version=2,
        entry_id=ENTRY_ID,
        subentries_data=[
            {
                "data": {**fixture_data(index, topology), **(fixture_extra or {}).get(index, {})},
                "subentry_id": FIXTURE_IDS[index],
                "subentry_type": SUBENTRY_FIXTURE,
                "title": FIXTURE_NAMES[index],
                "unique_id": None,
            }
            for index in range(fixtures)
        ],
    )


@pytest.fixture
def config_entry() -> MockConfigEntry:
    """A cold-line installation called Home with three fixtures."""
    return make_entry()


async def settle(hass: HomeAssistant) -> None:
    """Let every queued state change reach the engine.

    HA 2025.4 hands state changes to async_track_state_change_event listeners a loop iteration
    later, after async_block_till_done may already have returned; a few rounds settle both lanes.
    """
    for _ in range(4):
        await hass.async_block_till_done()
        await asyncio.sleep(0)


def integration_timers(hass: HomeAssistant) -> list[asyncio.TimerHandle]:
    """The timers that would call into this integration (a wake-up, a recheck, a check)."""
    return [
        handle
        for handle in get_scheduled_timer_handles(hass.loop)
        if not handle.cancelled() and "custom_components.zero_cold_water" in repr(handle)
    ]


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> MockConfigEntry:
    """Add and set up ``entry``."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    return entry


@pytest.fixture
async def loaded_entry(
    hass: HomeAssistant, hardware: None, config_entry: MockConfigEntry
) -> MockConfigEntry:
    """The cold-line installation, set up."""
    return await setup_entry(hass, config_entry)


async def fix_issue(hass: HomeAssistant, issue_id: str, user_input: dict[str, Any] | None) -> Any:
    """Run one step of the fix flow of this integration's repair issue ``issue_id``."""
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    flow = await async_create_fix_flow(hass, issue_id, issue.data)
    flow.hass = hass
    flow.handler = DOMAIN
    flow.flow_id = "test"
    return await flow.async_step_init(user_input)


__all__ = ["CONF_NAME"]
