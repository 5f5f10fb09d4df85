"""Logbook lines for the zero_cold_water_event bus event (one per finished cycle).

Cycles the installation started by itself (keep warm, freeze protection, a predictive pre-heat)
say so; the mode select's changes (vacation and back) are logged by Home Assistant itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook.const import LOGBOOK_ENTRY_MESSAGE, LOGBOOK_ENTRY_NAME
from homeassistant.core import Event, HomeAssistant, callback

from .const import DOMAIN, EVENT_CYCLE

OUTCOME_MESSAGES = {
    "ready": "hot water ready",
    "already_hot": "water was already hot",
    "timed_out": "hot water did not arrive in time",
    "no_heat": "the pipe never warmed: the heater did not fire",
    "not_confirmed": "hot water not confirmed by the pipe sensor",
    "stopped": "hot water cycle stopped",
    "fault": "hot water cycle stopped by a fault",
}
END_REASONS = {
    "sensor_lost": "the temperature sensor was lost",
    "purge_complete": "by the pipe volume, not a sensor",
    "draw": "someone opened the tap",
}
"""Ends a person should know of: no sensor said when hot water arrived."""
AUTOMATIC_TRIGGERS = {
    "keep_warm": "keep warm",
    "freeze": "freeze protection",
    "prediction": "pre-heat",
}
"""Cycles nobody asked for say what started them."""


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe each cycle outcome, so every HA version's logbook says how the cycle ended."""

    @callback
    def describe(event: Event) -> dict[str, str]:
        data: Mapping[str, Any] = event.data
        outcome = str(data.get("outcome", ""))
        message = OUTCOME_MESSAGES.get(outcome, f"hot water cycle ended ({outcome})")
        if outcome == "ready" and data.get("time_to_hot_s") is not None:
            message += f" after {data['time_to_hot_s']:g} s"
        elif outcome == "stopped" and data.get("end_reason") == "restarted":
            message += " (Home Assistant did not stop cleanly)"
        if (reason := END_REASONS.get(str(data.get("end_reason")))) is not None:
            message += f" ({reason})"
        if (trigger := AUTOMATIC_TRIGGERS.get(str(data.get("trigger")))) is not None:
            message += f" ({trigger})"
        return {
            LOGBOOK_ENTRY_NAME: str(data.get("fixture", "Zero Cold Water")),
            LOGBOOK_ENTRY_MESSAGE: message,
        }

    async_describe_event(DOMAIN, EVENT_CYCLE, describe)
