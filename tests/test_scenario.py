"""The issue's "done when", end to end, configured through the UI flows only.

A cold-line installation with three fixtures; "Hot water" for the kitchen sink: the valve opens,
the pump starts, the pipe sensor rises, the pump stops and the valve closes; the outcome event
fires and the statistics record the cycle.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_NAME, STATE_OFF, STATE_ON
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.zero_cold_water.const import (
    CONF_COLD_SENSOR,
    CONF_PUMP,
    CONF_PUMP_FLOW,
    CONF_SENSOR,
    CONF_TOPOLOGY,
    CONF_VALVE,
    DOMAIN,
    EVENT_CYCLE,
    SUBENTRY_FIXTURE,
)

from .conftest import set_temperature, settle

FIXTURES = (
    ("Kitchen sink", "kitchen"),
    ("Bathroom basin", "basin"),
    ("Shower", "shower"),
)


async def _add_fixture(hass: HomeAssistant, entry_id: str, name: str, key: str) -> None:
    result = await hass.config_entries.subentries.async_init(
        (entry_id, SUBENTRY_FIXTURE), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    user_input: dict[str, Any] = {
        CONF_NAME: name,
        CONF_SENSOR: f"sensor.{key}_pipe",
        CONF_VALVE: f"input_boolean.{key}_valve",
    }
    if key == "basin":
        user_input[CONF_COLD_SENSOR] = "sensor.ro_inlet"
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def _tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float) -> None:
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await settle(hass)


async def test_hot_water_for_the_kitchen_sink(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    # The user's hardware: a pump, three valves, three pipe sensors and an RO inlet sensor.
    assert await async_setup_component(
        hass,
        "input_boolean",
        {
            "input_boolean": {
                "pump": {"name": "Pump"},
                **{f"{key}_valve": {"name": f"{name} valve"} for name, key in FIXTURES},
            }
        },
    )
    for _, key in FIXTURES:
        set_temperature(hass, f"sensor.{key}_pipe", 21.0)
    set_temperature(hass, "sensor.ro_inlet", 18.0)
    await hass.async_block_till_done()

    # The installation, from the UI.
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "Home", CONF_TOPOLOGY: "cold_line"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PUMP: "input_boolean.pump", CONF_PUMP_FLOW: 6.0}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    entry = hass.config_entries.async_entries(DOMAIN)[0]

    # Three fixtures, from the UI ("Add fixture").
    for name, key in FIXTURES:
        await _add_fixture(hass, entry.entry_id, name, key)
    assert [sub.title for sub in entry.subentries.values()] == [name for name, _ in FIXTURES]

    # A device per fixture, linked to the installation's device; the wrapped hardware hidden.
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    installation = next(d for d in devices if d.name == "Home")
    assert sorted(d.name for d in devices if d.via_device_id == installation.id) == sorted(
        name for name, _ in FIXTURES
    )
    registry = er.async_get(hass)
    for entity_id in ("input_boolean.pump", "input_boolean.kitchen_valve"):
        entity = registry.async_get(entity_id)
        assert entity is not None
        assert entity.hidden_by is er.RegistryEntryHider.INTEGRATION

    outcomes = async_capture_events(hass, EVENT_CYCLE)
    hardware: list[tuple[str, str]] = []

    @callback
    def _record(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        assert new is not None
        hardware.append((event.data["entity_id"], new.state))

    async_track_state_change_event(
        hass, ["input_boolean.pump", "input_boolean.kitchen_valve"], _record
    )

    # Everything at rest: pump off, valves closed.
    assert hass.states.get("input_boolean.pump").state == STATE_OFF
    assert hass.states.get("input_boolean.kitchen_valve").state == STATE_OFF
    assert hass.states.get("sensor.home_state").state == "idle"

    # "Hot water" for the kitchen sink.
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.kitchen_sink_hot_water"}, blocking=True
    )
    await hass.async_block_till_done()
    # The valve opened first and confirmed, then the pump started.
    assert hass.states.get("input_boolean.kitchen_valve").state == STATE_ON
    assert hass.states.get("input_boolean.pump").state == STATE_ON
    assert hass.states.get("input_boolean.basin_valve").state == STATE_OFF
    assert hass.states.get("switch.kitchen_sink_hot_water").state == STATE_ON
    assert hass.states.get("valve.kitchen_sink_valve").state == "open"
    assert hass.states.get("switch.home_pump").state == STATE_ON
    assert hass.states.get("sensor.home_state").state == "heating"

    # The pipe sensor at the sink rises as the hot water arrives.
    for seconds, celsius in ((5, 21.0), (5, 21.5), (3, 24.0), (3, 29.0), (3, 35.0), (3, 41.0)):
        await _tick(hass, freezer, seconds)
        set_temperature(hass, "sensor.kitchen_pipe", celsius)
        await hass.async_block_till_done()
        if hass.states.get("input_boolean.pump").state == STATE_OFF:
            break

    # The pump stopped and the valve closed on the onset of the rise; the lagging sensor goes
    # on rising after the stop, which confirms it was the front: the fixture is ready.
    assert hass.states.get("input_boolean.pump").state == STATE_OFF
    assert hass.states.get("input_boolean.kitchen_valve").state == STATE_OFF
    assert hass.states.get("binary_sensor.kitchen_sink_hot_water_ready").state == STATE_OFF
    assert len(outcomes) == 0
    await _tick(hass, freezer, 3)
    set_temperature(hass, "sensor.kitchen_pipe", 31.0)
    await settle(hass)
    assert hass.states.get("binary_sensor.kitchen_sink_hot_water_ready").state == STATE_ON
    assert hass.states.get("switch.kitchen_sink_hot_water").state == STATE_ON

    await settle(hass)
    # In that order: valve open, pump on, ..., pump off, valve closed (no dead-heading).
    assert hardware == [
        ("input_boolean.kitchen_valve", STATE_ON),
        ("input_boolean.pump", STATE_ON),
        ("input_boolean.pump", STATE_OFF),
        ("input_boolean.kitchen_valve", STATE_OFF),
    ]

    # The outcome: the bus event, the event entity and the statistics.
    assert len(outcomes) == 1
    data = outcomes[0].data
    assert data["outcome"] == "ready"
    assert data["fixture"] == "Kitchen sink"
    assert data["trigger"] == "dashboard"
    assert data["device_id"] == next(d.id for d in devices if d.name == "Kitchen sink")
    assert data["time_to_hot_s"] > 0
    assert data["litres_moved"] > 0
    cycle = hass.states.get("event.home_cycle")
    assert cycle.attributes["event_type"] == "ready"
    assert cycle.attributes["fixture"] == "Kitchen sink"
    assert hass.states.get("sensor.home_cycles").state == "1"
    assert float(hass.states.get("sensor.home_pump_run_time").state) > 0
    assert float(hass.states.get("sensor.home_water_moved").state) > 0
    assert float(hass.states.get("sensor.home_heat_moved").state) > 0
    assert float(hass.states.get("sensor.kitchen_sink_last_time_to_hot_water").state) > 0

    # Removing the installation gives the user back their hardware.
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    entity = registry.async_get("input_boolean.pump")
    assert entity is not None
    assert entity.hidden_by is None
