"""Every platform with a real hass: registry snapshot, states, commands, availability, restore."""

from __future__ import annotations

from typing import Any

from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.zero_cold_water.const import CONF_COLD_LINE_LIMIT, CONF_MAX_RUN, Topology

from .conftest import PUMP, VALVES, make_entry, settle, setup_entry
from .faults.hardware import Behaviour, FakeHardware

pytestmark = pytest.mark.usefixtures("hardware")


def _registry_projection(hass: HomeAssistant, entry: MockConfigEntry) -> list[dict[str, Any]]:
    """The fields that matter, in a form both HA lanes print alike."""
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    devices = dr.async_get(hass)
    projection = []
    for entity in sorted(entities, key=lambda e: e.entity_id):
        state = hass.states.get(entity.entity_id)
        device = devices.async_get(entity.device_id) if entity.device_id else None
        projection.append(
            {
                "entity_id": entity.entity_id,
                "unique_id": entity.unique_id,
                "translation_key": entity.translation_key,
                "original_name": entity.original_name,
                "device_class": entity.original_device_class,
                "entity_category": entity.entity_category and entity.entity_category.value,
                "unit": entity.unit_of_measurement,
                "subentry": entity.config_subentry_id,
                "device": device.name if device else None,
                "state": state.state if state else None,
                "state_class": state.attributes.get("state_class") if state else None,
            }
        )
    return projection


@pytest.mark.parametrize("topology", list(Topology))
async def test_entity_registry(
    hass: HomeAssistant, topology: Topology, snapshot: SnapshotAssertion
) -> None:
    entry = await setup_entry(hass, make_entry(topology))
    assert _registry_projection(hass, entry) == snapshot


async def test_devices(hass: HomeAssistant, device_registry: dr.DeviceRegistry) -> None:
    entry = await setup_entry(hass, make_entry())
    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    installation = next(d for d in devices if d.name == "Home")
    assert installation.model == "Cold line as the return (valve at the fixture)"
    fixtures = [d for d in devices if d.via_device_id == installation.id]
    assert sorted(d.name for d in fixtures) == ["Bathroom basin", "Kitchen sink", "Shower"]
    assert {d.model for d in fixtures} == {"Fixture"}


async def test_device_models_in_the_server_language(
    hass: HomeAssistant, device_registry: dr.DeviceRegistry
) -> None:
    hass.config.language = "zh-Hans"
    entry = await setup_entry(hass, make_entry())
    models = {
        d.name: d.model for d in dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    }
    assert models["Home"] == "冷水管回水（用水点装阀门）"  # noqa: RUF001 - Chinese brackets
    assert models["Kitchen sink"] == "用水点"


async def _call(
    hass: HomeAssistant, domain: str, service: str, entity_id: str, **data: Any
) -> None:
    await hass.services.async_call(domain, service, {"entity_id": entity_id, **data}, blocking=True)
    await hass.async_block_till_done()


async def test_pump_switch_purges_every_fixture(hass: HomeAssistant) -> None:
    await setup_entry(hass, make_entry())
    await _call(hass, "switch", "turn_on", "switch.home_pump")
    assert all(hass.states.get(valve).state == STATE_ON for valve in VALVES)
    assert hass.states.get(PUMP).state == STATE_ON
    assert hass.states.get("switch.home_pump").state == STATE_ON
    assert hass.states.get("switch.shower_hot_water").state == STATE_ON
    await _call(hass, "switch", "turn_off", "switch.home_pump")
    assert hass.states.get(PUMP).state == STATE_OFF
    assert all(hass.states.get(valve).state == STATE_OFF for valve in VALVES)
    assert hass.states.get("switch.home_pump").state == STATE_OFF


async def test_hot_water_switch_off_stops(hass: HomeAssistant) -> None:
    await setup_entry(hass, make_entry())
    await _call(hass, "switch", "turn_on", "switch.bathroom_basin_hot_water")
    assert hass.states.get(VALVES[1]).state == STATE_ON
    await _call(hass, "switch", "turn_off", "switch.bathroom_basin_hot_water")
    assert hass.states.get(VALVES[1]).state == STATE_OFF
    assert hass.states.get("switch.bathroom_basin_hot_water").state == STATE_OFF


