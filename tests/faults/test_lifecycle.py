"""HA stopping or restarting, reload, unload, a fixture removed: all mid-cycle.

Expected: the pump off and every valve closed before anything is torn down; the interrupted
cycle recorded as ``stopped``; after a restart the hardware is driven safe whatever it was.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_STOP, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.zero_cold_water.const import DOMAIN, EVENT_CYCLE
from tests.conftest import ENTRY_ID, FIXTURE_IDS, PUMP, VALVES, settle, setup_entry
from tests.faults.hardware import FakeHardware, SafetyObserver


async def _all_hot_water(hass: HomeAssistant) -> None:
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.home_pump"}, blocking=True
    )
    await settle(hass)
    assert hass.states.get(PUMP).state == STATE_ON


async def test_ha_stop_mid_cycle_then_restart(
    hass: HomeAssistant,
    *,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    await _all_hot_water(hass)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await settle(hass)
    observer.assert_at_rest()
    assert {(e.data["outcome"], e.data["end_reason"]) for e in outcomes} == {
        ("stopped", "shutdown")
    }
    assert len(outcomes) == 3
    assert f"{DOMAIN}.{ENTRY_ID}" in hass_storage  # learned data written at the stop
    # HA comes back (the stand-ins were left on, e.g. after a crash): start-up makes them safe.
    assert await hass.config_entries.async_unload(home.entry_id)
    observer.allow = True
    for entity_id in (PUMP, *VALVES):
        fake.set(entity_id, STATE_ON)
    await settle(hass)
    observer.allow = False
    assert await hass.config_entries.async_setup(home.entry_id)
    await settle(hass)
    observer.assert_at_rest()
    assert hass.states.get("sensor.home_state").state == "idle"


@pytest.mark.parametrize("action", ["reload", "unload"])
async def test_reload_or_unload_mid_cycle(
    hass: HomeAssistant,
    *,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
    action: str,
) -> None:
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    await _all_hot_water(hass)
    if action == "reload":
        assert await hass.config_entries.async_reload(home.entry_id)
    else:
        assert await hass.config_entries.async_unload(home.entry_id)
    await settle(hass)
    observer.assert_at_rest()
    assert {e.data["outcome"] for e in outcomes} == {"stopped"}
    expected = ConfigEntryState.LOADED if action == "reload" else ConfigEntryState.NOT_LOADED
    assert home.state is expected


async def test_fixture_removed_mid_cycle(
    hass: HomeAssistant,
    *,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
) -> None:
    await _all_hot_water(hass)
    assert hass.config_entries.async_remove_subentry(home, FIXTURE_IDS[0])
    await settle(hass)
    observer.assert_at_rest()
    assert home.state is ConfigEntryState.LOADED
    assert FIXTURE_IDS[0] not in home.runtime_data.coordinator.settings.names
    assert hass.states.get("switch.kitchen_sink_hot_water") is None


async def test_wrapped_valve_deleted_mid_cycle(
    hass: HomeAssistant,
    *,
    hardware: None,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """The real input_boolean valve removed while it is open: the pump stops, an issue is raised."""
    await setup_entry(hass, config_entry)
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.kitchen_sink_hot_water"}, blocking=True
    )
    await settle(hass)
    assert hass.states.get(PUMP).state == STATE_ON
    entity_registry.async_remove(VALVES[0])
    await settle(hass)
    assert hass.states.get(PUMP).state == "off"
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"missing_{ENTRY_ID}_valve_{FIXTURE_IDS[0]}")
