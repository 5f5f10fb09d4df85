"""The options flow: an installation's tunables and its automatic cycles' settings."""

from __future__ import annotations

from collections.abc import Mapping
import math
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.data_entry_flow import section

from .compat import vol
from .const import (
    CONF_COLD_LINE_LIMIT,
    CONF_COOLDOWN,
    CONF_DAILY_PUMP_CAP,
    CONF_FREEZE_PROTECT,
    CONF_KEEP_WARM_HYSTERESIS,
    CONF_KEEP_WARM_INTERVAL,
    CONF_MAX_RUN,
    CONF_PREHEAT_LIMIT,
    CONF_PRESENCE,
    CONF_SCHEDULE,
    CONF_SENSOR_GRACE,
    CONF_TARGET,
    CONF_TOPOLOGY,
    CONF_VACATION_AFTER,
    COOLDOWN_RANGE,
    DAILY_PUMP_CAP_RANGE,
    DEFAULT_OPTIONS,
    FREEZE_PROTECT_RANGE,
    HYSTERESIS_RANGE,
    KEEP_WARM_INTERVAL_RANGE,
    LIMIT_RANGE,
    MAX_RUN_RANGE,
    OPTIONAL_OPTIONS,
    PREHEAT_LIMIT_RANGE,
    PRESENCE_DOMAINS,
    SCHEDULE_DOMAINS,
    SECTION_AUTOMATIC,
    SENSOR_GRACE_RANGE,
    TARGET_RANGE,
    VACATION_AFTER_RANGE,
    Topology,
)
from .forms import (
    entity_error,
    entity_selector,
    number_selector,
)
from .settings import (
    fixture_subentries,
    presence_entities,
)


def _options_schema(topology: Topology) -> vol.Schema:
    schema: dict[Any, Any] = {
        vol.Required(CONF_TARGET): number_selector(TARGET_RANGE, 0.5, "°C"),
    }
    if topology is Topology.COLD_LINE:
        schema[vol.Required(CONF_COLD_LINE_LIMIT)] = number_selector(LIMIT_RANGE, 0.5, "°C")
    schema[vol.Required(CONF_MAX_RUN)] = number_selector(MAX_RUN_RANGE, 1, "s")
    schema[vol.Required(CONF_COOLDOWN)] = number_selector(COOLDOWN_RANGE, 1, "s")
    schema[vol.Required(CONF_SENSOR_GRACE)] = number_selector(SENSOR_GRACE_RANGE, 1, "s")
    if topology.has_pump:
        schema[vol.Required(CONF_DAILY_PUMP_CAP)] = number_selector(DAILY_PUMP_CAP_RANGE, 60, "s")
    schema[vol.Required(SECTION_AUTOMATIC)] = section(AUTOMATIC_SCHEMA, {"collapsed": False})
    return vol.Schema(schema)


AUTOMATIC_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_SCHEDULE): entity_selector(SCHEDULE_DOMAINS),
        vol.Optional(CONF_PRESENCE): entity_selector(PRESENCE_DOMAINS, multiple=True),
        vol.Required(CONF_VACATION_AFTER): number_selector(VACATION_AFTER_RANGE, 1, "h"),
        vol.Required(CONF_KEEP_WARM_HYSTERESIS): number_selector(HYSTERESIS_RANGE, 0.5, "K"),
        vol.Required(CONF_KEEP_WARM_INTERVAL): number_selector(KEEP_WARM_INTERVAL_RANGE, 1, "min"),
        vol.Required(CONF_PREHEAT_LIMIT): number_selector(PREHEAT_LIMIT_RANGE, 1),
        vol.Optional(CONF_FREEZE_PROTECT): number_selector(FREEZE_PROTECT_RANGE, 0.5, "°C"),
    }
)
"""Automatic cycles: keep-warm schedule, presence and vacation, pre-heat, freeze protection."""
AUTOMATIC_KEYS = tuple(str(key) for key in AUTOMATIC_SCHEMA.schema)


