"""Services: start (with and without a response), stop, reset_learning; their errors."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
)
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.zero_cold_water import services
from custom_components.zero_cold_water.const import (
    CONF_SENSOR,
    CONF_TAP_FLOW,
    CONF_TOPOLOGY,
    CONF_VALVE,
    DEFAULT_OPTIONS,
    DOMAIN,
    EVENT_CYCLE,
    SUBENTRY_FIXTURE,
)

from .conftest import PUMP, SENSORS, VALVES, make_entry, set_temperature, setup_entry

pytestmark = pytest.mark.usefixtures("hardware")


async def _start(hass: HomeAssistant, response: bool = False, **data: Any) -> Any:
    return await hass.services.async_call(
        DOMAIN, "start", data, blocking=True, return_response=response
    )


async def _settle(hass: HomeAssistant) -> None:
    """Let a service call running in a plain task (not tracked by hass) make progress."""
    for _ in range(5):
        await asyncio.sleep(0)
        await hass.async_block_till_done()


async def _heat(hass: HomeAssistant, freezer: FrozenDateTimeFactory, sensor: str) -> None:
    """The hot front arrives at ``sensor``."""
    for celsius in (21.0, 24.0, 30.0, 36.0, 42.0, 45.0):
        freezer.tick(timedelta(seconds=4))
        async_fire_time_changed(hass)
        set_temperature(hass, sensor, celsius)
        await hass.async_block_till_done()


async def test_start_by_entity_device_and_area(
    hass: HomeAssistant, device_registry: dr.DeviceRegistry, area_registry: ar.AreaRegistry
) -> None:
    entry = await setup_entry(hass, make_entry())
    coordinator = entry.runtime_data.coordinator
    assert await _start(hass, entity_id="switch.kitchen_sink_hot_water") is None
    await hass.async_block_till_done()
    assert hass.states.get(VALVES[0]).state == STATE_ON
    assert hass.states.get(VALVES[1]).state == STATE_OFF

    await hass.services.async_call(
        DOMAIN, "stop", {"device_id": coordinator.installation_device_id}, blocking=True
    )
    await hass.async_block_till_done()
    assert hass.states.get(VALVES[0]).state == STATE_OFF
    freezer_free_cooldown = coordinator.controller.settings.cooldown_s
    assert freezer_free_cooldown == 15.0

    area = area_registry.async_create("Bathroom")
    device_registry.async_update_device(
        coordinator.fixture_device_id("fixture_basin"), area_id=area.id
    )
    response = await _start(hass, response=False, area_id=area.id)  # cooling down: it waits
    assert response is None
    assert hass.states.get("switch.bathroom_basin_hot_water").state == STATE_ON
    assert hass.states.get(VALVES[1]).state == STATE_OFF


async def test_start_with_a_response(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    await setup_entry(hass, make_entry())
    events = async_capture_events(hass, EVENT_CYCLE)
    task = asyncio.ensure_future(
        _start(
            hass,
            response=True,
            entity_id="switch.kitchen_sink_hot_water",
            target_temperature=42,
            max_run_time=200,
        )
    )
    await _settle(hass)
    assert hass.states.get(PUMP).state == STATE_ON
    await _heat(hass, freezer, SENSORS[0])
    response = await task
    assert response["refused"] == []
    (cycle,) = response["cycles"]
    assert cycle["fixture"] == "Kitchen sink"
    assert cycle["outcome"] == "ready"
    assert cycle["trigger"] == "automation"
    assert cycle["time_to_hot_s"] > 0
    assert cycle["device_id"] == events[0].data["device_id"]


async def test_start_already_hot_answers_at_once(hass: HomeAssistant) -> None:
    set_temperature(hass, SENSORS[1], 50.0)
    await setup_entry(hass, make_entry())
    response = await _start(hass, response=True, entity_id="switch.bathroom_basin_hot_water")
    assert [c["outcome"] for c in response["cycles"]] == ["already_hot"]
    assert hass.states.get(PUMP).state == STATE_OFF


async def test_start_the_whole_installation(hass: HomeAssistant) -> None:
    await setup_entry(hass, make_entry())
    await _start(hass, entity_id="sensor.home_state")
    await hass.async_block_till_done()
    assert all(hass.states.get(valve).state == STATE_ON for valve in VALVES)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"entity_id": "switch.kitchen_sink_hot_water", "target_temperature": 99}, "out_of_range"),
        ({"entity_id": "switch.kitchen_sink_hot_water", "max_run_time": 5}, "out_of_range"),
        ({"entity_id": PUMP}, "no_fixtures"),
    ],
)
async def test_start_validation(hass: HomeAssistant, data: dict[str, Any], key: str) -> None:
    await setup_entry(hass, make_entry())
    with pytest.raises(ServiceValidationError) as err:
        await _start(hass, **data)
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == key


async def test_unloaded_and_empty_installations_are_not_targets(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, make_entry())
    assert await hass.config_entries.async_unload(entry.entry_id)
    with pytest.raises(ServiceValidationError):
        await _start(hass, entity_id="switch.kitchen_sink_hot_water")
    empty = MockConfigEntry(
        domain=DOMAIN,
        title="Empty",
        data={CONF_TOPOLOGY: "drain"},
        options=DEFAULT_OPTIONS,
        version=1,
        minor_version=2,
    )
    await setup_entry(hass, empty)
    with pytest.raises(ServiceValidationError):
        await _start(hass, entity_id="sensor.empty_state")


async def test_refusals_for_different_reasons(hass: HomeAssistant) -> None:
    await setup_entry(hass, make_entry(fixtures=1))
    other = MockConfigEntry(
        domain=DOMAIN,
        title="Flat",
        data={CONF_TOPOLOGY: "drain"},
        options=DEFAULT_OPTIONS,
        version=1,
        minor_version=2,
        subentries_data=[
            {
                "data": {
                    CONF_SENSOR: SENSORS[1],
                    CONF_VALVE: "input_boolean.valve",
                    CONF_TAP_FLOW: 8,
                },
                "subentry_id": "flat_sink",
                "subentry_type": SUBENTRY_FIXTURE,
                "title": "Flat sink",
                "unique_id": None,
            }
        ],
    )
    await setup_entry(hass, other)
    await hass.services.async_call(
        "select", "select_option", {"entity_id": "select.home_mode", "option": "off"}, blocking=True
    )
    hass.states.async_set("input_boolean.valve", STATE_UNAVAILABLE)
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError) as err:
        await _start(
            hass, entity_id=["switch.kitchen_sink_hot_water", "switch.flat_sink_hot_water"]
        )
    assert err.value.translation_key == "refused_several"
    assert sorted(err.value.translation_placeholders["fixtures"].split(", ")) == [
        "Flat sink",
        "Kitchen sink",
    ]


async def test_unload_while_waiting_for_a_response(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, make_entry())
    task = asyncio.ensure_future(
        _start(hass, response=True, entity_id="switch.kitchen_sink_hot_water")
    )
    await _settle(hass)
    assert hass.states.get(PUMP).state == STATE_ON
    assert await hass.config_entries.async_unload(entry.entry_id)
    response = await task
    assert [(c["outcome"], c["end_reason"]) for c in response["cycles"]] == [
        ("stopped", "shutdown")
    ]
    assert hass.states.get(PUMP).state == STATE_OFF


async def test_no_response_in_time(hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "RESPONSE_MARGIN_S", -299.95)
    await setup_entry(hass, make_entry())
    with pytest.raises(HomeAssistantError) as err:
        await _start(hass, response=True, entity_id="switch.kitchen_sink_hot_water")
    assert err.value.translation_key == "no_response"


async def test_reset_learning(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    entry = await setup_entry(hass, make_entry())
    coordinator = entry.runtime_data.coordinator
    await _start(hass, entity_id="switch.kitchen_sink_hot_water")
    await _heat(hass, freezer, SENSORS[0])
    assert coordinator.learned.fixture("fixture_kitchen").transit_l is not None
    assert hass.states.get("sensor.kitchen_sink_learned_pipe_volume").state != "unknown"
    await hass.services.async_call(
        DOMAIN, "reset_learning", {"entity_id": "sensor.home_state"}, blocking=True
    )
    await hass.async_block_till_done()
    assert coordinator.learned.fixture("fixture_kitchen").transit_l is None
    assert coordinator.learned.totals.cycles == 1
    assert hass.states.get("sensor.kitchen_sink_learned_pipe_volume").state == "unknown"
    assert hass.states.get("sensor.home_cycles").state == "1"
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}"]["data"]
    assert stored["learned"]["fixtures"] == {}
    assert stored["learned"]["totals"]["cycles"] == 1


async def test_services_are_registered_once(hass: HomeAssistant) -> None:
    await setup_entry(hass, make_entry())
    assert set(hass.services.async_services_for_domain(DOMAIN)) == {
        "start",
        "stop",
        "reset_learning",
    }
    entity = er.async_get(hass).async_get("switch.kitchen_sink_hot_water")
    assert entity is not None
    assert entity.config_subentry_id == "fixture_kitchen"
    await asyncio.sleep(0)
