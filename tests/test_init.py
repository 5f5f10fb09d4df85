"""Setting up, reloading, unloading, migrating and removing an installation."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState, ConfigSubentry
from homeassistant.const import EVENT_HOMEASSISTANT_STOP, STATE_OFF
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.zero_cold_water.const import (
    CONF_MAX_RUN,
    CONF_PUMP,
    CONF_PUMP_FLOW,
    CONF_SENSOR,
    CONF_TOPOLOGY,
    CONF_VALVE,
    DEFAULT_OPTIONS,
    DOMAIN,
    SUBENTRY_FIXTURE,
    Topology,
)

from .conftest import (
    ENTRY_ID,
    FIXTURE_IDS,
    PUMP,
    SENSORS,
    VALVES,
    integration_timers,
    make_entry,
    setup_entry,
)

pytestmark = pytest.mark.usefixtures("hardware")


def _listeners(hass: HomeAssistant) -> dict[str, int]:
    """Bus listeners, without HA's registries' pending storage flushes."""
    listeners = dict(hass.bus.async_listeners())
    listeners.pop("homeassistant_final_write", None)
    return listeners


async def test_setup_and_unload_leave_nothing_behind(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, make_entry())
    # The platforms' own listeners stay once loaded; measure from a first unload.
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    before = _listeners(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    data = entry.runtime_data
    assert data.topology is Topology.COLD_LINE
    coordinator = data.coordinator
    assert coordinator.controller is not None

    # A cycle runs: valve open, pump on, a wake-up scheduled.
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.kitchen_sink_hot_water"}, blocking=True
    )
    await hass.async_block_till_done()
    assert hass.states.get(PUMP).state == "on"
    assert integration_timers(hass)

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    # Safe state first ...
    assert hass.states.get(PUMP).state == STATE_OFF
    assert all(hass.states.get(valve).state == STATE_OFF for valve in VALVES)
    # ... and nothing left: no listener, no timer, no task.
    assert _listeners(hass) == before
    assert integration_timers(hass) == []
    assert coordinator.store._delay_handle is None
    assert coordinator.store._unsub_final_write_listener is None
    assert not entry._background_tasks
    assert hass.states.get("switch.kitchen_sink_hot_water").state == "unavailable"


async def test_ha_stop_leaves_the_hardware_safe(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, make_entry())
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.home_pump"}, blocking=True
    )
    await hass.async_block_till_done()
    assert hass.states.get(VALVES[0]).state == "on"
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    assert hass.states.get(PUMP).state == STATE_OFF
    assert all(hass.states.get(valve).state == STATE_OFF for valve in VALVES)
    assert entry.runtime_data.coordinator.controller.snapshot().shut_down


async def test_startup_drives_the_hardware_safe(hass: HomeAssistant) -> None:
    """Whatever was running before a restart, start-up switches it off."""
    for entity_id in (PUMP, *VALVES):
        await hass.services.async_call(
            "input_boolean", "turn_on", {"entity_id": entity_id}, blocking=True
        )
    await setup_entry(hass, make_entry())
    assert hass.states.get(PUMP).state == STATE_OFF
    assert all(hass.states.get(valve).state == STATE_OFF for valve in VALVES)


async def test_installation_without_fixtures(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, make_entry(fixtures=0))
    assert entry.runtime_data.coordinator.controller is None
    assert hass.states.get("sensor.home_state").state == "unavailable"
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_migrate_from_1_1(hass: HomeAssistant) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={CONF_TOPOLOGY: "cold_line", CONF_PUMP: PUMP},
        version=1,
        minor_version=1,
    )
    drain = MockConfigEntry(
        domain=DOMAIN, title="Flat", data={CONF_TOPOLOGY: "drain"}, version=1, minor_version=1
    )
    await setup_entry(hass, entry)
    await setup_entry(hass, drain)
    assert (entry.version, entry.minor_version) == (1, 2)
    assert entry.data == {CONF_TOPOLOGY: "cold_line", CONF_PUMP: PUMP, CONF_PUMP_FLOW: 6.0}
    assert entry.options == DEFAULT_OPTIONS
    assert drain.data == {CONF_TOPOLOGY: "drain"}
    assert drain.options == DEFAULT_OPTIONS


async def test_migrate_from_the_future_fails(hass: HomeAssistant) -> None:
    entry = MockConfigEntry(domain=DOMAIN, title="Home", data={CONF_TOPOLOGY: "drain"}, version=2)
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR


async def test_wrapped_entities_hidden_and_given_back(
    hass: HomeAssistant, entity_registry: er.EntityRegistry
) -> None:
    """The flows hide what they wrap; removing a fixture or the installation gives it back."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": "user"})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Home", CONF_TOPOLOGY: "cold_line"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PUMP: PUMP, CONF_PUMP_FLOW: 6.0}
    )
    entry = result["result"]
    for index, name in enumerate(("Sink", "Basin")):
        result = await hass.config_entries.subentries.async_init(
            (entry.entry_id, SUBENTRY_FIXTURE), context={"source": "user"}
        )
        await hass.config_entries.subentries.async_configure(
            result["flow_id"],
            {"name": name, CONF_SENSOR: SENSORS[index], CONF_VALVE: VALVES[index]},
        )
    await hass.async_block_till_done()
    for entity_id in (PUMP, *VALVES[:2]):
        assert entity_registry.async_get(entity_id).hidden_by is er.RegistryEntryHider.INTEGRATION
    assert entity_registry.async_get(VALVES[2]).hidden_by is None
    # A user who unhides one keeps it visible across a reload.
    entity_registry.async_update_entity(VALVES[1], hidden_by=None)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entity_registry.async_get(VALVES[1]).hidden_by is None
    # A fixture removed: its valve comes back, the entry reloads without it.
    sink = next(sid for sid, sub in entry.subentries.items() if sub.title == "Sink")
    assert hass.config_entries.async_remove_subentry(entry, sink)
    await hass.async_block_till_done()
    assert entity_registry.async_get(VALVES[0]).hidden_by is None
    assert entity_registry.async_get(PUMP).hidden_by is er.RegistryEntryHider.INTEGRATION
    assert hass.states.get("switch.sink_hot_water") is None
    assert len(entry.runtime_data.coordinator.settings.names) == 1
    # The installation removed: everything comes back.
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    for entity_id in (PUMP, *VALVES):
        assert entity_registry.async_get(entity_id).hidden_by is None


