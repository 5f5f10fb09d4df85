"""Every path of the config flow: installation, reconfigure, options and fixture subentries."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.zero_cold_water import fixture_flow as config_flow
from custom_components.zero_cold_water.const import (
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
    CONF_SCHEDULE,
    CONF_SENSOR,
    CONF_SENSOR_GRACE,
    CONF_TAP_FLOW,
    CONF_TARGET,
    CONF_TOPOLOGY,
    CONF_VACATION_AFTER,
    CONF_VALVE,
    CONF_VOLUME,
    DEFAULT_OPTIONS,
    DOMAIN,
    SECTION_AUTOMATIC,
    SUBENTRY_FIXTURE,
    Topology,
)
from custom_components.zero_cold_water.engine import SettingsError, SettingsErrorCode

from .conftest import COLD_SENSOR, FIXTURE_IDS, PUMP, SENSORS, VALVES, make_entry

pytestmark = pytest.mark.usefixtures("hardware")

JUNCTION = "input_boolean.junction"


async def _start(hass: HomeAssistant, name: str, topology: Topology) -> Any:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: name, CONF_TOPOLOGY: topology.value}
    )


# ----------------------------------------------------------------- installation


@pytest.mark.parametrize("topology", [Topology.COLD_LINE, Topology.RETURN_LINE])
async def test_pumped_installation(hass: HomeAssistant, topology: Topology) -> None:
    result = await _start(hass, "  Home ", topology)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pump"
    assert result["description_placeholders"] == {"topology": topology.value}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PUMP: PUMP, CONF_PUMP_FLOW: 7.5}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Home"
    assert result["data"] == {CONF_TOPOLOGY: topology.value, CONF_PUMP: PUMP, CONF_PUMP_FLOW: 7.5}
    assert result["options"] == DEFAULT_OPTIONS
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert entry.title == "Home"
    assert (entry.version, entry.minor_version) == (1, 2)
    assert entry.runtime_data.topology is topology


async def test_return_line_with_junction_valve(hass: HomeAssistant) -> None:
    result = await _start(hass, "Home", Topology.RETURN_LINE)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PUMP: PUMP, CONF_PUMP_FLOW: 6, CONF_JUNCTION_VALVE: JUNCTION}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_JUNCTION_VALVE] == JUNCTION


async def test_drain_installation_has_no_pump_step(hass: HomeAssistant) -> None:
    result = await _start(hass, "Flat", Topology.DRAIN)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {CONF_TOPOLOGY: "drain"}
    assert CONF_PUMP not in result["data"]


@pytest.mark.parametrize(
    ("name", "error"),
    [("   ", "name_empty"), ("home", "name_in_use"), ("HOME", "name_in_use")],
)
async def test_name_errors_then_recover(hass: HomeAssistant, name: str, error: str) -> None:
    MockConfigEntry(domain=DOMAIN, title="Home", data={CONF_TOPOLOGY: "drain"}).add_to_hass(hass)
    result = await _start(hass, name, Topology.DRAIN)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {CONF_NAME: error}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "Cottage", CONF_TOPOLOGY: "drain"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Cottage"


@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        ({CONF_PUMP: "light.kitchen"}, {CONF_PUMP: "pump_not_switch"}),
        ({CONF_PUMP: "sensor.pump_power"}, {CONF_PUMP: "pump_not_switch"}),
        ({CONF_PUMP: "switch.does_not_exist"}, {CONF_PUMP: "entity_not_found"}),
        ({CONF_PUMP: "input_boolean.missing"}, {CONF_PUMP: "entity_not_found"}),
        ({CONF_PUMP: VALVES[0]}, {CONF_PUMP: "entity_in_use"}),
        ({CONF_PUMP_FLOW: float("nan")}, {CONF_PUMP_FLOW: "out_of_range"}),
        ({CONF_JUNCTION_VALVE: "light.kitchen"}, {CONF_JUNCTION_VALVE: "valve_wrong_domain"}),
        ({CONF_JUNCTION_VALVE: "valve.missing"}, {CONF_JUNCTION_VALVE: "entity_not_found"}),
        ({CONF_JUNCTION_VALVE: PUMP}, {CONF_JUNCTION_VALVE: "entity_in_use"}),
        ({CONF_JUNCTION_VALVE: VALVES[1]}, {CONF_JUNCTION_VALVE: "entity_in_use"}),
    ],
)
async def test_pump_errors_then_recover(
    hass: HomeAssistant, user_input: dict[str, Any], errors: dict[str, str]
) -> None:
    other = make_entry(data={CONF_TOPOLOGY: "drain"}, fixtures=2)
    other.add_to_hass(hass)  # its valves are taken
    result = await _start(hass, "Home 2", Topology.RETURN_LINE)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PUMP: PUMP, CONF_PUMP_FLOW: 6.0, **user_input}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pump"
    assert result["errors"] == errors

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PUMP: PUMP, CONF_PUMP_FLOW: 6.0}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_same_pump_twice_is_the_same_installation(hass: HomeAssistant) -> None:
    MockConfigEntry(
        domain=DOMAIN, title="Home", data={CONF_TOPOLOGY: "cold_line", CONF_PUMP: PUMP}
    ).add_to_hass(hass)
    result = await _start(hass, "Second home", Topology.RETURN_LINE)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PUMP: PUMP, CONF_PUMP_FLOW: 6.0}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_reconfigure_to_another_installations_pump(hass: HomeAssistant) -> None:
    """Reconfiguring keeps the form: the installation exists, only the pump is taken."""
    hass.states.async_set("switch.other_pump", "off")
    MockConfigEntry(
        domain=DOMAIN,
        title="Other",
        data={CONF_TOPOLOGY: "cold_line", CONF_PUMP: "switch.other_pump"},
    ).add_to_hass(hass)
    entry = make_entry(fixtures=0)
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PUMP: "switch.other_pump", CONF_PUMP_FLOW: 6.0}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_PUMP: "pump_in_use"}
    assert entry.data[CONF_PUMP] == PUMP


async def test_a_switch_entity_is_accepted(hass: HomeAssistant) -> None:
    hass.states.async_set("switch.recirculation", "off")
    result = await _start(hass, "Home", Topology.COLD_LINE)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PUMP: "switch.recirculation", CONF_PUMP_FLOW: 6.0}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PUMP] == "switch.recirculation"


# ----------------------------------------------------------------- reconfigure


async def test_reconfigure_pump(hass: HomeAssistant) -> None:
    hass.states.async_set("switch.new_pump", "off")
    entry = make_entry(fixtures=0)
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PUMP: "light.nope", CONF_PUMP_FLOW: 6.0}
    )
    assert result["errors"] == {CONF_PUMP: "pump_not_switch"}

    # Its own pump is not "in use".
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PUMP: PUMP, CONF_PUMP_FLOW: 9.0}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == {CONF_TOPOLOGY: "cold_line", CONF_PUMP: PUMP, CONF_PUMP_FLOW: 9.0}


async def test_reconfigure_drain_has_nothing(hass: HomeAssistant) -> None:
    entry = make_entry(Topology.DRAIN, fixtures=0)
    entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "nothing_to_reconfigure"


# ----------------------------------------------------------------- options


TUNING = {
    CONF_TARGET: 41.0,
    CONF_COLD_LINE_LIMIT: 44.0,
    CONF_MAX_RUN: 240.0,
    CONF_COOLDOWN: 20.0,
    CONF_SENSOR_GRACE: 60.0,
    CONF_DAILY_PUMP_CAP: 7200.0,
}
AUTOMATIC = {
    CONF_VACATION_AFTER: 48.0,
    CONF_KEEP_WARM_HYSTERESIS: 3.0,
    CONF_KEEP_WARM_INTERVAL: 45.0,
    CONF_PREHEAT_LIMIT: 4.0,
}


def _suggested(schema: Any) -> dict[str, Any]:
    """The suggested values of a form, sections included."""
    found: dict[str, Any] = {}
    for key, value in schema.items():
        if hasattr(value, "schema") and hasattr(value.schema, "schema"):  # a section
            found[str(key)] = _suggested(value.schema.schema)
        elif key.description and "suggested_value" in key.description:
            found[str(key)] = key.description["suggested_value"]
    return found


async def _automatic_entities(hass: HomeAssistant) -> None:
    hass.states.async_set("schedule.hot_water", "on")
    hass.states.async_set("person.ann", "home")
    hass.states.async_set("zone.home", "1")
    hass.states.async_set("light.lamp", "on")


async def test_options(hass: HomeAssistant) -> None:
    """Round trip: the tunables and the automatic cycles' section, stored flat."""
    await _automatic_entities(hass)
    entry = make_entry()
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    schema = result["data_schema"].schema
    assert set(schema) == {*TUNING, SECTION_AUTOMATIC}
    section = schema[SECTION_AUTOMATIC]
    assert set(section.schema.schema) == {
        CONF_SCHEDULE,
        CONF_PRESENCE,
        CONF_FREEZE_PROTECT,
        *AUTOMATIC,
    }
    # Defaults for an installation that predates them.
    assert _suggested(schema)[SECTION_AUTOMATIC] == {
        CONF_VACATION_AFTER: 24.0,
        CONF_KEEP_WARM_HYSTERESIS: 5.0,
        CONF_KEEP_WARM_INTERVAL: 30.0,
        CONF_PREHEAT_LIMIT: 6,
    }
    automatic = {
        **AUTOMATIC,
        CONF_SCHEDULE: "schedule.hot_water",
        CONF_PRESENCE: ["person.ann", "zone.home"],
        CONF_FREEZE_PROTECT: 4.0,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**TUNING, SECTION_AUTOMATIC: automatic}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {**TUNING, **automatic, CONF_PREHEAT_LIMIT: 4}
    assert isinstance(entry.options[CONF_PREHEAT_LIMIT], int)

    # Shown again as stored; clearing the optional fields removes them.
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert _suggested(result["data_schema"].schema)[SECTION_AUTOMATIC] == {
        **automatic,
        CONF_PREHEAT_LIMIT: 4,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**TUNING, SECTION_AUTOMATIC: {**AUTOMATIC, CONF_PRESENCE: []}}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {**TUNING, **AUTOMATIC, CONF_PREHEAT_LIMIT: 4}


