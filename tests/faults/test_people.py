"""People and other automations: hardware operated by hand, triggers at once, press storms.

Expected: the integration puts back what it commanded (pump off with every valve closed, a
valve opened by hand closed again), a second trigger joins or is refused, never a second cycle
of the same fixture, and after any storm the hardware is at rest once the cycles end.
"""

from __future__ import annotations

import asyncio
import contextlib
import random

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED, STATE_OFF, STATE_ON
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.zero_cold_water.const import DOMAIN, EVENT_CYCLE
from tests.conftest import PUMP, SENSORS, VALVES, set_temperature, settle
from tests.faults.hardware import FakeHardware, SafetyObserver, run_for, tick


async def _press(hass: HomeAssistant, service: str, entity_id: str, domain: str) -> None:
    with contextlib.suppress(ServiceValidationError):
        await hass.services.async_call(domain, service, {"entity_id": entity_id}, blocking=True)


async def test_pump_switched_on_by_hand_with_every_valve_closed(
    hass: HomeAssistant, fake: FakeHardware, observer: SafetyObserver, home: MockConfigEntry
) -> None:
    observer.allow = True
    fake.set(PUMP, STATE_ON)  # someone, or another automation, switches the pump on
    await settle(hass)
    observer.allow = False
    observer.assert_at_rest()
    assert fake[PUMP].calls[-1] is False


async def test_valve_opened_by_hand_with_the_pump_off(
    hass: HomeAssistant, fake: FakeHardware, observer: SafetyObserver, home: MockConfigEntry
) -> None:
    fake.set(VALVES[1], STATE_ON)
    await settle(hass)
    observer.assert_at_rest()
    assert fake[VALVES[1]].calls[-1] is False


async def test_pump_switched_off_by_hand_mid_cycle(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
) -> None:
    """Mid-cycle the pump is switched off elsewhere: never a valve left open afterwards."""
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    await _press(hass, "press", "button.kitchen_sink_heat_now", "button")
    await settle(hass)
    assert fake.is_on(PUMP)
    fake.set(PUMP, STATE_OFF)
    await settle(hass)
    await run_for(hass, freezer, 320, step=10)
    observer.assert_at_rest()
    assert len(outcomes) == 1


async def test_another_automation_keeps_switching_the_pump_off(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Not a fight: three tries, one log line, then the cycle faults and everything rests."""
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    await _press(hass, "press", "button.kitchen_sink_heat_now", "button")
    await settle(hass)

    @callback
    def _other_automation(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if event.data["entity_id"] == PUMP and new is not None and new.state == STATE_ON:
            hass.loop.call_soon(fake.set, PUMP, STATE_OFF)

    unsub = hass.bus.async_listen(EVENT_STATE_CHANGED, _other_automation)
    fake.set(PUMP, STATE_OFF)
    await run_for(hass, freezer, 40)
    unsub()
    assert fake[PUMP].calls.count(True) == 3
    assert caplog.text.count("keeps being switched off") == 1
    observer.assert_at_rest()
    assert [e.data["outcome"] for e in outcomes] == ["fault"]


async def test_two_triggers_for_the_same_fixture_at_once(
    hass: HomeAssistant, fake: FakeHardware, observer: SafetyObserver, home: MockConfigEntry
) -> None:
    await asyncio.gather(
        _press(hass, "press", "button.kitchen_sink_heat_now", "button"),
        _press(hass, "start", "switch.kitchen_sink_hot_water", DOMAIN),
        _press(hass, "turn_on", "switch.kitchen_sink_hot_water", "switch"),
    )
    await settle(hass)
    assert fake[VALVES[0]].calls == [False, True]  # start-up, then one open
    assert fake[PUMP].calls == [False, True]
    await _press(hass, "turn_off", "switch.kitchen_sink_hot_water", "switch")
    await settle(hass)
    observer.assert_at_rest()


async def test_every_fixture_while_one_runs(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
) -> None:
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    await _press(hass, "press", "button.kitchen_sink_heat_now", "button")
    await settle(hass)
    await _press(hass, "turn_on", "switch.home_pump", "switch")
    await settle(hass)
    assert all(fake.is_on(valve) for valve in VALVES)
    # Point to point: each valve closes when its own water is hot, the pump with the last.
    for index, sensor in enumerate(SENSORS[:2]):
        for celsius in (25.0, 33.0, 41.0, 45.0):
            await tick(hass, freezer, 3)
            set_temperature(hass, sensor, celsius)
            await settle(hass)
        assert not fake.is_on(VALVES[index])
        if fake.is_on(PUMP):
            assert any(fake.is_on(valve) for valve in VALVES)
    observer.assert_at_rest()
    await run_for(hass, freezer, 30)  # the shower (1.5 L configured) ends by its volume
    observer.assert_at_rest()
    set_temperature(hass, SENSORS[2], 24.0)  # its lagging sensor shows the front came
    await settle(hass)
    assert sorted(e.data["outcome"] for e in outcomes) == ["ready"] * 3


async def test_storm_of_presses(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
) -> None:
    """200 presses (heat now, hot water on/off, start, stop, the pump switch), some at once.

    The remote binding (issue 6) reaches the engine through the same ``async_start_cycles``.
    """
    rng = random.Random(7)  # noqa: S311 - a reproducible storm
    actions = [
        ("press", "button.{}_heat_now", "button"),
        ("turn_on", "switch.{}_hot_water", "switch"),
        ("turn_off", "switch.{}_hot_water", "switch"),
        ("start", "switch.{}_hot_water", DOMAIN),
        ("stop", "switch.{}_hot_water", DOMAIN),
    ]
    names = ("kitchen_sink", "bathroom_basin", "shower")
    for _ in range(40):
        batch = []
        for _ in range(5):
            service, pattern, domain = rng.choice(actions)
            batch.append(_press(hass, service, pattern.format(rng.choice(names)), domain))
        if rng.random() < 0.2:
            batch.append(
                _press(hass, rng.choice(["turn_on", "turn_off"]), "switch.home_pump", "switch")
            )
        await asyncio.gather(*batch)
        await tick(hass, freezer, rng.choice([0.1, 0.5, 2.0]))
        assert observer.violations == []
    await run_for(hass, freezer, 330, step=10)
    observer.assert_at_rest()
    assert hass.states.get("sensor.home_state").state in ("idle", "ready")
