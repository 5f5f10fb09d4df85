"""HA stopping or restarting, reload, unload, a fixture removed: all mid-cycle.

Expected: the pump off and every valve closed before anything is torn down; the interrupted
cycle recorded as ``stopped``; after a restart the hardware is driven safe whatever it was.
"""

from __future__ import annotations

import copy
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
from custom_components.zero_cold_water.logbook import async_describe_events
from tests.conftest import ENTRY_ID, FIXTURE_IDS, PUMP, VALVES, make_entry, settle, setup_entry
from tests.faults.hardware import FakeHardware, SafetyObserver


async def _all_hot_water(hass: HomeAssistant) -> None:
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.home_pump"}, blocking=True
    )
    await settle(hass)
    assert hass.states.get(PUMP).state == STATE_ON


async def _leave_hardware_on(
    hass: HomeAssistant, fake: FakeHardware, observer: SafetyObserver
) -> None:
    """The pump and every valve left on, as a crash leaves them (the observer lets it be)."""
    observer.allow = True
    for entity_id in (PUMP, *VALVES):
        fake.set(entity_id, STATE_ON)
    await settle(hass)
    observer.allow = False


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
    await _leave_hardware_on(hass, fake, observer)
    assert await hass.config_entries.async_setup(home.entry_id)
    await settle(hass)
    observer.assert_at_rest()
    assert hass.states.get("sensor.home_state").state == "idle"


async def test_crash_mid_cycle_is_recorded_at_the_next_start(
    hass: HomeAssistant,
    *,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """A crash or power cut mid-cycle: at the next start the cut cycles are reported stopped.

    A process cannot be killed inside the test, so the crash is what it leaves behind: the
    store as it was on disk mid-cycle, the hardware left on. The clean unload in between only
    frees the entry for the new set-up; its own records and store write are discarded.
    """
    key = f"{DOMAIN}.{ENTRY_ID}"
    await _all_hot_water(hass)
    # The marker is written at once (not after the learned data's delay).
    running = hass_storage[key]["data"]["running"]
    assert set(running) == set(FIXTURE_IDS)
    assert {item["trigger"] for item in running.values()} == {"dashboard"}
    started_at = {f: item["started_at"] for f, item in running.items()}
    on_disk = copy.deepcopy(hass_storage[key])  # what the crash leaves
    assert await hass.config_entries.async_unload(home.entry_id)
    await settle(hass)
    hass_storage[key] = on_disk
    await _leave_hardware_on(hass, fake, observer)

    outcomes = async_capture_events(hass, EVENT_CYCLE)
    assert await hass.config_entries.async_setup(home.entry_id)
    await settle(hass)
    observer.assert_at_rest()
    assert sorted(
        (e.data["fixture_id"], e.data["outcome"], e.data["end_reason"], e.data["trigger"])
        for e in outcomes
    ) == sorted((f, "stopped", "restarted", "dashboard") for f in FIXTURE_IDS)
    coordinator = home.runtime_data.coordinator
    assert {c.fixture: c.figures.started_at for c in coordinator.recent_cycles} == started_at
    cycle = hass.states.get("event.home_cycle")
    assert cycle is not None
    assert cycle.attributes["event_type"] == "stopped"
    assert cycle.attributes["end_reason"] == "restarted"
    described: dict[str, Any] = {}
    async_describe_events(hass, lambda _d, _t, describe: described.setdefault("f", describe))
    assert described["f"](outcomes[0])["message"] == (
        "hot water cycle stopped (Home Assistant did not stop cleanly)"
    )
    # Reported once: the marker is gone from the store, a further restart reports nothing.
    assert hass_storage[key]["data"]["running"] == {}
    assert await hass.config_entries.async_reload(home.entry_id)
    await settle(hass)
    assert len(outcomes) == 3


async def test_finished_cycles_leave_no_marker(
    hass: HomeAssistant,
    *,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """A cycle that ends cleanly clears its marker at once: a crash after it reports nothing."""
    await _all_hot_water(hass)
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.home_pump"}, blocking=True
    )
    await settle(hass)
    observer.assert_at_rest()
    assert hass_storage[f"{DOMAIN}.{ENTRY_ID}"]["data"]["running"] == {}


@pytest.mark.parametrize(
    "running",
    [
        [],
        {"fixture_kitchen": "on"},
        {"fixture_kitchen": {"trigger": "gremlin", "started_at": 1.0, "arrival_basis": "sensor"}},
        {"fixture_kitchen": {"trigger": "button", "started_at": True, "arrival_basis": "sensor"}},
        {"fixture_kitchen": {"trigger": "button", "started_at": 1.0, "arrival_basis": "?"}},
        {"gone_fixture": {"trigger": "button", "started_at": 1.0, "arrival_basis": "sensor"}},
    ],
)
async def test_unreadable_running_marker_is_ignored(
    hass: HomeAssistant, *, fake: FakeHardware, hass_storage: dict[str, Any], running: Any
) -> None:
    """A corrupted marker (or one for a fixture no longer there) never breaks set-up."""
    hass_storage[f"{DOMAIN}.{ENTRY_ID}"] = {
        "version": 1,
        "key": f"{DOMAIN}.{ENTRY_ID}",
        "data": {"mode": "on_demand", "running": running},
    }
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    entry = await setup_entry(hass, make_entry())
    assert entry.state is ConfigEntryState.LOADED
    assert outcomes == []


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