async def test_user_hidden_entities_stay_hidden(
    hass: HomeAssistant, entity_registry: er.EntityRegistry
) -> None:
    entity_registry.async_update_entity(PUMP, hidden_by=er.RegistryEntryHider.USER)
    entry = await setup_entry(hass, make_entry())
    assert await hass.config_entries.async_remove(entry.entry_id)
    assert entity_registry.async_get(PUMP).hidden_by is er.RegistryEntryHider.USER


async def test_options_change_goes_to_the_engine_without_reload(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, make_entry())
    coordinator = entry.runtime_data.coordinator
    hass.config_entries.async_update_entry(entry, options={**entry.options, CONF_MAX_RUN: 120.0})
    await hass.async_block_till_done()
    assert entry.runtime_data.coordinator is coordinator
    assert coordinator.controller.settings.max_run_s == 120.0


async def test_adding_a_fixture_reloads(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, make_entry(fixtures=2))
    coordinator = entry.runtime_data.coordinator
    hass.config_entries.async_add_subentry(
        entry,
        ConfigSubentry(
            data={CONF_SENSOR: SENSORS[2], CONF_VALVE: VALVES[2]},
            subentry_type=SUBENTRY_FIXTURE,
            title="Shower",
            unique_id=None,
        ),
    )
    await hass.async_block_till_done()
    assert entry.runtime_data.coordinator is not coordinator
    assert hass.states.get("switch.shower_hot_water").state == STATE_OFF