@pytest.mark.parametrize(
    ("automatic", "errors"),
    [
        ({CONF_SCHEDULE: "light.lamp"}, {CONF_SCHEDULE: "schedule_wrong_domain"}),
        ({CONF_SCHEDULE: "schedule.gone"}, {CONF_SCHEDULE: "entity_not_found"}),
        ({CONF_PRESENCE: ["person.ann", "light.lamp"]}, {CONF_PRESENCE: "presence_wrong_domain"}),
        ({CONF_PRESENCE: ["person.gone"]}, {CONF_PRESENCE: "entity_not_found"}),
        # The selectors bound the numbers; what slips through (NaN) is caught.
        ({CONF_FREEZE_PROTECT: float("nan")}, {CONF_FREEZE_PROTECT: "out_of_range"}),
        ({CONF_PREHEAT_LIMIT: float("nan")}, {CONF_PREHEAT_LIMIT: "out_of_range"}),
    ],
)
async def test_options_automatic_errors(
    hass: HomeAssistant, automatic: dict[str, Any], errors: dict[str, str]
) -> None:
    await _automatic_entities(hass)
    entry = make_entry()
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**TUNING, SECTION_AUTOMATIC: {**AUTOMATIC, **automatic}}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors


async def test_options_drain_shows_only_what_applies(hass: HomeAssistant) -> None:
    entry = make_entry(Topology.DRAIN)
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert set(result["data_schema"].schema) == {
        CONF_TARGET,
        CONF_MAX_RUN,
        CONF_COOLDOWN,
        CONF_SENSOR_GRACE,
        SECTION_AUTOMATIC,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_TARGET: 60.0,
            CONF_MAX_RUN: 120.0,
            CONF_COOLDOWN: 0.0,
            CONF_SENSOR_GRACE: 30.0,
            SECTION_AUTOMATIC: AUTOMATIC,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_TARGET] == 60.0


