"""Repairs: pick a replacement for a wrapped entity that disappeared."""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.core import HomeAssistant

from .compat import vol
from .const import (
    CONF_DRAW_SENSOR,
    CONF_JUNCTION_VALVE,
    CONF_PRESENCE,
    CONF_PUMP,
    CONF_SCHEDULE,
    CONF_VALVE,
    DRAW_SENSOR_DOMAINS,
    PRESENCE_DOMAINS,
    PUMP_DOMAINS,
    SCHEDULE_DOMAINS,
    VALVE_DOMAINS,
)
from .forms import draw_sensor_error, entity_error, entity_selector, sensor_error
from .settings import Wrapped, replace_wrapped, tracked_entities, wrapped_entities

DOMAINS_BY_ROLE = {
    CONF_PUMP: PUMP_DOMAINS,
    CONF_VALVE: VALVE_DOMAINS,
    CONF_JUNCTION_VALVE: VALVE_DOMAINS,
    CONF_SCHEDULE: SCHEDULE_DOMAINS,
    CONF_PRESENCE: PRESENCE_DOMAINS,
    CONF_DRAW_SENSOR: DRAW_SENSOR_DOMAINS,
}
"""What can replace each role (pipe and cold-line sensors: temperature sensors)."""

CONF_ENTITY = "entity"


class ReplaceEntityFlow(RepairsFlow):
    """Choose the entity that now does the missing one's job."""

    def __init__(self, data: dict[str, Any]) -> None:
        """Keep what the issue is about."""
        self._entry_id: str = data["entry_id"]
        self._item = Wrapped(
            entity_id=data["entity_id"], role=data["role"], fixture=data["fixture"] or None
        )

    # The result type is RepairsFlowResult from HA 2026.x, a plain FlowResult before: Any fits both.
    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> Any:
        """Ask for the replacement."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None or self._item not in tracked_entities(entry):
            return self.async_abort(reason="issue_outdated")
        role = self._item.role
        fixture = entry.subentries.get(self._item.fixture) if self._item.fixture else None
        domains = DOMAINS_BY_ROLE.get(role, ("sensor",))
        errors: dict[str, str] = {}
        if user_input is not None:
            new = user_input[CONF_ENTITY]
            used = {
                w.entity_id
                for e in self.hass.config_entries.async_entries(entry.domain)
                for w in wrapped_entities(e)
            }
            if domains == ("sensor",):
                error = sensor_error(self.hass, new)
            elif role == CONF_DRAW_SENSOR:
                error = draw_sensor_error(self.hass, new)
            else:
                error = entity_error(self.hass, new, domains, "wrong_domain")
            if error:
                errors[CONF_ENTITY] = error
            elif new in used:
                errors[CONF_ENTITY] = "entity_in_use"
            else:
                replace_wrapped(self.hass, entry, self._item, new)
                return self.async_create_entry(data={})
        device_class = "temperature" if domains == ("sensor",) else None
        return self.async_show_form(
            step_id="init",
            data_schema=vol.Schema(
                {vol.Required(CONF_ENTITY): entity_selector(domains, device_class)}
            ),
            errors=errors,
            description_placeholders={
                "entity_id": self._item.entity_id,
                "installation": entry.title,
                "fixture": fixture.title if fixture is not None else entry.title,
            },
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """The fix flow of an issue."""
    if data is not None and "role" in data:
        return ReplaceEntityFlow(dict(data))
    return ConfirmRepairFlow()
