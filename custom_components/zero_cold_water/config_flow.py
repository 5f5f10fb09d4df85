"""Config flow: one config entry per installation (one heater and its pipes)."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_NAME
from homeassistant.core import split_entity_id
from homeassistant.helpers import selector

from .compat import vol
from .const import CONF_PUMP, CONF_TOPOLOGY, DOMAIN, PUMP_DOMAINS, Topology

USER_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_NAME): selector.TextSelector(),
        vol.Required(CONF_TOPOLOGY, default=Topology.COLD_LINE): selector.SelectSelector(
            selector.SelectSelectorConfig(
                options=[topology.value for topology in Topology],
                translation_key=CONF_TOPOLOGY,
                mode=selector.SelectSelectorMode.LIST,
            )
        ),
    }
)

# The domain filter only narrows what the UI offers; the step validates the domain itself so that
# a wrong entity (typed in YAML mode, or sent by a script) gets a translated error in the form.
PUMP_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_PUMP): selector.EntitySelector(
            selector.EntitySelectorConfig(filter=[{"domain": list(PUMP_DOMAINS)}])
        ),
    }
)


class ZeroColdWaterConfigFlow(ConfigFlow, domain=DOMAIN):
    """Create an installation: its name, its plumbing topology and its pump."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with nothing chosen."""
        self._name = ""
        self._topology = Topology.COLD_LINE

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the installation's name and topology."""
        errors: dict[str, str] = {}
        if user_input is not None:
            name = str(user_input[CONF_NAME]).strip()
            if not name:
                errors[CONF_NAME] = "name_empty"
            elif self._name_in_use(name):
                errors[CONF_NAME] = "name_in_use"
            else:
                self._name = name
                self._topology = Topology(user_input[CONF_TOPOLOGY])
                if self._topology.has_pump:
                    return await self.async_step_pump()
                return self._create({})
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, user_input),
            errors=errors,
        )

    async def async_step_pump(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the recirculation pump, an existing switch the integration will drive."""
        errors: dict[str, str] = {}
        if user_input is not None:
            pump = user_input[CONF_PUMP]
            if split_entity_id(pump)[0] not in PUMP_DOMAINS:
                errors[CONF_PUMP] = "pump_not_switch"
            elif self.hass.states.get(pump) is None:
                errors[CONF_PUMP] = "entity_not_found"
            elif any(entry.data.get(CONF_PUMP) == pump for entry in self._async_current_entries()):
                errors[CONF_PUMP] = "pump_in_use"
            else:
                return self._create({CONF_PUMP: pump})
        return self.async_show_form(
            step_id="pump",
            data_schema=self.add_suggested_values_to_schema(PUMP_SCHEMA, user_input),
            errors=errors,
            description_placeholders={"topology": self._topology.value},
        )

    def _name_in_use(self, name: str) -> bool:
        """Whether another installation already has this name (case-insensitive)."""
        folded = name.casefold()
        return any(entry.title.casefold() == folded for entry in self._async_current_entries())

    def _create(self, extra: dict[str, Any]) -> ConfigFlowResult:
        """Create the entry; the topology is fixed for the life of the installation."""
        return self.async_create_entry(
            title=self._name, data={CONF_TOPOLOGY: self._topology.value, **extra}
        )
