"""What the state of a user's entity means to the engine.

Pump and valve readings, temperatures, presence, draw sensors, and the local time's offset:
pure functions of Home Assistant ``State`` objects, kept out of the coordinator's plumbing.
"""

from __future__ import annotations

from collections.abc import Iterable

from homeassistant.const import (
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_CLOSING,
    STATE_HOME,
    STATE_OFF,
    STATE_ON,
    STATE_OPEN,
    STATE_OPENING,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    UnitOfTemperature,
)
from homeassistant.core import State
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import TemperatureConverter

from .engine import ActuatorReading

ON_STATES = {STATE_ON, STATE_OPEN, STATE_CLOSING}
"""Pump running or valve (still) open; ``closing`` is not closed yet."""
OFF_STATES = {"off", "closed", STATE_OPENING}
"""Pump stopped or valve (still) closed; ``opening`` is not open yet."""
UNKNOWN_STATES = {STATE_UNAVAILABLE, STATE_UNKNOWN}


def usable(state: State | None) -> bool:
    """Whether an entity exists and has a usable state."""
    return state is not None and state.state not in UNKNOWN_STATES


def actuator_reading(state: State | None) -> ActuatorReading:
    """What a pump or valve entity's state means to the engine."""
    if state is None:
        return ActuatorReading.UNAVAILABLE
    if state.state in ON_STATES:
        return ActuatorReading.ON
    if state.state in OFF_STATES:
        return ActuatorReading.OFF
    return ActuatorReading.UNAVAILABLE


def celsius(state: State | None) -> float | None:
    """A temperature sensor's state in °C, or None when unknown or not a number."""
    if state is None or state.state in UNKNOWN_STATES:
        return None
    try:
        value = float(state.state)
    except ValueError:
        return None
    unit = state.attributes.get(ATTR_UNIT_OF_MEASUREMENT)
    if unit in (UnitOfTemperature.FAHRENHEIT, UnitOfTemperature.KELVIN):
        return TemperatureConverter.convert(value, unit, UnitOfTemperature.CELSIUS)
    return value


def someone_home(state: State | None) -> bool | None:
    """What one presence entity says: someone home (True), away (False) or unknown (None).

    person / device_tracker: ``home`` or not (another zone's name is away); zone: the number of
    people in it; binary_sensor / input_boolean: on or off.
    """
    if state is None or state.state in UNKNOWN_STATES:
        return None
    if state.domain in ("person", "device_tracker"):
        return state.state == STATE_HOME
    if state.domain == "zone":
        try:
            return float(state.state) > 0
        except ValueError:
            return None
    return on_off(state)


def presence_of(states: Iterable[State | None]) -> bool | None:
    """Someone home if any entity says so; away if every known one says away; else None."""
    known = False
    for state in states:
        home = someone_home(state)
        if home:
            return True
        known = known or home is not None
    return False if known else None


def on_off(state: State | None) -> bool | None:
    """An on/off entity's state (None: unavailable, unknown or anything else)."""
    if state is None:
        return None
    if state.state == STATE_ON:
        return True
    if state.state == STATE_OFF:
        return False
    return None


def drawing(state: State | None) -> bool | None:
    """Whether a draw sensor shows water drawn: on, or a flow above zero (None: unknown)."""
    if state is None or state.state in UNKNOWN_STATES:
        return None
    if state.domain == "sensor":
        try:
            return float(state.state) > 0
        except ValueError:
            return None
    return on_off(state)


def utc_offset_s() -> float:
    """The local time's offset from UTC now, in seconds (Home Assistant's time zone)."""
    offset = dt_util.now().utcoffset()
    return offset.total_seconds() if offset is not None else 0.0
