"""The log lines Home Assistant's log-when-unavailable rule asks for.

A wrapped entity (pump, valve, sensor, or an input of the automatic cycles) that becomes
unavailable is logged once at info, and once more when it is back; nothing in between, however
often it reports. A failed call to a pump or valve is a warning of its own (coordinator).
"""

from __future__ import annotations

from collections.abc import Iterable
import logging

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.helpers.event import async_track_state_change_event

LOGGER = logging.getLogger(__package__)


def _unavailable(state: State | None) -> bool:
    return state is None or state.state == STATE_UNAVAILABLE


@callback
def async_log_availability(
    hass: HomeAssistant, installation: str, entity_ids: Iterable[str]
) -> CALLBACK_TYPE:
    """Log each of ``entity_ids`` going unavailable and coming back; returns the unsubscribe.

    Only changes seen here count: an entity that is unavailable while Home Assistant starts (its
    integration not loaded yet) was never seen available, and its arrival is not news.
    """
    logged: set[str] = set()

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        entity_id = event.data["entity_id"]
        if not _unavailable(event.data["new_state"]):
            if entity_id in logged:
                logged.discard(entity_id)
                LOGGER.info("%s: %s is available again", installation, entity_id)
            return
        if entity_id not in logged and not _unavailable(event.data["old_state"]):
            logged.add(entity_id)
            LOGGER.info("%s: %s is unavailable", installation, entity_id)

    return async_track_state_change_event(hass, sorted(set(entity_ids)), _changed)
