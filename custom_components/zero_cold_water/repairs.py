"""Repairs: pick a replacement for a wrapped entity that disappeared."""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.core import HomeAssistant

from . import replace_wrapped
from .compat import vol
from .config_flow import entity_error, entity_selector, sensor_error
from .const import CONF_JUNCTION_VALVE, CONF_PUMP, CONF_VALVE, PUMP_DOMAINS, VALVE_DOMAINS
from .settings import Wrapped, wrapped_entities

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
        if entry is None or self._item not in wrapped_entities(entry):
            return self.async_abort(reason="issue_outdated")
        role = self._item.role
        fixture = entry.subentries.get(self._item.fixture) if self._item.fixture else None
        if role == CONF_PUMP:
            domains: tuple[str, ...] = PUMP_DOMAINS
        elif role in (CONF_VALVE, CONF_JUNCTION_VALVE):
            domains = VALVE_DOMAINS
        else:
            domains = ("sensor",)
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
