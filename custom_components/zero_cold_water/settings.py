"""From config entry and subentries to the engine's settings, and the entities they wrap.

The engine names each fixture by its subentry id: stable across renames, unique in the entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

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
    SUBENTRY_FIXTURE,
)
from .engine import FixtureSettings, InstallationSettings, Topology


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def fixture_settings(
    name: str, data: Mapping[str, Any], topology: Topology, options: Mapping[str, Any]
) -> FixtureSettings:
    """The engine's settings of one fixture (``name`` is its subentry id)."""
    limit = options.get(CONF_COLD_LINE_LIMIT, DEFAULT_OPTIONS[CONF_COLD_LINE_LIMIT])
    return FixtureSettings(
        name=name,
        has_sensor=bool(data.get(CONF_SENSOR)),
        has_cold_sensor=bool(data.get(CONF_COLD_SENSOR)),
        has_valve=topology is not Topology.RETURN_LINE and bool(data.get(CONF_VALVE)),
        target_c=float(
            data.get(CONF_TARGET, options.get(CONF_TARGET, DEFAULT_OPTIONS[CONF_TARGET]))
        ),
        cold_line_limit_c=float(limit) if topology is Topology.COLD_LINE else None,
        tap_flow_lpm=_float(data.get(CONF_TAP_FLOW)),
        configured_volume_l=_float(data.get(CONF_VOLUME)),
        keep_warm=bool(data.get(CONF_KEEP_WARM, True)),
        has_draw_sensor=bool(data.get(CONF_DRAW_SENSOR)),
    )


def installation_settings(
    data: Mapping[str, Any],
    options: Mapping[str, Any],
    fixtures: Iterable[tuple[str, Mapping[str, Any]]],
) -> InstallationSettings:
    """The engine's settings of an installation with ``fixtures`` (subentry id, data)."""
    topology = Topology(data[CONF_TOPOLOGY])
    opts = {**DEFAULT_OPTIONS, **options}
    return InstallationSettings(
        topology=topology,
        fixtures=tuple(
            fixture_settings(name, fixture, topology, opts) for name, fixture in fixtures
        ),
        pump_flow_lpm=_float(data.get(CONF_PUMP_FLOW)) if topology.has_pump else None,
        junction_valve=topology is Topology.RETURN_LINE and bool(data.get(CONF_JUNCTION_VALVE)),
        max_run_s=float(opts[CONF_MAX_RUN]),
        daily_pump_cap_s=float(opts[CONF_DAILY_PUMP_CAP]),
        cooldown_s=float(opts[CONF_COOLDOWN]),
        sensor_grace_s=float(opts[CONF_SENSOR_GRACE]),
        keep_warm_hysteresis_c=float(opts[CONF_KEEP_WARM_HYSTERESIS]),
        keep_warm_min_interval_s=float(opts[CONF_KEEP_WARM_INTERVAL]) * 60.0,
        preheat_daily_limit=int(opts[CONF_PREHEAT_LIMIT]),
        freeze_protect_c=_float(opts.get(CONF_FREEZE_PROTECT)),
        vacation_after_s=float(opts[CONF_VACATION_AFTER]) * 3600.0,
    )


def fixture_subentries(entry: ConfigEntry) -> list[tuple[str, Mapping[str, Any]]]:
    """The entry's fixtures as (subentry id, data), in creation order."""
    return [
        (subentry_id, subentry.data)
        for subentry_id, subentry in entry.subentries.items()
        if subentry.subentry_type == SUBENTRY_FIXTURE
    ]


def entry_settings(entry: ConfigEntry) -> InstallationSettings:
    """The engine's settings of a config entry."""
    return installation_settings(entry.data, entry.options, fixture_subentries(entry))


@dataclass(frozen=True, slots=True, kw_only=True)
class Wrapped:
    """A user entity the installation wraps, and what it is to the engine."""

    entity_id: str
    role: str
    """One of pump, junction_valve, valve, sensor, cold_sensor; for inputs (``input_entities``)
    one of keep_warm_schedule, presence, draw_sensor."""
    fixture: str | None = None
    """The fixture (subentry id) it belongs to; None for installation-level entities."""


