"""Config flow: installations (config entries), their fixtures (subentries) and options."""

from __future__ import annotations

from collections.abc import Mapping
import math
from typing import Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, callback, split_entity_id
from homeassistant.data_entry_flow import section
from homeassistant.helpers import selector

from .compat import vol
from .const import (
    CONF_COLD_LINE_LIMIT,
    CONF_COLD_SENSOR,
    CONF_COOLDOWN,
    CONF_DAILY_PUMP_CAP,
    CONF_DRAW_SENSOR,
    CONF_FREEZE_PROTECT,
    CONF_JUNCTION_VALVE,
    CONF_KEEP_WARM,
    CONF_KEEP_WARM_HYSTERESIS,
    CONF_KEEP_WARM_INTERVAL,
    CONF_MAX_RUN,
    CONF_PREHEAT_LIMIT,
    CONF_PRESENCE,
    CONF_PUMP,
    CONF_PUMP_FLOW,
    CONF_REMOTE_ENTITY,
    CONF_REMOTE_FIXTURES,
    CONF_SCHEDULE,
    CONF_SENSOR,
    CONF_SENSOR_GRACE,
    CONF_START_ON,
    CONF_STOP_ON,
    CONF_TAP_FLOW,
    CONF_TARGET,
    CONF_TOPOLOGY,
    CONF_VACATION_AFTER,
    CONF_VALVE,
    CONF_VOLUME,
    COOLDOWN_RANGE,
    DAILY_PUMP_CAP_RANGE,
    DEFAULT_OPTIONS,
    DEFAULT_PUMP_FLOW,
    DOMAIN,
    DRAW_SENSOR_DOMAINS,
    FLOW_RANGE,
    FREEZE_PROTECT_RANGE,
    HYSTERESIS_RANGE,
    KEEP_WARM_INTERVAL_RANGE,
    LIMIT_RANGE,
    MAX_RUN_RANGE,
    OPTIONAL_OPTIONS,
    PREHEAT_LIMIT_RANGE,
    PRESENCE_DOMAINS,
    PUMP_DOMAINS,
    REMOTE_DOMAINS,
    SCHEDULE_DOMAINS,
    SECTION_AUTOMATIC,
    SENSOR_GRACE_RANGE,
    SUBENTRY_FIXTURE,
    SUBENTRY_REMOTE,
    TARGET_RANGE,
    VACATION_AFTER_RANGE,
    VALVE_DOMAINS,
    VOLUME_RANGE,
    Topology,
)
from .coordinator import ZeroColdWaterConfigEntry
from .engine import SettingsErrorCode, validate
from .remotes import PRESS
from .settings import (
    fixture_subentries,
    hide_entities,
    input_entities,
    installation_settings,
    presence_entities,
    wrapped_entities,
)
from .states import UNKNOWN_STATES


def _number(
    bounds: tuple[float, float], step: float, unit: str | None = None
) -> selector.NumberSelector:
    config = selector.NumberSelectorConfig(
        min=bounds[0], max=bounds[1], step=step, mode=selector.NumberSelectorMode.BOX
    )
    if unit is not None:
        config["unit_of_measurement"] = unit
    return selector.NumberSelector(config)


def entity_selector(
    domains: tuple[str, ...], device_class: str | None = None, *, multiple: bool = False
) -> selector.EntitySelector:
    """An entity picker narrowed to ``domains`` (and a device class)."""
    # Literal filters: their TypedDict differs between HA 2025.4 and 2026.x.
    if device_class is None:
        return selector.EntitySelector(
            selector.EntitySelectorConfig(filter=[{"domain": list(domains)}], multiple=multiple)
        )
    return selector.EntitySelector(
        selector.EntitySelectorConfig(
            filter=[{"domain": list(domains), "device_class": device_class}]
        )
    )


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
        vol.Required(CONF_PUMP_FLOW, default=DEFAULT_PUMP_FLOW): _number(FLOW_RANGE, 0.1, "L/min"),
    }
    if topology is Topology.RETURN_LINE:
        schema[vol.Optional(CONF_JUNCTION_VALVE)] = entity_selector(VALVE_DOMAINS)
    return vol.Schema(schema)


def _options_schema(topology: Topology) -> vol.Schema:
    schema: dict[Any, Any] = {
        vol.Required(CONF_TARGET): _number(TARGET_RANGE, 0.5, "°C"),
    }
    if topology is Topology.COLD_LINE:
        schema[vol.Required(CONF_COLD_LINE_LIMIT)] = _number(LIMIT_RANGE, 0.5, "°C")
    schema[vol.Required(CONF_MAX_RUN)] = _number(MAX_RUN_RANGE, 1, "s")
    schema[vol.Required(CONF_COOLDOWN)] = _number(COOLDOWN_RANGE, 1, "s")
    schema[vol.Required(CONF_SENSOR_GRACE)] = _number(SENSOR_GRACE_RANGE, 1, "s")
    if topology.has_pump:
        schema[vol.Required(CONF_DAILY_PUMP_CAP)] = _number(DAILY_PUMP_CAP_RANGE, 60, "s")
    schema[vol.Required(SECTION_AUTOMATIC)] = section(AUTOMATIC_SCHEMA, {"collapsed": False})
    return vol.Schema(schema)


