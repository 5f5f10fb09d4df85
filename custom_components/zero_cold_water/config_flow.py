"""Config flow: an installation (config entry), its name, topology and pump.

Its options (options_flow.py), fixtures (fixture_flow.py) and remotes (remote_flow.py) have flows
of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import callback
from homeassistant.helpers import selector

from .compat import vol
from .const import (
    CONF_JUNCTION_VALVE,
    CONF_PUMP,
    CONF_PUMP_FLOW,
    CONF_TOPOLOGY,
    DEFAULT_OPTIONS,
    DEFAULT_PUMP_FLOW,
    DOMAIN,
    FLOW_RANGE,
    PUMP_DOMAINS,
    SUBENTRY_FIXTURE,
    SUBENTRY_REMOTE,
    VALVE_DOMAINS,
    Topology,
)
from .coordinator import ZeroColdWaterConfigEntry
from .fixture_flow import FixtureSubentryFlow
from .forms import (
    entities_in_use,
    entity_error,
    entity_selector,
    hide_chosen,
    number_selector,
)
from .options_flow import ZeroColdWaterOptionsFlow
from .remote_flow import RemoteSubentryFlow

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


def _pump_schema(topology: Topology) -> vol.Schema:
    """The pump step: the pump, its flow and (return line only) the junction valve."""
    # The domain filter only narrows what the UI offers; the step validates the domain itself so
    # that a wrong entity (typed in YAML mode, or sent by a script) gets a translated error.
    schema: dict[Any, Any] = {
        vol.Required(CONF_PUMP): entity_selector(PUMP_DOMAINS),
        vol.Required(CONF_PUMP_FLOW, default=DEFAULT_PUMP_FLOW): number_selector(
            FLOW_RANGE, 0.1, "L/min"
        ),
    }
    if topology is Topology.RETURN_LINE:
        schema[vol.Optional(CONF_JUNCTION_VALVE)] = entity_selector(VALVE_DOMAINS)
    return vol.Schema(schema)


class ZeroColdWaterConfigFlow(ConfigFlow, domain=DOMAIN):
    """Create an installation: its name, its plumbing topology and its pump."""

    VERSION = 1
    MINOR_VERSION = 2

    def __init__(self) -> None:
        """Start with nothing chosen."""
        self._name = ""
        self._topology = Topology.COLD_LINE

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ZeroColdWaterConfigEntry) -> OptionsFlow:
        """Tunables of an installation."""
        return ZeroColdWaterOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Fixtures and remotes are subentries."""
        return {SUBENTRY_FIXTURE: FixtureSubentryFlow, SUBENTRY_REMOTE: RemoteSubentryFlow}

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
        """Ask for the recirculation pump, its flow and (return line) the junction valve."""
        errors: dict[str, str] = {}
        if user_input is not None:
            # The pump is what makes an installation: the same pump again is the same one.
            self._async_abort_entries_match({CONF_PUMP: user_input[CONF_PUMP]})
            errors = self._pump_errors(user_input, exclude_entry=None)
            if not errors:
                return self._create(self._pump_data(user_input))
        return self.async_show_form(
            step_id="pump",
            data_schema=self.add_suggested_values_to_schema(
                _pump_schema(self._topology), user_input
            ),
            errors=errors,
            description_placeholders={"topology": self._topology.value},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the pump, its flow or the junction valve; the topology stays."""
        entry = self._get_reconfigure_entry()
        self._topology = Topology(entry.data[CONF_TOPOLOGY])
        if not self._topology.has_pump:
            return self.async_abort(reason="nothing_to_reconfigure")
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = self._pump_errors(user_input, exclude_entry=entry.entry_id)
            if not errors:
                data = self._pump_data(user_input)
                hide_chosen(self.hass, data)
                # The update listener reloads the installation.
                self.hass.config_entries.async_update_entry(
                    entry, data={CONF_TOPOLOGY: self._topology.value, **data}
                )
                return self.async_abort(reason="reconfigure_successful")
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                _pump_schema(self._topology), user_input or dict(entry.data)
            ),
            errors=errors,
        )

    def _pump_data(self, user_input: Mapping[str, Any]) -> dict[str, Any]:
        data = {CONF_PUMP: user_input[CONF_PUMP], CONF_PUMP_FLOW: float(user_input[CONF_PUMP_FLOW])}
        if junction := user_input.get(CONF_JUNCTION_VALVE):
            data[CONF_JUNCTION_VALVE] = junction
        return data

    def _pump_errors(
        self, user_input: Mapping[str, Any], *, exclude_entry: str | None
    ) -> dict[str, str]:
        errors: dict[str, str] = {}
        used = entities_in_use(self.hass, exclude_entry=exclude_entry, exclude_fixture=None)
        pump = user_input[CONF_PUMP]
        if error := entity_error(self.hass, pump, PUMP_DOMAINS, "pump_not_switch"):
            errors[CONF_PUMP] = error
        elif any(entry.data.get(CONF_PUMP) == pump for entry in self._others(exclude_entry)):
            errors[CONF_PUMP] = "pump_in_use"
        elif pump in used:
            errors[CONF_PUMP] = "entity_in_use"
        if junction := user_input.get(CONF_JUNCTION_VALVE):
            if error := entity_error(self.hass, junction, VALVE_DOMAINS, "valve_wrong_domain"):
                errors[CONF_JUNCTION_VALVE] = error
            elif junction in used or junction == pump:
                errors[CONF_JUNCTION_VALVE] = "entity_in_use"
        flow = float(user_input[CONF_PUMP_FLOW])
        if not FLOW_RANGE[0] <= flow <= FLOW_RANGE[1]:
            errors[CONF_PUMP_FLOW] = "out_of_range"
        return errors

    def _others(self, exclude_entry: str | None) -> list[ConfigEntry]:
        return [e for e in self._async_current_entries() if e.entry_id != exclude_entry]

    def _name_in_use(self, name: str) -> bool:
        """Whether another installation already has this name (case-insensitive)."""
        folded = name.casefold()
        return any(entry.title.casefold() == folded for entry in self._async_current_entries())

    def _create(self, extra: dict[str, Any]) -> ConfigFlowResult:
        """Create the entry; the topology is fixed for the life of the installation."""
        hide_chosen(self.hass, extra)
        return self.async_create_entry(
            title=self._name,
            data={CONF_TOPOLOGY: self._topology.value, **extra},
            options=dict(DEFAULT_OPTIONS),
        )
