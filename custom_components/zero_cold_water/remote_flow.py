"""Remotes (config subentries): a button, event or action entity that starts and stops."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, split_entity_id
from homeassistant.helpers import selector

from .compat import vol
from .const import (
    CONF_REMOTE_ENTITY,
    CONF_REMOTE_FIXTURES,
    CONF_START_ON,
    CONF_STOP_ON,
    REMOTE_DOMAINS,
    SUBENTRY_REMOTE,
)
from .forms import (
    entity_error,
    entity_selector,
    subentry_suggested,
)
from .remotes import PRESS
from .settings import (
    fixture_subentries,
)


class RemoteSubentryFlow(ConfigSubentryFlow):
    """Bind a remote: its entity, then which fixtures it serves and which presses start/stop."""

    def __init__(self) -> None:
        """Nothing chosen yet."""
        self._data: dict[str, Any] = {}
        self._title = ""

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Name the remote and pick its entity."""
        return await self._entity_step("user", user_input, None)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change the remote's name or entity."""
        return await self._entity_step(
            "reconfigure", user_input, self._get_reconfigure_subentry().subentry_id
        )

    async def _entity_step(
        self, step_id: str, user_input: dict[str, Any] | None, subentry_id: str | None
    ) -> SubentryFlowResult:
        entry = self._get_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            name = str(user_input.get(CONF_NAME, "")).strip()
            entity_id = str(user_input[CONF_REMOTE_ENTITY])
            if not name:
                errors[CONF_NAME] = "name_empty"
            elif any(
                sub.title.casefold() == name.casefold()
                for sid, sub in entry.subentries.items()
                if sid != subentry_id and sub.subentry_type == SUBENTRY_REMOTE
            ):
                errors[CONF_NAME] = "remote_name_in_use"
            if error := entity_error(self.hass, entity_id, REMOTE_DOMAINS, "remote_wrong_domain"):
                errors[CONF_REMOTE_ENTITY] = error
            if not errors:
                self._title = name
                if subentry_id is not None and (
                    entry.subentries[subentry_id].data.get(CONF_REMOTE_ENTITY) == entity_id
                ):
                    self._data = dict(entry.subentries[subentry_id].data)
                else:
                    self._data = {CONF_REMOTE_ENTITY: entity_id}
                return await self.async_step_actions()
        suggested = subentry_suggested(entry, user_input, subentry_id)
        schema = vol.Schema(
            {
                vol.Required(CONF_NAME): selector.TextSelector(),
                vol.Required(CONF_REMOTE_ENTITY): entity_selector(REMOTE_DOMAINS),
            }
        )
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
        )

    async def async_step_actions(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Which fixtures, and which event types or states start and stop them."""
        entry = self._get_entry()
        entity_id = self._data[CONF_REMOTE_ENTITY]
        errors: dict[str, str] = {}
        if user_input is not None:
            start_on = [str(v) for v in user_input.get(CONF_START_ON, [])]
            stop_on = [str(v) for v in user_input.get(CONF_STOP_ON, [])]
            if set(start_on) & set(stop_on):
                errors[CONF_STOP_ON] = "start_stop_overlap"
            else:
                data = {
                    CONF_REMOTE_ENTITY: entity_id,
                    CONF_REMOTE_FIXTURES: [
                        str(f) for f in user_input.get(CONF_REMOTE_FIXTURES, [])
                    ],
                    CONF_START_ON: start_on,
                    CONF_STOP_ON: stop_on,
                }
                if self.source == SOURCE_RECONFIGURE:
                    return self.async_update_and_abort(
                        entry, self._get_reconfigure_subentry(), title=self._title, data=data
                    )
                return self.async_create_entry(title=self._title, data=data)
        fixtures = [
            selector.SelectOptionDict(value=sid, label=entry.subentries[sid].title)
            for sid, _ in fixture_subentries(entry)
        ]
        actions = remote_actions(self.hass, entity_id)
        schema = vol.Schema(
            {
                vol.Optional(CONF_REMOTE_FIXTURES): selector.SelectSelector(
                    selector.SelectSelectorConfig(options=fixtures, multiple=True)
                ),
                vol.Optional(CONF_START_ON): selector.SelectSelector(
                    selector.SelectSelectorConfig(options=actions, multiple=True, custom_value=True)
                ),
                vol.Optional(CONF_STOP_ON): selector.SelectSelector(
                    selector.SelectSelectorConfig(options=actions, multiple=True, custom_value=True)
                ),
            }
        )
        return self.async_show_form(
            step_id="actions",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or self._data),
            errors=errors,
            description_placeholders={"entity": entity_id},
        )


def remote_actions(hass: HomeAssistant, entity_id: str) -> list[str]:
    """The presses a remote entity can report, to offer in the form (more may be typed)."""
    state = hass.states.get(entity_id)
    domain = split_entity_id(entity_id)[0]
    if domain == "binary_sensor":
        return ["on", "off"]
    if domain in ("input_button", "button"):
        return [PRESS]
    if state is None:
        return []
    options = state.attributes.get("event_types" if domain == "event" else "options")
    if isinstance(options, list):
        return [str(option) for option in options]
    return []