@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        ({CONF_MAX_RUN: float("nan")}, {CONF_MAX_RUN: "out_of_range"}),
        ({CONF_TARGET: 50.0}, {CONF_COLD_LINE_LIMIT: "limit_below_target"}),
        # The shower (fixture 3) has its own target of 42 °C.
        ({CONF_COLD_LINE_LIMIT: 41.0}, {CONF_COLD_LINE_LIMIT: "limit_below_target"}),
    ],
)
async def test_options_errors(
    hass: HomeAssistant, user_input: dict[str, Any], errors: dict[str, str]
) -> None:
    entry = make_entry()
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**{k: DEFAULT_OPTIONS[k] for k in TUNING}, SECTION_AUTOMATIC: AUTOMATIC, **user_input},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors


# ----------------------------------------------------------------- fixtures


async def _fixture_flow(hass: HomeAssistant, entry: MockConfigEntry, **context: Any) -> Any:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_FIXTURE), context={"source": SOURCE_USER, **context}
    )
    assert result["type"] is FlowResultType.FORM
    return result


async def test_add_fixture(hass: HomeAssistant) -> None:
    entry = make_entry(fixtures=0)
    entry.add_to_hass(hass)
    result = await _fixture_flow(hass, entry)
    assert result["step_id"] == "user"
    assert result["description_placeholders"] == {"topology": "cold_line", "default_target": "40"}
    assert set(result["data_schema"].schema) == {
        CONF_NAME,
        CONF_SENSOR,
        CONF_VALVE,
        CONF_COLD_SENSOR,
        CONF_TARGET,
        CONF_TAP_FLOW,
        CONF_VOLUME,
        CONF_KEEP_WARM,
        CONF_DRAW_SENSOR,
    }
    hass.states.async_set("binary_sensor.kitchen_flow", "off")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            CONF_NAME: " Kitchen sink ",
            CONF_SENSOR: SENSORS[0],
            CONF_VALVE: VALVES[0],
            CONF_COLD_SENSOR: COLD_SENSOR,
            CONF_KEEP_WARM: True,
            CONF_DRAW_SENSOR: "binary_sensor.kitchen_flow",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    (subentry,) = entry.subentries.values()
    assert subentry.title == "Kitchen sink"
    assert subentry.subentry_type == SUBENTRY_FIXTURE
    assert dict(subentry.data) == {
        CONF_SENSOR: SENSORS[0],
        CONF_VALVE: VALVES[0],
        CONF_COLD_SENSOR: COLD_SENSOR,
        CONF_KEEP_WARM: True,
        CONF_DRAW_SENSOR: "binary_sensor.kitchen_flow",
    }


