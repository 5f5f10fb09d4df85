"""Fixtures (config subentries): a sink, basin or shower at the end of the hot line."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_NAME
from homeassistant.helpers import selector

from .compat import vol
from .const import (
    CONF_COLD_LINE_LIMIT,
    CONF_COLD_SENSOR,
    CONF_DRAW_SENSOR,
    CONF_KEEP_WARM,
    CONF_SENSOR,
    CONF_TAP_FLOW,
    CONF_TARGET,
    CONF_TOPOLOGY,
    CONF_VALVE,
    CONF_VOLUME,
    DEFAULT_OPTIONS,
    DRAW_SENSOR_DOMAINS,
    FLOW_RANGE,
    TARGET_RANGE,
    VALVE_DOMAINS,
    VOLUME_RANGE,
    Topology,
)
from .engine import SettingsErrorCode, validate
from .forms import (
    draw_sensor_error,
    entities_in_use,
    entity_error,
    entity_selector,
    hide_chosen,
    number_selector,
    sensor_error,
    subentry_suggested,
)
from .settings import (
    fixture_subentries,
    installation_settings,
)

# Where an engine settings error about a fixture shows in the fixture form.
_FIXTURE_FIELDS = {
    "name": CONF_NAME,
    "target_c": CONF_TARGET,
    "cold_line_limit_c": CONF_TARGET,
    "tap_flow_lpm": CONF_TAP_FLOW,
    "configured_volume_l": CONF_VOLUME,
    "has_valve": CONF_VALVE,
    "served_by": CONF_VALVE,
    "keep_warm": CONF_KEEP_WARM,
    "has_draw_sensor": CONF_DRAW_SENSOR,
}


class FixtureSubentryFlow(ConfigSubentryFlow):
    """Add or edit a fixture: a sink, basin or shower at the end of the hot line."""

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Add a fixture."""
        return await self._form("user", user_input, None)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Edit a fixture."""
        return await self._form(
            "reconfigure", user_input, self._get_reconfigure_subentry().subentry_id
        )

    def _schema(self, topology: Topology) -> vol.Schema:
        schema: dict[Any, Any] = {
            vol.Required(CONF_NAME): selector.TextSelector(),
            vol.Optional(CONF_SENSOR): entity_selector(("sensor",), "temperature"),
        }
        if topology is not Topology.RETURN_LINE:
            schema[vol.Optional(CONF_VALVE)] = entity_selector(VALVE_DOMAINS)
        if topology is Topology.COLD_LINE:
            schema[vol.Optional(CONF_COLD_SENSOR)] = entity_selector(("sensor",), "temperature")
        schema[vol.Optional(CONF_TARGET)] = number_selector(TARGET_RANGE, 0.5, "°C")
        schema[vol.Optional(CONF_TAP_FLOW)] = number_selector(FLOW_RANGE, 0.1, "L/min")
        schema[vol.Optional(CONF_VOLUME)] = number_selector(VOLUME_RANGE, 0.05, "L")
        schema[vol.Optional(CONF_KEEP_WARM, default=True)] = selector.BooleanSelector()
        schema[vol.Optional(CONF_DRAW_SENSOR)] = entity_selector(DRAW_SENSOR_DOMAINS)
        return vol.Schema(schema)

    async def _form(
        self, step_id: str, user_input: dict[str, Any] | None, subentry_id: str | None
    ) -> SubentryFlowResult:
        entry = self._get_entry()
        topology = Topology(entry.data[CONF_TOPOLOGY])
        errors: dict[str, str] = {}
        if user_input is not None:
            name = str(user_input.get(CONF_NAME, "")).strip()
            data = {k: v for k, v in user_input.items() if k != CONF_NAME and v not in (None, "")}
            errors = self._errors(entry, topology, name, data, subentry_id)
            if not errors:
                hide_chosen(self.hass, data)
                if subentry_id is None:
                    return self.async_create_entry(title=name, data=data)
                return self.async_update_and_abort(
                    entry, entry.subentries[subentry_id], title=name, data=data
                )
        suggested = subentry_suggested(entry, user_input, subentry_id)
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(self._schema(topology), suggested),
            errors=errors,
            description_placeholders={
                "topology": topology.value,
                "default_target": f"{entry.options.get(CONF_TARGET, DEFAULT_OPTIONS[CONF_TARGET]):g}",
            },
        )

    def _errors(
        self,
        entry: ConfigEntry,
        topology: Topology,
        name: str,
        data: dict[str, Any],
        subentry_id: str | None,
    ) -> dict[str, str]:
        errors: dict[str, str] = {}
        if not name:
            errors[CONF_NAME] = "name_empty"
        elif any(
            sub.title.casefold() == name.casefold()
            for sid, sub in entry.subentries.items()
            if sid != subentry_id
        ):
            errors[CONF_NAME] = "fixture_name_in_use"
        errors |= self._entity_errors(entry, data, subentry_id)
        if topology is not Topology.RETURN_LINE and CONF_VALVE not in data:
            errors.setdefault(CONF_VALVE, "valve_required")
        if topology is Topology.DRAIN and CONF_TAP_FLOW not in data:
            errors.setdefault(CONF_TAP_FLOW, "tap_flow_required")
        if CONF_SENSOR not in data and CONF_VOLUME not in data:
            errors.setdefault(CONF_VOLUME, "volume_required")
        options = {**DEFAULT_OPTIONS, **entry.options}
        target = float(data.get(CONF_TARGET, options[CONF_TARGET]))
        if topology is Topology.COLD_LINE and target > float(options[CONF_COLD_LINE_LIMIT]):
            errors.setdefault(CONF_TARGET, "limit_below_target")
        return errors or _engine_errors(entry, data, subentry_id)

    def _entity_errors(
        self, entry: ConfigEntry, data: dict[str, Any], subentry_id: str | None
    ) -> dict[str, str]:
        """Each chosen entity must be of its kind, and wrapped nowhere else."""
        errors: dict[str, str] = {}
        used = entities_in_use(
            self.hass, exclude_entry=entry.entry_id, exclude_fixture=subentry_id or "\0new"
        )
        chosen: set[str] = set()
        for key in (CONF_SENSOR, CONF_COLD_SENSOR, CONF_VALVE, CONF_DRAW_SENSOR):
            entity_id = data.get(key)
            if entity_id is None:
                continue
            if key == CONF_VALVE:
                error = entity_error(self.hass, entity_id, VALVE_DOMAINS, "valve_wrong_domain")
            elif key == CONF_DRAW_SENSOR:
                error = draw_sensor_error(self.hass, entity_id)
            else:
                error = sensor_error(self.hass, entity_id)
            if error is None and (entity_id in used or entity_id in chosen):
                error = "entity_in_use"
            chosen.add(entity_id)
            if error:
                errors[key] = error
        return errors


def _engine_errors(
    entry: ConfigEntry, data: dict[str, Any], subentry_id: str | None
) -> dict[str, str]:
    """The engine's own rules, on the installation as it would be."""
    errors: dict[str, str] = {}
    fixtures = [(sid, d) for sid, d in fixture_subentries(entry) if sid != subentry_id]
    key = subentry_id or "new fixture"
    fixtures.append((key, data))
    settings = installation_settings(entry.data, entry.options, fixtures)
    for problem in validate(settings):
        if problem.fixture == key:
            field = _FIXTURE_FIELDS.get(problem.field, "base")
        elif problem.code is SettingsErrorCode.NO_FIXTURES:  # pragma: no cover - one added
            continue
        else:
            field = "base"
        errors.setdefault(field, f"settings_{problem.code.value}")
    return errors