async def test_renamed_entity_is_followed(
    hass: HomeAssistant, entity_registry: er.EntityRegistry
) -> None:
    entry = await setup_entry(hass, make_entry())
    entity_registry.async_update_entity(VALVES[0], new_entity_id="input_boolean.sink_valve")
    entity_registry.async_update_entity(PUMP, new_entity_id="input_boolean.circulator")
    await hass.async_block_till_done()
    assert entry.subentries[FIXTURE_IDS[0]].data[CONF_VALVE] == "input_boolean.sink_valve"
    assert entry.data[CONF_PUMP] == "input_boolean.circulator"
    assert entry.state is ConfigEntryState.LOADED
    entity_registry.async_update_entity(VALVES[1], name="Basin valve, renamed")
    await hass.async_block_till_done()
    assert entry.subentries[FIXTURE_IDS[1]].data[CONF_VALVE] == VALVES[1]


async def test_removed_entity_raises_an_issue(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, issue_registry: ir.IssueRegistry
) -> None:
    await setup_entry(hass, make_entry())
    entity_registry.async_remove(VALVES[1])
    entity_registry.async_remove("switch.kitchen_sink_hot_water")  # not wrapped: no issue
    await hass.async_block_till_done()
    issue = issue_registry.async_get_issue(DOMAIN, f"missing_{ENTRY_ID}_valve_{FIXTURE_IDS[1]}")
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_placeholders["entity_id"] == VALVES[1]
    assert len([i for i in issue_registry.issues if i[0] == DOMAIN]) == 1


async def test_missing_entity_at_setup_raises_an_issue_and_it_clears(
    hass: HomeAssistant, issue_registry: ir.IssueRegistry
) -> None:
    entry = make_entry(
        data={CONF_TOPOLOGY: "cold_line", CONF_PUMP: "switch.gone", CONF_PUMP_FLOW: 6}
    )
    await setup_entry(hass, entry)
    issue_id = f"missing_{ENTRY_ID}_pump_installation"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    assert hass.states.get("switch.home_pump").state == "unavailable"
    hass.states.async_set("switch.gone", "off")
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert await hass.config_entries.async_remove(entry.entry_id)


async def test_unavailable_wrapped_entity_logged_once_and_once_back(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    await setup_entry(hass, make_entry())
    caplog.set_level("INFO", logger="custom_components.zero_cold_water")

    def lines(text: str) -> list[str]:
        return [
            r.getMessage()
            for r in caplog.records
            if r.levelname == "INFO" and text in r.getMessage()
        ]

    for state in ("unavailable", "unavailable", "40.0", "unavailable", "41.0", "42.0"):
        hass.states.async_set(SENSORS[0], state, {"reported": state})  # a report each time
        await hass.async_block_till_done()
    assert lines(f"{SENSORS[0]} is unavailable") == [f"Home: {SENSORS[0]} is unavailable"] * 2
    assert (
        lines(f"{SENSORS[0]} is available again") == [f"Home: {SENSORS[0]} is available again"] * 2
    )

    # Gone from the state machine counts as unavailable too; a valve like a sensor.
    hass.states.async_remove(VALVES[0])
    await hass.async_block_till_done()
    hass.states.async_set(VALVES[0], STATE_OFF)
    await hass.async_block_till_done()
    assert len(lines(f"{VALVES[0]} is unavailable")) == 1
    assert len(lines(f"{VALVES[0]} is available again")) == 1
    assert not lines(PUMP)  # never unavailable: nothing said


async def test_entity_never_seen_available_is_not_news(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    hass.states.async_set(SENSORS[1], "unavailable")  # its integration still loading
    await setup_entry(hass, make_entry())
    caplog.set_level("INFO", logger="custom_components.zero_cold_water")
    hass.states.async_set(SENSORS[1], "unavailable", {"again": True})
    hass.states.async_set(SENSORS[1], "38.0")
    await hass.async_block_till_done()
    assert not [r for r in caplog.records if SENSORS[1] in r.getMessage()]