def wrapped_entities(entry: ConfigEntry) -> list[Wrapped]:
    """Every user entity this installation drives or reads."""
    found = [
        Wrapped(entity_id=entry.data[role], role=role)
        for role in (CONF_PUMP, CONF_JUNCTION_VALVE)
        if entry.data.get(role)
    ]
    found.extend(
        Wrapped(entity_id=data[role], role=role, fixture=subentry_id)
        for subentry_id, data in fixture_subentries(entry)
        for role in (CONF_VALVE, CONF_SENSOR, CONF_COLD_SENSOR)
        if data.get(role)
    )
    return found


def input_entities(entry: ConfigEntry) -> list[Wrapped]:
    """The entities the automatic cycles follow: schedule, presence, draw sensors.

    Apart from ``wrapped_entities``: they are read beside the per-reading path, never driven.
    """
    options = entry.options
    found: list[Wrapped] = []
    if schedule := options.get(CONF_SCHEDULE):
        found.append(Wrapped(entity_id=schedule, role=CONF_SCHEDULE))
    found.extend(
        Wrapped(entity_id=entity_id, role=CONF_PRESENCE) for entity_id in presence_entities(options)
    )
    found.extend(
        Wrapped(entity_id=data[CONF_DRAW_SENSOR], role=CONF_DRAW_SENSOR, fixture=subentry_id)
        for subentry_id, data in fixture_subentries(entry)
        if data.get(CONF_DRAW_SENSOR)
    )
    return found


def tracked_entities(entry: ConfigEntry) -> list[Wrapped]:
    """What the installation drives or reads, and the automatic cycles' inputs."""
    return [*wrapped_entities(entry), *input_entities(entry)]


def subentry_title(entry: ConfigEntry, subentry_id: str) -> str:
    """The user's name of a fixture or remote (the id itself once it is gone)."""
    subentry = entry.subentries.get(subentry_id)
    return subentry.title if subentry is not None else subentry_id


def presence_entities(options: Mapping[str, Any]) -> list[str]:
    """The presence entities of an installation's options (a list, or one id)."""
    value = options.get(CONF_PRESENCE) or []
    return [value] if isinstance(value, str) else [str(item) for item in value]


ACTUATOR_ROLES = (CONF_PUMP, CONF_JUNCTION_VALVE, CONF_VALVE)
"""What we drive is hidden (our switch/valve entities stand for it); sensors stay visible."""


def hide_entities(hass: HomeAssistant, entity_ids: list[str], *, roles: list[str]) -> None:
    """Hide the pump and valves we now drive, as switch_as_x hides what it wraps.

    Done once, when a flow wraps them; a user who unhides one later keeps it visible.
    """
    registry = er.async_get(hass)
    for entity_id, role in zip(entity_ids, roles, strict=True):
        if role not in ACTUATOR_ROLES:
            continue
        entity = registry.async_get(entity_id)
        if entity is not None and entity.hidden_by is None:
            registry.async_update_entity(entity_id, hidden_by=er.RegistryEntryHider.INTEGRATION)


def unhide_entities(hass: HomeAssistant, entity_ids: list[str]) -> None:
    """Give back entities we no longer wrap (unless the user hid them)."""
    registry = er.async_get(hass)
    for entity_id in entity_ids:
        entity = registry.async_get(entity_id)
        if entity is not None and entity.hidden_by is er.RegistryEntryHider.INTEGRATION:
            registry.async_update_entity(entity_id, hidden_by=None)


def replace_wrapped(hass: HomeAssistant, entry: ConfigEntry, item: Wrapped, entity_id: str) -> None:
    """Point the installation at another entity for ``item`` (the update listener reloads)."""
    hide_entities(hass, [entity_id], roles=[item.role])
    if item.role == CONF_PRESENCE:
        entities = [
            entity_id if old == item.entity_id else old for old in presence_entities(entry.options)
        ]
        hass.config_entries.async_update_entry(
            entry, options={**entry.options, CONF_PRESENCE: entities}
        )
    elif item.role == CONF_SCHEDULE:
        hass.config_entries.async_update_entry(
            entry, options={**entry.options, CONF_SCHEDULE: entity_id}
        )
    elif item.fixture is None:
        hass.config_entries.async_update_entry(entry, data={**entry.data, item.role: entity_id})
    else:
        subentry = entry.subentries[item.fixture]
        hass.config_entries.async_update_subentry(
            entry, subentry, data={**subentry.data, item.role: entity_id}
        )
