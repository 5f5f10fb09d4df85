"""Config entry diagnostics: configuration, engine state, learned data and the last cycles."""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.json import json_dumps
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from syrupy.assertion import SnapshotAssertion

from custom_components.zero_cold_water.diagnostics import async_get_config_entry_diagnostics

from .conftest import SENSORS, make_entry, set_temperature, settle, setup_entry

pytestmark = pytest.mark.usefixtures("hardware")


@pytest.mark.freeze_time("2026-01-15 06:30:00+00:00")
async def test_diagnostics(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, snapshot: SnapshotAssertion
) -> None:
    entry = await setup_entry(hass, make_entry())
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.kitchen_sink_heat_now"}, blocking=True
    )
    await settle(hass)
    for celsius in (21.0, 23.0, 30.0, 38.0, 44.0):
        freezer.tick(timedelta(seconds=5))
        async_fire_time_changed(hass)
        set_temperature(hass, SENSORS[0], celsius)
        await settle(hass)

    diagnostics: dict[str, Any] = json.loads(
        json_dumps(await async_get_config_entry_diagnostics(hass, entry))
    )
    assert diagnostics["entry"]["title"] == "**REDACTED**"
    assert diagnostics["recent_cycles"][0]["outcome"] == "ready"
    # The engine's own dataclasses (settings, snapshot, learned data) are dumped whole; their
    # fields belong to the engine, so the snapshot holds only what the shell decides.
    engine = {key: diagnostics.pop(key) for key in ("settings", "snapshot", "learned")}
    assert engine["settings"]["topology"] == "cold_line"
    assert engine["settings"]["fixtures"][0]["name"] == "fixture_kitchen"
    assert engine["snapshot"]["state"] == "ready"
    assert engine["snapshot"]["fixtures"]["fixture_kitchen"]["state"] == "ready"
    assert engine["learned"]["totals"]["cycles"] == 1
    assert diagnostics == snapshot


async def test_diagnostics_of_the_automatic_inputs(hass: HomeAssistant) -> None:
    """Schedule, presence and draw sensors with their states; people's names redacted."""
    hass.states.async_set("schedule.hot_water", "on")
    hass.states.async_set("person.grandma", "home")
    hass.states.async_set("binary_sensor.kitchen_flow", "off")
    entry = await setup_entry(
        hass,
        make_entry(
            options={
                "keep_warm_schedule": "schedule.hot_water",
                "presence": ["person.grandma"],
                "freeze_protect_c": 4.0,
            },
            fixture_extra={0: {"draw_sensor": "binary_sensor.kitchen_flow"}},
        ),
    )
    diagnostics: dict[str, Any] = json.loads(
        json_dumps(await async_get_config_entry_diagnostics(hass, entry))
    )
    assert diagnostics["entry"]["options"]["presence"] == "**REDACTED**"
    assert diagnostics["entry"]["options"]["freeze_protect_c"] == 4.0
    assert diagnostics["inputs"] == [
        {
            "entity_id": "schedule.hot_water",
            "role": "keep_warm_schedule",
            "fixture": None,
            "state": "on",
        },
        {"entity_id": "person.**REDACTED**", "role": "presence", "fixture": None, "state": "home"},
        {
            "entity_id": "binary_sensor.kitchen_flow",
            "role": "draw_sensor",
            "fixture": "fixture_kitchen",
            "state": "off",
        },
    ]
    assert diagnostics["resume_mode"] is None
    assert diagnostics["prediction"]["hit_rate"] is None
    assert diagnostics["settings"]["freeze_protect_c"] == 4.0
