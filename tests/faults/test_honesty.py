"""Honest outcomes in a real hass: no heat, stops the sensor never confirmed, confirming.

A heater that does not fire leaves the pipe cold: the cycle ends ``no_heat`` (event entity,
bus event and logbook line say so) and, the second time in a row, a repair issue asks whether
the pump's flow reaches the heater's activation flow; the next cycle that brings hot water
clears it. A stop on the predicted volume is not "ready" until the pipe sensor shows the front.
"""

from __future__ import annotations

from collections.abc import Callable

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.zero_cold_water.const import DOMAIN, EVENT_CYCLE
from custom_components.zero_cold_water.logbook import async_describe_events
from tests.conftest import ENTRY_ID, SENSORS, set_temperature, settle
from tests.faults.hardware import SafetyObserver, run_for, tick

KITCHEN = "switch.kitchen_sink_hot_water"
SHOWER = "switch.shower_hot_water"


def _logbook(hass: HomeAssistant, event: Event) -> str:
    described: dict[str, Callable[[Event], dict[str, str]]] = {}
    async_describe_events(hass, lambda _d, _t, describe: described.setdefault("f", describe))
    return described["f"](event)["message"]


async def _turn_on(hass: HomeAssistant, entity_id: str) -> None:
    await hass.services.async_call("switch", "turn_on", {"entity_id": entity_id}, blocking=True)
    await settle(hass)


async def test_a_heater_that_does_not_fire(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    home: MockConfigEntry,
    observer: SafetyObserver,
    issue_registry: ir.IssueRegistry,
) -> None:
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    issue_id = f"no_heat_{ENTRY_ID}_fixture_kitchen"
    for attempt in (1, 2):
        await _turn_on(hass, KITCHEN)
        await run_for(hass, freezer, 310, step=10)  # the pipe stays at 20 C
        observer.assert_at_rest()
        assert [e.data["outcome"] for e in outcomes] == ["no_heat"] * attempt
        assert hass.states.get("event.home_cycle").attributes["event_type"] == "no_heat"
        assert hass.states.get("binary_sensor.kitchen_sink_hot_water_ready").state == STATE_OFF
        assert (issue_registry.async_get_issue(DOMAIN, issue_id) is not None) is (attempt == 2)
        await tick(hass, freezer, 30)
    assert _logbook(hass, outcomes[0]) == "the pipe never warmed: the heater did not fire"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "fault_no_heat"
    assert issue.translation_placeholders == {"installation": "Home", "device": "Kitchen sink"}
    # the heater works again: the next cycle brings hot water and the issue goes
    await _turn_on(hass, KITCHEN)
    await tick(hass, freezer, 10)
    set_temperature(hass, SENSORS[0], 42.0)
    await settle(hass)
    assert outcomes[-1].data["outcome"] == "ready"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_a_predicted_stop_is_ready_only_once_the_sensor_confirms_it(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    home: MockConfigEntry,
    observer: SafetyObserver,
) -> None:
    """The shower (1.5 L configured, a cold line to protect) stops short of its pipe volume."""
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    await _turn_on(hass, SHOWER)
    await run_for(hass, freezer, 30)
    observer.assert_at_rest()
    # the cycle is over, the hot water not yet shown: on its way, not ready
    assert hass.states.get(SHOWER).state == STATE_ON
    assert hass.states.get("binary_sensor.shower_hot_water_ready").state == STATE_OFF
    assert hass.states.get("sensor.home_state").state == "heating"
    assert outcomes == []
    # the sensor never rises: not confirmed
    await run_for(hass, freezer, 130, step=10)
    assert [e.data["outcome"] for e in outcomes] == ["not_confirmed"]
    assert outcomes[0].data["time_to_hot_s"] is None
    assert hass.states.get("event.home_cycle").attributes["event_type"] == "not_confirmed"
    assert hass.states.get(SHOWER).state == STATE_OFF
    assert _logbook(hass, outcomes[0]) == "hot water not confirmed by the pipe sensor"
    # the next cycle goes further, and its sensor shows the front: ready
    await _turn_on(hass, SHOWER)
    await run_for(hass, freezer, 30)
    set_temperature(hass, SENSORS[2], 23.0)
    await settle(hass)
    assert outcomes[-1].data["outcome"] == "ready"
    assert outcomes[-1].data["litres_moved"] > outcomes[0].data["litres_moved"]
    assert hass.states.get("binary_sensor.shower_hot_water_ready").state == STATE_ON