class ZeroColdWaterOptionsFlow(OptionsFlow):
    """Tunables, and the automatic cycles' settings in a section of their own.

    Tunables: default target, cold-line limit, maximum run time, cooldown, daily pump cap.
    Automatic cycles: keep-warm schedule, presence and vacation, pre-heat, freeze protection.
    """

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and validate the tunables."""
        entry = self.config_entry
        topology = Topology(entry.data[CONF_TOPOLOGY])
        errors: dict[str, str] = {}
        if user_input is not None:
            options = _merged_options(entry.options, user_input)
            errors = options_errors(entry, options) or self._input_errors(options)
            if not errors:
                return self.async_create_entry(data=options)
        current = {**DEFAULT_OPTIONS, **entry.options}
        suggested = user_input or {
            **{k: v for k, v in current.items() if k not in AUTOMATIC_KEYS},
            SECTION_AUTOMATIC: {k: current[k] for k in AUTOMATIC_KEYS if k in current},
        }
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(_options_schema(topology), suggested),
            errors=errors,
        )

    def _input_errors(self, options: Mapping[str, Any]) -> dict[str, str]:
        """The schedule and presence entities must exist and be of a kind that says on/off."""
        errors: dict[str, str] = {}
        if (schedule := options.get(CONF_SCHEDULE)) and (
            error := entity_error(self.hass, schedule, SCHEDULE_DOMAINS, "schedule_wrong_domain")
        ):
            errors[CONF_SCHEDULE] = error
        for entity_id in presence_entities(options):
            if error := entity_error(
                self.hass, entity_id, PRESENCE_DOMAINS, "presence_wrong_domain"
            ):
                errors[CONF_PRESENCE] = error
        return errors


def _merged_options(current: Mapping[str, Any], user_input: Mapping[str, Any]) -> dict[str, Any]:
    """The options after the form: its section flattened, cleared optional fields removed."""
    automatic: Mapping[str, Any] = user_input[SECTION_AUTOMATIC]
    options: dict[str, Any] = {
        **DEFAULT_OPTIONS,
        # What the section does not hold any more was cleared.
        **{k: v for k, v in current.items() if k not in OPTIONAL_OPTIONS},
        **{k: v for k, v in user_input.items() if k != SECTION_AUTOMATIC},
        **{k: v for k, v in automatic.items() if v not in (None, "", [])},
    }
    if math.isfinite(limit := float(options[CONF_PREHEAT_LIMIT])):  # a count (NaN: an error)
        options[CONF_PREHEAT_LIMIT] = int(limit)
    return options


_OPTION_RANGES = {
    CONF_TARGET: TARGET_RANGE,
    CONF_COLD_LINE_LIMIT: LIMIT_RANGE,
    CONF_MAX_RUN: MAX_RUN_RANGE,
    CONF_COOLDOWN: COOLDOWN_RANGE,
    CONF_SENSOR_GRACE: SENSOR_GRACE_RANGE,
    CONF_DAILY_PUMP_CAP: DAILY_PUMP_CAP_RANGE,
    CONF_VACATION_AFTER: VACATION_AFTER_RANGE,
    CONF_KEEP_WARM_HYSTERESIS: HYSTERESIS_RANGE,
    CONF_KEEP_WARM_INTERVAL: KEEP_WARM_INTERVAL_RANGE,
    CONF_PREHEAT_LIMIT: PREHEAT_LIMIT_RANGE,
    CONF_FREEZE_PROTECT: FREEZE_PROTECT_RANGE,
}


def options_errors(entry: ConfigEntry, options: Mapping[str, Any]) -> dict[str, str]:
    """Translated errors for tunables (also used by the number entities)."""
    errors: dict[str, str] = {}
    for key, (low, high) in _OPTION_RANGES.items():
        if key in options and not low <= float(options[key]) <= high:
            errors[key] = "out_of_range"
    if errors:
        return errors
    if Topology(entry.data[CONF_TOPOLOGY]) is Topology.COLD_LINE:
        limit = float(options[CONF_COLD_LINE_LIMIT])
        targets = [
            float(data[CONF_TARGET]) for _, data in fixture_subentries(entry) if CONF_TARGET in data
        ]
        if limit < max([float(options[CONF_TARGET]), *targets]):
            errors[CONF_COLD_LINE_LIMIT] = "limit_below_target"
    return errors
