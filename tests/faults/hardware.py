"""Stand-in hardware that misbehaves on request, and an observer of the safety rules.

``FakeHardware`` registers ``input_boolean.turn_on``/``turn_off`` itself (the input_boolean
integration is not loaded), so each pump or valve can confirm at once, late, never, raise, or
report a state it was not told to take. ``SafetyObserver`` checks the hardware's states after
every state change on the bus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from functools import partial
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID, EVENT_STATE_CHANGED, STATE_OFF, STATE_ON
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_call_later
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from tests.conftest import COLD_SENSOR, PUMP, SENSORS, VALVES, set_temperature, settle


class Behaviour(StrEnum):
    """How a stand-in device answers a command."""

    OK = "ok"
    """Takes the commanded state at once."""
    LATE = "late"
    """Takes it ``delay_s`` later (a sleepy battery valve)."""
    NEVER = "never"
    """Accepts the call, never changes."""
    RAISE = "raise"
    """The service call raises."""
    INVERTED = "inverted"
    """Reports the opposite of what it was told."""


@dataclass(slots=True)
class Device:
    """One stand-in pump or valve."""

    entity_id: str
    behaviour: Behaviour = Behaviour.OK
    delay_s: float = 20.0
    calls: list[bool] = field(default_factory=list)


class FakeHardware:
    """The pump and three valves as ``input_boolean`` states with programmable behaviour."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Register the services and put everything at rest (sensors at 20 °C)."""
        self.hass = hass
        self.devices = {eid: Device(eid) for eid in (PUMP, *VALVES)}
        self._late: list[CALLBACK_TYPE] = []
        for service, on in (("turn_on", True), ("turn_off", False)):
            hass.services.async_register("input_boolean", service, partial(self._handle, on=on))
        for entity_id in self.devices:
            hass.states.async_set(entity_id, STATE_OFF)
        for sensor in (*SENSORS, COLD_SENSOR):
            set_temperature(hass, sensor, 20.0)

    def cancel(self) -> None:
        """Drop the commands still on their way, behave from now on (test teardown)."""
        for device in self.devices.values():
            device.behaviour = Behaviour.OK
        for cancel in self._late:
            cancel()
        self._late.clear()

    def __getitem__(self, entity_id: str) -> Device:
        """The device of ``entity_id``."""
        return self.devices[entity_id]

    def is_on(self, entity_id: str) -> bool:
        """Whether the device reports on/open."""
        state = self.hass.states.get(entity_id)
        return state is not None and state.state == STATE_ON

    def set(self, entity_id: str, state: str) -> None:
        """Report ``state`` (by hand, or the device's own doing)."""
        self.hass.states.async_set(entity_id, state)

    @callback
    def _land(self, entity_id: str, state: str, _now: Any) -> None:
        self.set(entity_id, state)

    async def _handle(self, call: ServiceCall, *, on: bool) -> None:
        ids = call.data[ATTR_ENTITY_ID]
        for entity_id in [ids] if isinstance(ids, str) else ids:
            device = self.devices[entity_id]
            device.calls.append(on)
            match device.behaviour:
                case Behaviour.OK:
                    self.set(entity_id, STATE_ON if on else STATE_OFF)
                case Behaviour.INVERTED:
                    self.set(entity_id, STATE_OFF if on else STATE_ON)
                case Behaviour.RAISE:
                    raise HomeAssistantError(f"{entity_id} does not answer")
                case Behaviour.LATE:
                    self._late.append(
                        async_call_later(
                            self.hass,
                            device.delay_s,
                            partial(self._land, entity_id, STATE_ON if on else STATE_OFF),
                        )
                    )
                case Behaviour.NEVER:
                    pass


@dataclass(slots=True)
class SafetyObserver:
    """Checks, after every state change, what the hardware is doing against the safety rules.

    cold_line: the pump never runs while every valve reports closed (dead-heading). The hardware
    is also never left running: ``assert_at_rest`` checks the end state of a test.
    """

    hass: HomeAssistant
    violations: list[str] = field(default_factory=list)
    changes: int = 0
    allow: bool = False
    """Set while a person makes the hardware unsafe by hand (the rule is theirs to break)."""
    _unsub: CALLBACK_TYPE | None = None

    def start(self) -> SafetyObserver:
        """Listen to every state change."""
        self._unsub = self.hass.bus.async_listen(EVENT_STATE_CHANGED, self._changed)
        return self

    def stop(self) -> None:
        """Stop listening."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None

    @callback
    def _changed(self, event: Event[Any]) -> None:
        if event.data["entity_id"] not in (PUMP, *VALVES):
            return
        self.changes += 1
        if self.allow:
            return
        states = self.hass.states
        pump = states.get(PUMP)
        if (
            pump is not None
            and pump.state == STATE_ON
            and not any((s := states.get(v)) is not None and s.state == STATE_ON for v in VALVES)
        ):
            self.violations.append(f"dead-heading after {event.data['entity_id']}")

    def assert_at_rest(self) -> None:
        """No rule broken, the pump off and every valve closed."""
        assert self.violations == []
        states = self.hass.states
        assert states.get(PUMP).state == STATE_OFF, "pump left running"
        for valve in VALVES:
            assert states.get(valve).state == STATE_OFF, f"{valve} left open"


async def tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float) -> None:
    """Advance time by ``seconds`` and let timers and state changes run."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await settle(hass)


async def run_for(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float, step: float = 5.0
) -> None:
    """Advance time in steps of ``step`` seconds."""
    elapsed = 0.0
    while elapsed < seconds:
        await tick(hass, freezer, step)
        elapsed += step
