"""A pipe sensor that lies or goes silent, before and during a cycle.

Expected: the reading is not believed; the cycle becomes a timed purge of the configured volume
(``arrival_basis: configured_purge``) and ends with the pump off and the valve closed; an
implausible value raises one repair issue and one log line, both gone once the sensor is believed.
"""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.zero_cold_water.const import DOMAIN, EVENT_CYCLE
from tests.conftest import (
    COLD_SENSOR,
    ENTRY_ID,
    PUMP,
    SENSORS,
    VALVES,
    set_temperature,
    settle,
)
from tests.faults.hardware import SafetyObserver, run_for, tick

SHOWER = SENSORS[2]
"""The shower has a configured pipe volume (1.5 L): without a sensor it is purged by volume."""

BAD_VALUES = {
    "unavailable": STATE_UNAVAILABLE,
    "unknown": STATE_UNKNOWN,
    "85.0": "85.0",
    "-127": "-127",
    "text": "hot",
}
IMPLAUSIBLE = {"85.0", "-127"}


async def _heat_now(hass: HomeAssistant) -> None:
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.shower_heat_now"}, blocking=True
    )
    await settle(hass)


@pytest.mark.parametrize("fault", list(BAD_VALUES))
@pytest.mark.parametrize("phase", ["before", "during"])
async def test_bad_sensor_falls_back_to_a_purge(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    home: MockConfigEntry,
    observer: SafetyObserver,
    issue_registry: ir.IssueRegistry,
    caplog: pytest.LogCaptureFixture,
    fault: str,
    phase: str,
) -> None:
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    if phase == "before":
        set_temperature(hass, SHOWER, BAD_VALUES[fault])
        await settle(hass)
        await _heat_now(hass)
    else:
        await _heat_now(hass)
        await tick(hass, freezer, 3)
        set_temperature(hass, SHOWER, 21.0)
        await tick(hass, freezer, 3)
        set_temperature(hass, SHOWER, BAD_VALUES[fault])
        await settle(hass)
    assert hass.states.get(PUMP).state == "on"
    # The sensor keeps repeating its bad value: still one issue, one log line.
    for _ in range(3):
        await tick(hass, freezer, 2)
        set_temperature(hass, SHOWER, BAD_VALUES[fault], unit="°C ")
        set_temperature(hass, SHOWER, BAD_VALUES[fault])
        await settle(hass)
    await run_for(hass, freezer, 40)
    observer.assert_at_rest()
    assert [e.data["outcome"] for e in outcomes] == ["ready"]
    assert outcomes[0].data["arrival_basis"] == "configured_purge"
    assert outcomes[0].data["end_reason"] == "purge_complete"
    issue_id = f"sensor_{ENTRY_ID}_fixture_shower_hot"
    if fault in IMPLAUSIBLE:
        assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
        assert caplog.text.count("fault sensor_implausible") == 1
        set_temperature(hass, SHOWER, 30.0)
        await settle(hass)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_stale_sensor_is_not_believed(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    home: MockConfigEntry,
    observer: SafetyObserver,
) -> None:
    """A sensor silent for longer than the engine's maximum (6 h) while it read 'hot'.

    Not believed: no ``already_hot``; the cycle runs and ends within the configured volume.
    """
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    set_temperature(hass, SHOWER, 50.0)  # hot: a believed reading would answer already_hot
    await settle(hass)
    await tick(hass, freezer, 6 * 3600 + 60)
    await _heat_now(hass)
    assert hass.states.get(VALVES[2]).state == "on"
    assert hass.states.get(PUMP).state == "on"
    await run_for(hass, freezer, 40)
    observer.assert_at_rest()
    assert [e.data["outcome"] for e in outcomes] == ["ready"]
    assert outcomes[0].data["litres_moved"] <= 1.5 * 1.2