AUTOMATIC_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_SCHEDULE): entity_selector(SCHEDULE_DOMAINS),
        vol.Optional(CONF_PRESENCE): entity_selector(PRESENCE_DOMAINS, multiple=True),
        vol.Required(CONF_VACATION_AFTER): _number(VACATION_AFTER_RANGE, 1, "h"),
        vol.Required(CONF_KEEP_WARM_HYSTERESIS): _number(HYSTERESIS_RANGE, 0.5, "K"),
        vol.Required(CONF_KEEP_WARM_INTERVAL): _number(KEEP_WARM_INTERVAL_RANGE, 1, "min"),
        vol.Required(CONF_PREHEAT_LIMIT): _number(PREHEAT_LIMIT_RANGE, 1),
        vol.Optional(CONF_FREEZE_PROTECT): _number(FREEZE_PROTECT_RANGE, 0.5, "°C"),
    }
)
"""Automatic cycles: keep-warm schedule, presence and vacation, pre-heat, freeze protection."""
AUTOMATIC_KEYS = tuple(str(key) for key in AUTOMATIC_SCHEMA.schema)


def entity_error(
    hass: HomeAssistant, entity_id: str, domains: tuple[str, ...], wrong_domain: str
) -> str | None:
    """Why ``entity_id`` cannot serve (wrong domain, missing), or None."""
    if split_entity_id(entity_id)[0] not in domains:
        return wrong_domain
    if hass.states.get(entity_id) is None:
        return "entity_not_found"
    return None


def draw_sensor_error(hass: HomeAssistant, entity_id: str) -> str | None:
    """Why ``entity_id`` cannot tell when hot water is drawn, or None.

    A binary sensor or input boolean (on while drawing: a flow switch, the heater's burner) or a
    numeric sensor (a flow above zero), but not a temperature.
    """
    if error := entity_error(hass, entity_id, DRAW_SENSOR_DOMAINS, "draw_sensor_wrong_domain"):
        return error
    state = hass.states.get(entity_id)
    if split_entity_id(entity_id)[0] == "sensor" and state is not None:
        if state.attributes.get("device_class") == "temperature":
            return "draw_sensor_not_flow"
        if state.state not in UNKNOWN_STATES:
            try:
                float(state.state)
            except ValueError:
                return "draw_sensor_not_flow"
    return None


def sensor_error(hass: HomeAssistant, entity_id: str) -> str | None:
    """Why ``entity_id`` cannot serve as a pipe temperature sensor, or None."""
    if split_entity_id(entity_id)[0] != "sensor":
        return "not_temperature_sensor"
    state = hass.states.get(entity_id)
    if state is None:
        return "entity_not_found"
    if state.attributes.get("device_class") != "temperature":
        return "not_temperature_sensor"
    return None


def _in_use(
    hass: HomeAssistant, *, exclude_entry: str | None, exclude_fixture: str | None
) -> set[str]:
    """Entities already wrapped by any installation, except the part being edited."""
    used: set[str] = set()
    for entry in hass.config_entries.async_entries(DOMAIN):
        draw_sensors = [w for w in input_entities(entry) if w.role == CONF_DRAW_SENSOR]
        for wrapped in [*wrapped_entities(entry), *draw_sensors]:
            if entry.entry_id == exclude_entry and (
                (wrapped.fixture is None and exclude_fixture is None)
                or (wrapped.fixture is not None and wrapped.fixture == exclude_fixture)
            ):
                continue
            used.add(wrapped.entity_id)
    return used


def _suggested(
    entry: ConfigEntry, user_input: Mapping[str, Any] | None, subentry_id: str | None
) -> Mapping[str, Any]:
    """What a subentry form shows: the input being corrected, or the subentry being edited."""
    if user_input is not None:
        return user_input
    if subentry_id is not None:
        subentry = entry.subentries[subentry_id]
        return {CONF_NAME: subentry.title, **subentry.data}
    return {}


def _hide_chosen(hass: HomeAssistant, data: Mapping[str, Any]) -> None:
    """Hide the pump and valves just chosen (sensors stay visible)."""
    chosen = [
        (key, value) for key, value in data.items() if isinstance(value, str) and "." in value
    ]
    hide_entities(hass, [value for _, value in chosen], roles=[key for key, _ in chosen])


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
        """Fixtures are subentries."""
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
                _hide_chosen(self.hass, data)
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
        used = _in_use(self.hass, exclude_entry=exclude_entry, exclude_fixture=None)
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
        _hide_chosen(self.hass, extra)
        return self.async_create_entry(
            title=self._name,
            data={CONF_TOPOLOGY: self._topology.value, **extra},
            options=dict(DEFAULT_OPTIONS),
        )


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
        schema[vol.Optional(CONF_TARGET)] = _number(TARGET_RANGE, 0.5, "°C")
        schema[vol.Optional(CONF_TAP_FLOW)] = _number(FLOW_RANGE, 0.1, "L/min")
        schema[vol.Optional(CONF_VOLUME)] = _number(VOLUME_RANGE, 0.05, "L")
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
                _hide_chosen(self.hass, data)
                if subentry_id is None:
                    return self.async_create_entry(title=name, data=data)
                return self.async_update_and_abort(
                    entry, entry.subentries[subentry_id], title=name, data=data
                )
        suggested = _suggested(entry, user_input, subentry_id)
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
        used = _in_use(
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
        if errors:
            return errors
        # Last, the engine's own rules, on the installation as it would be.
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
        suggested = _suggested(entry, user_input, subentry_id)
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