async def test_return_line_fixture_has_no_valve(hass: HomeAssistant) -> None:
    entry = make_entry(Topology.RETURN_LINE, fixtures=0)
    entry.add_to_hass(hass)
    result = await _fixture_flow(hass, entry)
    assert CONF_VALVE not in result["data_schema"].schema
    assert CONF_COLD_SENSOR not in result["data_schema"].schema
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "Basin", CONF_SENSOR: SENSORS[1]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("topology", "user_input", "errors"),
    [
        (Topology.COLD_LINE, {CONF_NAME: "  "}, {CONF_NAME: "name_empty"}),
        (Topology.COLD_LINE, {CONF_NAME: "kitchen SINK"}, {CONF_NAME: "fixture_name_in_use"}),
        (Topology.COLD_LINE, {CONF_SENSOR: "light.x"}, {CONF_SENSOR: "not_temperature_sensor"}),
        (Topology.COLD_LINE, {CONF_SENSOR: "sensor.gone"}, {CONF_SENSOR: "entity_not_found"}),
        (
            Topology.COLD_LINE,
            {CONF_SENSOR: "sensor.humidity"},
            {CONF_SENSOR: "not_temperature_sensor"},
        ),
        (Topology.COLD_LINE, {CONF_SENSOR: SENSORS[0]}, {CONF_SENSOR: "entity_in_use"}),
        (
            Topology.COLD_LINE,
            {CONF_COLD_SENSOR: SENSORS[1]},
            {CONF_COLD_SENSOR: "entity_in_use"},
        ),
        (Topology.COLD_LINE, {CONF_VALVE: "light.x"}, {CONF_VALVE: "valve_wrong_domain"}),
        (Topology.COLD_LINE, {CONF_VALVE: "valve.gone"}, {CONF_VALVE: "entity_not_found"}),
        (Topology.COLD_LINE, {CONF_VALVE: PUMP}, {CONF_VALVE: "entity_in_use"}),
        (Topology.COLD_LINE, {CONF_VALVE: VALVES[0]}, {CONF_VALVE: "entity_in_use"}),
        (Topology.COLD_LINE, {CONF_VALVE: None}, {CONF_VALVE: "valve_required"}),
        (Topology.COLD_LINE, {CONF_SENSOR: None}, {CONF_VOLUME: "volume_required"}),
        (Topology.COLD_LINE, {CONF_TARGET: 50.0}, {CONF_TARGET: "limit_below_target"}),
        (Topology.DRAIN, {CONF_TAP_FLOW: None}, {CONF_TAP_FLOW: "tap_flow_required"}),
        (
            Topology.COLD_LINE,
            {CONF_DRAW_SENSOR: "light.x"},
            {CONF_DRAW_SENSOR: "draw_sensor_wrong_domain"},
        ),
        (
            Topology.COLD_LINE,
            {CONF_DRAW_SENSOR: "binary_sensor.gone"},
            {CONF_DRAW_SENSOR: "entity_not_found"},
        ),
        (
            Topology.COLD_LINE,
            {CONF_DRAW_SENSOR: SENSORS[2]},
            {CONF_DRAW_SENSOR: "draw_sensor_not_flow"},
        ),
        (
            Topology.COLD_LINE,
            {CONF_DRAW_SENSOR: "sensor.words"},
            {CONF_DRAW_SENSOR: "draw_sensor_not_flow"},
        ),
        (
            Topology.COLD_LINE,
            {CONF_DRAW_SENSOR: "sensor.kitchen_flow"},
            {CONF_DRAW_SENSOR: "entity_in_use"},
        ),
    ],
)
async def test_fixture_errors_then_recover(
    hass: HomeAssistant,
    topology: Topology,
    user_input: dict[str, Any],
    errors: dict[str, str],
) -> None:
    hass.states.async_set("sensor.words", "flowing")
    hass.states.async_set("sensor.kitchen_flow", "0.0", {"unit_of_measurement": "L/min"})
    hass.states.async_set("sensor.basin_flow", "unknown")
    entry = make_entry(topology, fixtures=1)
    kitchen = entry.subentries[FIXTURE_IDS[0]]
    # The kitchen already has a flow sensor: another fixture cannot have it too.
    object.__setattr__(kitchen, "data", {**kitchen.data, CONF_DRAW_SENSOR: "sensor.kitchen_flow"})
    entry.add_to_hass(hass)
    good = {
        CONF_NAME: "Basin",
        CONF_SENSOR: SENSORS[1],
        CONF_VALVE: VALVES[1],
        CONF_TAP_FLOW: 8.0,
        CONF_DRAW_SENSOR: "sensor.basin_flow",
    }
    result = await _fixture_flow(hass, entry)
    bad = {k: v for k, v in {**good, **user_input}.items() if v is not None}
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], bad)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors

    result = await hass.config_entries.subentries.async_configure(result["flow_id"], good)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert len(entry.subentries) == 2