async def test_steady_sensor_that_keeps_reporting_is_not_stale(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    home: MockConfigEntry,
    observer: SafetyObserver,
) -> None:
    """A sensor reporting the same value for hours is alive: its reports keep it believed."""
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    set_temperature(hass, SHOWER, 50.0)
    await settle(hass)
    for _ in range(7):
        await tick(hass, freezer, 3600)
        set_temperature(hass, SHOWER, 50.0)  # same value: HA reports it, no state change
        await settle(hass)
    await _heat_now(hass)
    observer.assert_at_rest()
    assert [e.data["outcome"] for e in outcomes] == ["already_hot"]


KITCHEN = SENSORS[0]
"""The kitchen sink has neither a configured nor (yet) a learned pipe volume."""


@pytest.mark.parametrize("fault", ["unavailable", "85.0", "removed"])
async def test_sensor_lost_mid_cycle_without_a_volume_stops_after_the_grace(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    home: MockConfigEntry,
    observer: SafetyObserver,
    issue_registry: ir.IssueRegistry,
    fault: str,
) -> None:
    """Nothing left to tell when hot water arrives: stop within the grace, say so."""
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.kitchen_sink_hot_water"}, blocking=True
    )
    await tick(hass, freezer, 5)
    if fault == "removed":
        hass.states.async_remove(KITCHEN)
    else:
        set_temperature(hass, KITCHEN, BAD_VALUES[fault])
    await settle(hass)
    await run_for(hass, freezer, 40)
    assert hass.states.get(PUMP).state == "on"  # within the grace: it may come back
    await run_for(hass, freezer, 10)
    observer.assert_at_rest()
    assert [(e.data["outcome"], e.data["end_reason"]) for e in outcomes] == [
        ("fault", "sensor_lost")
    ]
    assert 45.0 <= outcomes[0].data["pump_run_s"] <= 55.0
    issue = issue_registry.async_get_issue(DOMAIN, f"sensor_{ENTRY_ID}_fixture_kitchen_hot")
    assert issue is not None
    assert issue.translation_key == "fault_sensor_lost"
    assert issue.translation_placeholders == {"installation": "Home", "device": KITCHEN}
    assert hass.states.get("sensor.home_state").state == "fault"
    set_temperature(hass, KITCHEN, 22.0)
    await settle(hass)
    assert issue_registry.async_get_issue(DOMAIN, f"sensor_{ENTRY_ID}_fixture_kitchen_hot") is None


async def test_cold_line_sensor_lost_mid_cycle_stops_after_the_grace(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    home: MockConfigEntry,
    observer: SafetyObserver,
    issue_registry: ir.IssueRegistry,
) -> None:
    """The RO inlet's sensor goes: the basin's valve cannot be kept below the limit for sure."""
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.bathroom_basin_hot_water"}, blocking=True
    )
    await tick(hass, freezer, 5)
    set_temperature(hass, COLD_SENSOR, STATE_UNAVAILABLE)
    await settle(hass)
    await run_for(hass, freezer, 50)
    observer.assert_at_rest()
    assert [(e.data["outcome"], e.data["end_reason"]) for e in outcomes] == [
        ("fault", "sensor_lost")
    ]
    issue = issue_registry.async_get_issue(DOMAIN, f"sensor_{ENTRY_ID}_fixture_basin_cold")
    assert issue is not None
    assert issue.translation_placeholders == {"installation": "Home", "device": COLD_SENSOR}


async def test_implausible_first_reading_raises_the_issue_and_logs(
    hass: HomeAssistant,
    *,
    home: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A DS18B20 at power-on: unknown, then 85.0 as its first number."""
    set_temperature(hass, KITCHEN, STATE_UNKNOWN)
    await settle(hass)
    set_temperature(hass, KITCHEN, "85.0")
    await settle(hass)
    issue = issue_registry.async_get_issue(DOMAIN, f"sensor_{ENTRY_ID}_fixture_kitchen_hot")
    assert issue is not None
    assert issue.translation_key == "fault_sensor_implausible"
    assert caplog.text.count("fault sensor_implausible (fixture_kitchen:hot)") == 1
