"""Remote controls: event, action-sensor, binary-sensor and button entities bound as remotes."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER
from homeassistant.const import CONF_NAME, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.zero_cold_water.const import (
    CONF_COOLDOWN,
    CONF_REMOTE_ENTITY,
    CONF_REMOTE_FIXTURES,
    CONF_START_ON,
    CONF_STOP_ON,
    DOMAIN,
    SUBENTRY_REMOTE,
)
from custom_components.zero_cold_water.remotes import RemoteAction, binding_from

from .conftest import FIXTURE_IDS, make_entry, settle

BUTTON = "event.kitchen_button"
PUMP = "input_boolean.pump"


def _press(hass: HomeAssistant, event_type: str) -> None:
    """A ZHA/Z2M/Matter event entity: a new timestamp state with the event type."""
    hass.states.async_set(
        BUTTON,
        dt_util.utcnow().isoformat(timespec="microseconds"),
        {"event_types": ["single", "double", "long"], "event_type": event_type},
    )


def _with_remotes(*remotes: tuple[str, dict[str, Any]]) -> MockConfigEntry:
    """The three-fixture cold-line installation (no cooldown) with ``remotes`` bound."""
    base = make_entry(options={CONF_COOLDOWN: 0.0})
    fixtures = [
        {
            "data": dict(sub.data),
            "subentry_id": sub.subentry_id,
            "subentry_type": sub.subentry_type,
            "title": sub.title,
            "unique_id": None,
        }
        for sub in base.subentries.values()
    ]
    return MockConfigEntry(
        domain=base.domain,
        title=base.title,
        data=dict(base.data),
        options=dict(base.options),
        version=1,
        minor_version=2,
        entry_id=base.entry_id,
        subentries_data=[
            *fixtures,
            *(
                {
                    "data": data,
                    "subentry_id": f"remote_{index}",
                    "subentry_type": SUBENTRY_REMOTE,
                    "title": title,
                    "unique_id": None,
                }
                for index, (title, data) in enumerate(remotes)
            ),
        ],
    )


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)


async def test_event_entity_button_starts_and_stops(hass: HomeAssistant, hardware: None) -> None:
    _press(hass, "single")  # the button's last press, from before: no press now
    await hass.async_block_till_done()
    entry = _with_remotes(
        (
            "Kitchen button",
            {
                CONF_REMOTE_ENTITY: BUTTON,
                CONF_REMOTE_FIXTURES: [FIXTURE_IDS[0]],
                CONF_START_ON: ["single", "double"],
                CONF_STOP_ON: ["long"],
            },
        )
    )
    await _setup(hass, entry)
    assert hass.states.get(PUMP).state == STATE_OFF
    remote = "event.kitchen_button_presses"
    assert hass.states.get(remote) is not None
    device_id = er.async_get(hass).async_get(remote).device_id
    assert dr.async_get(hass).async_get(device_id).model == "Remote"

    _press(hass, "single")
    await settle(hass)
    assert hass.states.get("input_boolean.kitchen_valve").state == STATE_ON
    assert hass.states.get("input_boolean.basin_valve").state == STATE_OFF
    assert hass.states.get(PUMP).state == STATE_ON
    state = hass.states.get(remote)
    assert state.attributes["event_type"] == RemoteAction.START
    assert state.attributes["action"] == "single"
    assert state.attributes["fixtures"] == ["Kitchen sink"]
    assert state.attributes["source"] == BUTTON

    _press(hass, "long")
    await settle(hass)
    assert hass.states.get(PUMP).state == STATE_OFF
    assert hass.states.get("input_boolean.kitchen_valve").state == STATE_OFF
    assert hass.states.get(remote).attributes["event_type"] == RemoteAction.STOP

    # An unmapped press is relayed, and does nothing.
    _press(hass, "triple")
    await settle(hass)
    assert hass.states.get(PUMP).state == STATE_OFF
    assert hass.states.get(remote).attributes["event_type"] == RemoteAction.OTHER

    # Gone and back (a sleepy device rejoining) is no press.
    hass.states.async_set(BUTTON, "unavailable")
    await settle(hass)
    _press(hass, "single")
    await settle(hass)
    assert hass.states.get(PUMP).state == STATE_OFF


async def test_action_sensor_binary_sensor_and_input_button(
    hass: HomeAssistant, hardware: None
) -> None:
    assert await async_setup_component(hass, "input_button", {"input_button": {"bell": {}}})
    hass.states.async_set("sensor.switch_action", "")
    hass.states.async_set("binary_sensor.shower_door", STATE_OFF)
    await hass.async_block_till_done()
    entry = _with_remotes(
        ("Wall switch", {CONF_REMOTE_ENTITY: "sensor.switch_action", CONF_STOP_ON: ["hold"]}),
        (
            "Shower door",
            {
                CONF_REMOTE_ENTITY: "binary_sensor.shower_door",
                CONF_REMOTE_FIXTURES: [FIXTURE_IDS[2]],
            },
        ),
        ("Bell", {CONF_REMOTE_ENTITY: "input_button.bell", CONF_REMOTE_FIXTURES: [FIXTURE_IDS[1]]}),
    )
    await _setup(hass, entry)

    # Zigbee2MQTT's action sensor: "single" starts every fixture, the clearing "" is no press.
    hass.states.async_set("sensor.switch_action", "single")
    await settle(hass)
    assert all(
        hass.states.get(valve).state == STATE_ON
        for valve in ("input_boolean.kitchen_valve", "input_boolean.basin_valve")
    )
    hass.states.async_set("sensor.switch_action", "")
    await settle(hass)
    assert hass.states.get(PUMP).state == STATE_ON
    hass.states.async_set("sensor.switch_action", "hold")
    await settle(hass)
    assert hass.states.get(PUMP).state == STATE_OFF

    # A binary sensor: on starts (its fixture only), off is no press.
    hass.states.async_set("binary_sensor.shower_door", STATE_ON)
    await settle(hass)
    assert hass.states.get("input_boolean.shower_valve").state == STATE_ON
    assert hass.states.get("input_boolean.kitchen_valve").state == STATE_OFF
    hass.states.async_set("binary_sensor.shower_door", STATE_OFF)
    await settle(hass)
    assert hass.states.get("input_boolean.shower_valve").state == STATE_ON
    door = hass.states.get("event.shower_door_presses")
    assert (door.attributes["event_type"], door.attributes["action"]) == ("other", STATE_OFF)

    # An input button: every press starts.
    await hass.services.async_call(
        "input_button", "press", {"entity_id": "input_button.bell"}, blocking=True
    )
    await settle(hass)
    assert hass.states.get("input_boolean.basin_valve").state == STATE_ON
    assert hass.states.get("event.bell_presses").attributes["action"] == "press"


async def test_remote_flow(hass: HomeAssistant, hardware: None) -> None:
    _press(hass, "single")
    hass.states.async_set("light.lamp", STATE_OFF)
    entry = make_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)

    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_REMOTE), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: " ", CONF_REMOTE_ENTITY: "light.lamp"}
    )
    assert result["errors"] == {CONF_NAME: "name_empty", CONF_REMOTE_ENTITY: "remote_wrong_domain"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "Kitchen button", CONF_REMOTE_ENTITY: BUTTON}
    )
    assert result["step_id"] == "actions"
    # The event entity's event types are offered.
    schema = result["data_schema"].schema
    start_selector = next(v for k, v in schema.items() if k == CONF_START_ON)
    assert list(start_selector.config["options"]) == ["single", "double", "long"]
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_START_ON: ["single"], CONF_STOP_ON: ["single"]}
    )
    assert result["errors"] == {CONF_STOP_ON: "start_stop_overlap"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {CONF_REMOTE_FIXTURES: [FIXTURE_IDS[0]], CONF_START_ON: ["single"], CONF_STOP_ON: ["long"]},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await settle(hass)
    remote = next(s for s in entry.subentries.values() if s.subentry_type == SUBENTRY_REMOTE)
    assert remote.title == "Kitchen button"
    assert dict(remote.data) == {
        CONF_REMOTE_ENTITY: BUTTON,
        CONF_REMOTE_FIXTURES: [FIXTURE_IDS[0]],
        CONF_START_ON: ["single"],
        CONF_STOP_ON: ["long"],
    }
    # The installation reloaded with the remote: a press starts the kitchen sink.
    _press(hass, "single")
    await settle(hass)
    assert hass.states.get("input_boolean.kitchen_valve").state == STATE_ON

    # A second remote cannot take the same name; reconfigure renames and remaps.
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_REMOTE), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "kitchen BUTTON", CONF_REMOTE_ENTITY: BUTTON}
    )
    assert result["errors"] == {CONF_NAME: "remote_name_in_use"}

    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_REMOTE),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": remote.subentry_id},
    )
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "Sink button", CONF_REMOTE_ENTITY: BUTTON}
    )
    assert result["step_id"] == "actions"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_START_ON: ["double"]}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    remote = entry.subentries[remote.subentry_id]
    assert remote.title == "Sink button"
    assert remote.data[CONF_START_ON] == ["double"]


@pytest.mark.parametrize(
    ("entity_id", "old", "new", "expected"),
    [
        ("event.b", None, "2026-01-01", None),
        ("event.b", "2026-01-01", "2026-01-02", "single"),
        ("input_button.b", "unknown", "2026-01-02", "press"),
        ("input_button.b", "unavailable", "2026-01-02", None),
        ("binary_sensor.b", "unavailable", "on", None),
        ("binary_sensor.b", "on", "on", None),
        ("sensor.b", "single", "", None),
        ("sensor.b", "", "double", "double"),
    ],
)
def test_actions(entity_id: str, old: str | None, new: str, expected: str | None) -> None:
    from homeassistant.core import State

    binding = binding_from("r", "R", {CONF_REMOTE_ENTITY: entity_id})
    old_state = State(entity_id, old) if old is not None else None
    new_state = State(entity_id, new, {"event_type": "single"})
    assert binding.action(old_state, new_state) == expected
    if entity_id.startswith("binary_sensor"):
        assert binding.decide("off") is RemoteAction.OTHER


async def test_offered_actions(hass: HomeAssistant) -> None:
    from custom_components.zero_cold_water.remote_flow import remote_actions

    hass.states.async_set("sensor.action", "", {"options": ["single", "hold"]})
    hass.states.async_set("sensor.plain", "")
    assert remote_actions(hass, "binary_sensor.door") == ["on", "off"]
    assert remote_actions(hass, "input_button.bell") == ["press"]
    assert remote_actions(hass, "event.gone") == []
    assert remote_actions(hass, "sensor.action") == ["single", "hold"]
    assert remote_actions(hass, "sensor.plain") == []


async def test_service_targeting_a_remote_is_no_fixture(
    hass: HomeAssistant, hardware: None
) -> None:
    """A remote's Presses entity names no fixture: start refuses, nothing moves."""
    entry = _with_remotes(
        ("Kitchen button", {CONF_REMOTE_ENTITY: BUTTON, CONF_REMOTE_FIXTURES: [FIXTURE_IDS[0]]})
    )
    await _setup(hass, entry)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "start",
            {"entity_id": "event.kitchen_button_presses"},
            blocking=True,
        )
    assert err.value.translation_key == "no_fixtures"
    await settle(hass)
    assert hass.states.get(PUMP).state == STATE_OFF
    assert hass.states.get("input_boolean.kitchen_valve").state == STATE_OFF