async def test_fixture_engine_errors_are_mapped(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What only the engine catches still shows in the form, on the right field."""
    entry = make_entry(fixtures=1)
    entry.add_to_hass(hass)
    problems = (
        SettingsError(
            code=SettingsErrorCode.NOT_POSITIVE, field="tap_flow_lpm", fixture="new fixture"
        ),
        SettingsError(
            code=SettingsErrorCode.NOT_FINITE, field="sensor_lead_s", fixture="new fixture"
        ),
        SettingsError(code=SettingsErrorCode.NOT_POSITIVE, field="pump_flow_lpm"),
    )
    monkeypatch.setattr(config_flow, "validate", lambda _settings: problems)
    result = await _fixture_flow(hass, entry)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "Basin", CONF_SENSOR: SENSORS[1], CONF_VALVE: VALVES[1]}
    )
    assert result["errors"] == {
        CONF_TAP_FLOW: "settings_not_positive",
        "base": "settings_not_finite",
    }


async def test_reconfigure_fixture(hass: HomeAssistant) -> None:
    entry = make_entry(fixtures=2)
    entry.add_to_hass(hass)
    subentry = entry.subentries[FIXTURE_IDS[1]]
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_FIXTURE),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": subentry.subentry_id},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    suggested = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }
    assert suggested[CONF_NAME] == "Bathroom basin"
    assert suggested[CONF_VALVE] == VALVES[1]

    # Its own entities are not "in use"; another fixture's are.
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "Basin", CONF_SENSOR: SENSORS[0], CONF_VALVE: VALVES[1]}
    )
    assert result["errors"] == {CONF_SENSOR: "entity_in_use"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            CONF_NAME: "Basin",
            CONF_SENSOR: SENSORS[1],
            CONF_VALVE: VALVES[1],
            CONF_TARGET: 38.0,
            CONF_KEEP_WARM: True,
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert subentry.title == "Basin"
    assert dict(subentry.data) == {
        CONF_SENSOR: SENSORS[1],
        CONF_VALVE: VALVES[1],
        CONF_TARGET: 38.0,
        CONF_KEEP_WARM: True,
    }