async def test_valve_entity(hass: HomeAssistant) -> None:
    await setup_entry(hass, make_entry())
    assert hass.states.get("valve.kitchen_sink_valve").state == "closed"
    await _call(hass, "valve", "open_valve", "valve.kitchen_sink_valve")
    assert hass.states.get(VALVES[0]).state == STATE_ON
    assert hass.states.get("valve.kitchen_sink_valve").state == "open"
    await _call(hass, "valve", "close_valve", "valve.kitchen_sink_valve")
    assert hass.states.get(VALVES[0]).state == STATE_OFF
    assert hass.states.get("valve.kitchen_sink_valve").state == "closed"


async def test_valve_opening_and_closing(hass: HomeAssistant) -> None:
    """A slow (battery) valve: commanded open, not yet open; commanded closed, still open."""
    await setup_entry(hass, make_entry())
    fake = FakeHardware(hass)
    # The command lands but the device has not reported yet.
    fake[VALVES[0]].behaviour = Behaviour.NEVER
    await _call(hass, "button", "press", "button.kitchen_sink_heat_now")
    assert hass.states.get("valve.kitchen_sink_valve").state == "opening"
    fake.set(VALVES[0], STATE_ON)
    await settle(hass)
    assert hass.states.get("valve.kitchen_sink_valve").state == "open"
    await _call(hass, "switch", "turn_off", "switch.kitchen_sink_hot_water")
    assert hass.states.get("valve.kitchen_sink_valve").state == "closing"


async def test_availability_follows_the_wrapped_entities(hass: HomeAssistant) -> None:
    await setup_entry(hass, make_entry())
    hass.states.async_set(VALVES[0], STATE_UNAVAILABLE)
    hass.states.async_set(PUMP, STATE_UNAVAILABLE)
    await hass.async_block_till_done()
    assert hass.states.get("valve.kitchen_sink_valve").state == STATE_UNAVAILABLE
    assert hass.states.get("switch.home_pump").state == STATE_UNAVAILABLE
    assert hass.states.get("valve.bathroom_basin_valve").state == "closed"
    assert hass.states.get("binary_sensor.home_problem").state == STATE_ON
    assert hass.states.get("sensor.home_state").state == "fault"
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "switch", "turn_on", "switch.kitchen_sink_hot_water")
    assert err.value.translation_key == "refused_actuator_unavailable"
    hass.states.async_set(PUMP, STATE_OFF)
    hass.states.async_set(VALVES[0], STATE_OFF)
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.home_problem").state == STATE_OFF


async def test_heat_now_button(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, make_entry())
    await _call(hass, "button", "press", "button.shower_heat_now")
    assert hass.states.get(VALVES[2]).state == STATE_ON
    await _call(hass, "button", "press", "button.shower_heat_now")  # again: not an error
    assert entry.runtime_data.coordinator.controller.snapshot().fixtures[
        "fixture_shower"
    ].state.value in ("heating", "waiting_for_valve")


async def test_mode_select_is_restored(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, make_entry())
    assert hass.states.get("select.home_mode").state == "on_demand"
    await _call(hass, "select", "select_option", "select.home_mode", option="off")
    assert hass.states.get("select.home_mode").state == "off"
    assert hass.states.get("sensor.home_state").state == "off"
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "valve", "open_valve", "valve.kitchen_sink_valve")
    assert err.value.translation_key == "refused_mode_forbids"
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("select.home_mode").state == "off"


async def test_numbers_write_the_options(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, make_entry())
    assert hass.states.get("number.home_maximum_run_time").state == "300.0"
    await _call(hass, "number", "set_value", "number.home_maximum_run_time", value=200)
    assert entry.options[CONF_MAX_RUN] == 200
    assert hass.states.get("number.home_maximum_run_time").state == "200.0"
    assert entry.runtime_data.coordinator.controller.settings.max_run_s == 200
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "number", "set_value", "number.home_cold_line_limit", value=39)
    assert err.value.translation_key == "option_limit_below_target"
    assert entry.options[CONF_COLD_LINE_LIMIT] == 45.0
