"""The automation blueprints: each validates, and runs in a real automation against a real hass."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation.helpers import async_get_blueprints
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.zero_cold_water.const import CONF_COOLDOWN

from .conftest import make_entry, set_temperature, settle, setup_entry

BLUEPRINTS = Path(__file__).parent.parent / "blueprints" / "automation" / "zero_cold_water"
KITCHEN = "switch.kitchen_sink_hot_water"
BASIN = "switch.bathroom_basin_hot_water"


@pytest.fixture(autouse=True)
def _blueprints(hass: HomeAssistant, tmp_path: Path) -> None:
    hass.config.config_dir = str(tmp_path)
    shutil.copytree(BLUEPRINTS, tmp_path / "blueprints" / "automation" / "zero_cold_water")


async def _automation(hass: HomeAssistant, name: str, inputs: dict[str, Any]) -> None:
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {
                    "id": name,
                    "alias": name,
                    "use_blueprint": {"path": f"zero_cold_water/{name}.yaml", "input": inputs},
                }
            ]
        },
    )
    await settle(hass)
    state = hass.states.get(f"automation.{name}")
    assert state is not None
    assert state.state == STATE_ON, state


@pytest.mark.parametrize("path", sorted(BLUEPRINTS.glob("*.yaml")), ids=lambda p: p.stem)
async def test_blueprint_validates(hass: HomeAssistant, path: Path) -> None:
    """Home Assistant's own loader reads and validates each blueprint."""
    assert await async_setup_component(hass, "blueprint", {})
    blueprint = await async_get_blueprints(hass).async_get_blueprint(f"zero_cold_water/{path.name}")
    assert blueprint.domain == "automation"
    assert "hot_water" in blueprint.inputs or "cycle" in blueprint.inputs


async def test_heat_on_arrival(hass: HomeAssistant, loaded_entry: Any) -> None:
    hass.states.async_set("person.alice", "not_home")
    await _automation(
        hass, "heat_on_arrival", {"people": ["person.alice"], "hot_water": {"entity_id": KITCHEN}}
    )
    hass.states.async_set("person.alice", "home")
    await settle(hass)
    assert hass.states.get(KITCHEN).state == STATE_ON
    assert hass.states.get("input_boolean.kitchen_valve").state == STATE_ON
    assert hass.states.get(BASIN).state == STATE_OFF


async def test_heat_on_motion(hass: HomeAssistant, loaded_entry: Any) -> None:
    hass.states.async_set("binary_sensor.bathroom_motion", STATE_OFF, {"device_class": "motion"})
    await _automation(
        hass,
        "heat_on_motion",
        {
            "motion": ["binary_sensor.bathroom_motion"],
            "hot_water": {"entity_id": BASIN},
            "min_interval": 10,
        },
    )
    hass.states.async_set("binary_sensor.bathroom_motion", STATE_ON, {"device_class": "motion"})
    await settle(hass)
    assert hass.states.get(BASIN).state == STATE_ON
    assert hass.states.get("input_boolean.basin_valve").state == STATE_ON


@pytest.mark.parametrize("expected_lingering_timers", [True])  # the schedule's next change
async def test_heat_on_schedule(
    hass: HomeAssistant, hardware: None, freezer: FrozenDateTimeFactory
) -> None:
    # Tomorrow 10:00 local, so that the 30-minute window never crosses midnight.
    freezer.move_to(
        (dt_util.now() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    )
    now = dt_util.now()
    start = (now + timedelta(minutes=2)).replace(second=0, microsecond=0)
    end = start + timedelta(minutes=30)
    day = start.strftime("%A").lower()
    assert await async_setup_component(
        hass,
        "schedule",
        {
            "schedule": {
                "mornings": {
                    "name": "Mornings",
                    day: [{"from": start.strftime("%H:%M:%S"), "to": end.strftime("%H:%M:%S")}],
                }
            }
        },
    )
    await setup_entry(hass, make_entry())
    assert hass.states.get("schedule.mornings").state == STATE_OFF
    await _automation(
        hass,
        "heat_on_schedule",
        {"schedule": "schedule.mornings", "hot_water": {"entity_id": KITCHEN}},
    )
    freezer.move_to(start + timedelta(seconds=1))
    async_fire_time_changed(hass)
    await settle(hass)
    assert hass.states.get("schedule.mornings").state == STATE_ON
    assert hass.states.get(KITCHEN).state == STATE_ON
    assert hass.states.get("input_boolean.kitchen_valve").state == STATE_ON


async def test_announce_ready(hass: HomeAssistant, hardware: None) -> None:
    await setup_entry(hass, make_entry(options={CONF_COOLDOWN: 0.0}))
    announced = async_capture_events(hass, "hot_water_announced")
    await _automation(
        hass,
        "announce_ready",
        {
            "cycle": "event.home_cycle",
            "actions": [
                {
                    "event": "hot_water_announced",
                    "event_data": {"fixture": "{{ fixture }}", "seconds": "{{ time_to_hot }}"},
                }
            ],
        },
    )
    await hass.services.async_call("switch", "turn_on", {"entity_id": KITCHEN}, blocking=True)
    await settle(hass)
    for celsius in (24.0, 30.0, 38.0, 44.0):
        set_temperature(hass, "sensor.kitchen_pipe", celsius)
        await settle(hass)
    assert hass.states.get("event.home_cycle").attributes["event_type"] == "ready"
    assert [event.data["fixture"] for event in announced] == ["Kitchen sink"]

    # A cycle stopped by hand is not announced.
    set_temperature(hass, "sensor.basin_pipe", 20.0)
    await hass.services.async_call("switch", "turn_on", {"entity_id": BASIN}, blocking=True)
    await hass.services.async_call("switch", "turn_off", {"entity_id": BASIN}, blocking=True)
    await settle(hass)
    assert hass.states.get("event.home_cycle").attributes["event_type"] == "stopped"
    assert len(announced) == 1
