"""The pump or a valve that fails: unavailable, raising, silent, late, or contrary.

Expected: the pump never runs against closed valves, nothing is left running, the cycle ends
(``fault`` when the device is to blame) with one repair issue and one log line; a device that
works again clears the issue.
"""

from __future__ import annotations

import contextlib

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.zero_cold_water.const import DOMAIN, EVENT_CYCLE
from tests.conftest import ENTRY_ID, PUMP, SENSORS, VALVES, set_temperature, settle
from tests.faults.hardware import Behaviour, FakeHardware, SafetyObserver, run_for, tick

KITCHEN_VALVE = VALVES[0]


async def _hot_water(hass: HomeAssistant, on: bool = True) -> None:
    await hass.services.async_call(
        "switch",
        "turn_on" if on else "turn_off",
        {"entity_id": "switch.kitchen_sink_hot_water"},
        blocking=True,
    )
    await settle(hass)


async def _arrive(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    for celsius in (21.0, 25.0, 33.0, 41.0, 45.0):
        await tick(hass, freezer, 4)
        set_temperature(hass, SENSORS[0], celsius)
        await settle(hass)


@pytest.mark.parametrize("device", [PUMP, KITCHEN_VALVE])
async def test_unavailable_before_a_cycle_refuses_it(
    hass: HomeAssistant,
    *,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
    device: str,
) -> None:
    fake.set(device, STATE_UNAVAILABLE)
    await settle(hass)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "start", {"entity_id": "switch.kitchen_sink_hot_water"}, blocking=True
        )
    assert err.value.translation_key == "refused_actuator_unavailable"
    assert fake[PUMP].calls == [False]  # start-up only
    assert fake[KITCHEN_VALVE].calls == [False]
    fake.set(device, STATE_OFF)
    await settle(hass)
    observer.assert_at_rest()


@pytest.mark.parametrize("device", [PUMP, KITCHEN_VALVE])
async def test_unavailable_mid_cycle(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
    device: str,
) -> None:
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    await _hot_water(hass)
    assert fake.is_on(PUMP)
    observer.allow = True  # the device drops out with its last state unknown
    fake.set(device, STATE_UNAVAILABLE)
    await settle(hass)
    observer.allow = False
    # The pump stops at once (its valve can no longer be trusted open) or the cycle faults.
    assert not fake.is_on(PUMP)
    await run_for(hass, freezer, 70)
    fake.set(device, STATE_OFF)
    await settle(hass)
    observer.assert_at_rest()
    assert [e.data["outcome"] for e in outcomes] == ["fault"]


@pytest.mark.parametrize("device", [PUMP, KITCHEN_VALVE])
async def test_service_call_raises(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    caplog: pytest.LogCaptureFixture,
    device: str,
) -> None:
    fake[device].behaviour = Behaviour.RAISE
    await _hot_water(hass)
    await run_for(hass, freezer, 70)
    with contextlib.suppress(ServiceValidationError):
        await _hot_water(hass)  # fails again (or is refused): no second log line
    await run_for(hass, freezer, 70)
    observer.assert_at_rest()
    assert caplog.text.count(f"input_boolean.turn_on for {device} failed") == 1
    assert issue_registry.async_get_issue(DOMAIN, f"fault_{ENTRY_ID}") is not None
    assert hass.states.get("binary_sensor.home_problem").state == STATE_ON
    # Repaired: the next cycle works, the issue and the problem go, the recovery is logged.
    fake[device].behaviour = Behaviour.OK
    await run_for(hass, freezer, 30)
    await _hot_water(hass)
    assert fake.is_on(PUMP)
    assert fake.is_on(KITCHEN_VALVE)
    await _hot_water(hass, on=False)
    observer.assert_at_rest()
    assert issue_registry.async_get_issue(DOMAIN, f"fault_{ENTRY_ID}") is None
    assert f"input_boolean.turn_on for {device} works again" in caplog.text


@pytest.mark.parametrize(("device", "timeout_s"), [(PUMP, 30), (KITCHEN_VALVE, 60)])
async def test_never_confirms(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    caplog: pytest.LogCaptureFixture,
    device: str,
    timeout_s: int,
) -> None:
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    fake[device].behaviour = Behaviour.NEVER
    await _hot_water(hass)
    if device == KITCHEN_VALVE:
        assert not fake.is_on(PUMP)  # no pump before the valve reports open
    await run_for(hass, freezer, timeout_s + 5)
    observer.assert_at_rest()
    assert [e.data["outcome"] for e in outcomes] == ["fault"]
    issue = issue_registry.async_get_issue(DOMAIN, f"fault_{ENTRY_ID}")
    assert issue is not None
    assert issue.translation_placeholders["device"] == device
    assert caplog.text.count("fault ") == 1


@pytest.mark.parametrize("delay", [5.0, 30.0])
async def test_battery_valve_confirms_late(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
    delay: float,
) -> None:
    """A sleepy battery valve: 5-30 s to open and to close. The pump waits for it."""
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    fake[KITCHEN_VALVE].behaviour = Behaviour.LATE
    fake[KITCHEN_VALVE].delay_s = delay
    await _hot_water(hass)
    assert not fake.is_on(PUMP)
    await tick(hass, freezer, delay - 1)
    assert not fake.is_on(PUMP)
    await tick(hass, freezer, 2)
    assert fake.is_on(KITCHEN_VALVE)
    assert fake.is_on(PUMP)
    await _arrive(hass, freezer)
    assert not fake.is_on(PUMP)  # stopped at once; the valve closes when it wakes up
    await run_for(hass, freezer, delay + 5)
    observer.assert_at_rest()
    assert [e.data["outcome"] for e in outcomes] == ["ready"]


@pytest.mark.parametrize("device", [PUMP, KITCHEN_VALVE])
async def test_reports_a_state_it_was_not_told(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
    device: str,
) -> None:
    """At rest the device reports on/open by itself: it is told off/closed again."""
    observer.allow = True
    fake.set(device, STATE_ON)
    await settle(hass)
    observer.allow = False
    assert fake[device].calls[-1] is False
    observer.assert_at_rest()


async def test_inverted_valve_never_gets_the_pump(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    fake: FakeHardware,
    observer: SafetyObserver,
    home: MockConfigEntry,
) -> None:
    """A valve that does the opposite of each command: the pump never starts, the cycle faults."""
    fake[KITCHEN_VALVE].behaviour = Behaviour.INVERTED
    outcomes = async_capture_events(hass, EVENT_CYCLE)
    await _hot_water(hass)
    assert not fake.is_on(PUMP)
    await run_for(hass, freezer, 70)
    fake[KITCHEN_VALVE].behaviour = Behaviour.OK
    await run_for(hass, freezer, 70)
    observer.assert_at_rest()
    assert outcomes[0].data["outcome"] == "fault"
