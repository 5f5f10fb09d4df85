"""Zero Cold Water: on-demand hot-water recirculation (零冷水) for Home Assistant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import (
    config_validation as cv,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.typing import ConfigType

from .availability import async_log_availability
from .const import (
    CONF_PRESENCE,
    CONF_PUMP,
    CONF_SCHEDULE,
    CONF_TOPOLOGY,
    DEFAULT_OPTIONS,
    DEFAULT_PUMP_FLOW,
    DOMAIN,
    Topology,
)
from .coordinator import ZeroColdWaterCoordinator
from .services import async_setup_services
from .settings import (
    Wrapped,
    hide_entities,
    input_entities,
    presence_entities,
    unhide_entities,
    wrapped_entities,
)
from .voice import async_setup_voice

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.VALVE,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


@dataclass(slots=True)
class ZeroColdWaterData:
    """What a loaded installation keeps while it runs."""

    topology: Topology
    pump: str | None
    coordinator: ZeroColdWaterCoordinator
    reload_key: Any
    """Entry data and fixtures as set up: a change there reloads, an options change does not."""


type ZeroColdWaterConfigEntry = ConfigEntry[ZeroColdWaterData]


def _reload_key(entry: ConfigEntry) -> Any:
    return (
        dict(entry.data),
        {sid: (sub.title, dict(sub.data)) for sid, sub in entry.subentries.items()},
        # The entities the automatic cycles follow: a new one needs a new subscription.
        entry.options.get(CONF_SCHEDULE),
        tuple(presence_entities(entry.options)),
    )


def tracked_entities(entry: ConfigEntry) -> list[Wrapped]:
    """What the installation drives or reads, and the automatic cycles' inputs."""
    return [*wrapped_entities(entry), *input_entities(entry)]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the services and voice sentences (they follow whichever installations load)."""
    async_setup_services(hass)
    async_setup_voice(hass)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: ZeroColdWaterConfigEntry) -> bool:
    """Migrate 1.1 entries (topology and pump only) to 1.2 (pump flow, tunables)."""
    if entry.version > 1:
        return False
    # Only 1.1 gets here (HA does not migrate newer minor versions down).
    data = dict(entry.data)
    if Topology(data[CONF_TOPOLOGY]).has_pump:
        data.setdefault("pump_flow_lpm", DEFAULT_PUMP_FLOW)
    hass.config_entries.async_update_entry(
        entry,
        data=data,
        options={**DEFAULT_OPTIONS, **entry.options},
        minor_version=2,
    )
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ZeroColdWaterConfigEntry) -> bool:
    """Set up an installation: the engine, its entities, the wrapped hardware hidden."""
    coordinator = ZeroColdWaterCoordinator(hass, entry)
    _check_wrapped(hass, entry, [*coordinator.wrapped, *coordinator.inputs])
    await coordinator.async_start()
    entry.runtime_data = ZeroColdWaterData(
        topology=Topology(entry.data[CONF_TOPOLOGY]),
        pump=entry.data.get(CONF_PUMP),
        coordinator=coordinator,
        reload_key=_reload_key(entry),
    )
    entry.async_on_unload(entry.add_update_listener(_async_update_listener))
    entry.async_on_unload(
        async_log_availability(
            hass, entry.title, [item.entity_id for item in tracked_entities(entry)]
        )
    )

    async def _on_stop(_event: Event) -> None:
        await coordinator.async_stop()

    # Not listen_once: unloading after the stop event must not unsubscribe a spent listener.
    entry.async_on_unload(hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, _on_stop))
    if hass.is_stopping:  # set up (a reload) while Home Assistant stops: the stop event is gone
        await coordinator.async_stop()

    @callback
    def _on_registry_updated(event: Event[er.EventEntityRegistryUpdatedData]) -> None:
        _registry_updated(hass, entry, event)

    entry.async_on_unload(
        hass.bus.async_listen(er.EVENT_ENTITY_REGISTRY_UPDATED, _on_registry_updated)
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    # With the event entity listening: a cycle a crash cut short is recorded now.
    coordinator.async_report_interrupted()
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ZeroColdWaterConfigEntry) -> bool:
    """Unload an installation: the hardware safe first, then everything else."""
    await entry.runtime_data.coordinator.async_stop()
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: ZeroColdWaterConfigEntry) -> None:
    """The installation is gone: show the wrapped entities again, forget stored data."""
    unhide_entities(hass, [w.entity_id for w in wrapped_entities(entry)])
    for issue_id in _issue_ids(hass, entry.entry_id):
        ir.async_delete_issue(hass, DOMAIN, issue_id)
    await ZeroColdWaterCoordinator(hass, entry).store.async_remove()


async def _async_update_listener(hass: HomeAssistant, entry: ZeroColdWaterConfigEntry) -> None:
    """Options alone go straight to the engine; anything else reloads the installation."""
    data = entry.runtime_data
    old = {w.entity_id for w in data.coordinator.wrapped}
    new = {w.entity_id for w in wrapped_entities(entry)}
    unhide_entities(hass, sorted(old - new))
    if _reload_key(entry) != data.reload_key:
        hass.config_entries.async_schedule_reload(entry.entry_id)
    else:
        await data.coordinator.async_apply_settings()


def missing_issue_id(entry_id: str, item: Wrapped) -> str:
    """The repair issue id for a wrapped entity that is gone."""
    if item.role == CONF_PRESENCE:  # several per installation
        return f"missing_{entry_id}_{item.role}_{item.entity_id}"
    return f"missing_{entry_id}_{item.role}_{item.fixture or 'installation'}"


def _issue_ids(hass: HomeAssistant, entry_id: str) -> list[str]:
    return [
        issue_id
        for (domain, issue_id) in ir.async_get(hass).issues
        if domain == DOMAIN and entry_id in issue_id
    ]


def _check_wrapped(hass: HomeAssistant, entry: ConfigEntry, wrapped: list[Wrapped]) -> None:
    """Raise a repair issue for each wrapped entity that no longer exists anywhere."""
    registry = er.async_get(hass)
    wanted = set()
    for item in wrapped:
        if hass.states.get(item.entity_id) is None and registry.async_get(item.entity_id) is None:
            issue_id = missing_issue_id(entry.entry_id, item)
            wanted.add(issue_id)
            _create_missing_issue(hass, entry, item)
    for issue_id in _issue_ids(hass, entry.entry_id):
        if issue_id.startswith("missing_") and issue_id not in wanted:
            ir.async_delete_issue(hass, DOMAIN, issue_id)


def _create_missing_issue(hass: HomeAssistant, entry: ConfigEntry, item: Wrapped) -> None:
    fixture = entry.subentries.get(item.fixture) if item.fixture else None
    ir.async_create_issue(
        hass,
        DOMAIN,
        missing_issue_id(entry.entry_id, item),
        is_fixable=True,
        is_persistent=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="missing_entity",
        translation_placeholders={
            "entity_id": item.entity_id,
            "installation": entry.title,
            "fixture": fixture.title if fixture else entry.title,
            "role": item.role,
        },
        data={
            "entry_id": entry.entry_id,
            "role": item.role,
            "fixture": item.fixture or "",
            "entity_id": item.entity_id,
        },
    )


def _registry_updated(
    hass: HomeAssistant, entry: ConfigEntry, event: Event[er.EventEntityRegistryUpdatedData]
) -> None:
    """Follow renames of wrapped entities; raise an issue when one is removed."""
    data = event.data
    entity_id = data["entity_id"]
    if data["action"] == "update":
        old = data.get("old_entity_id")
        if old is None:
            return
        for item in tracked_entities(entry):
            if item.entity_id == old:
                replace_wrapped(hass, entry, item, entity_id)
        return
    if data["action"] != "remove":
        return
    for item in tracked_entities(entry):
        if item.entity_id == entity_id:
            _create_missing_issue(hass, entry, item)


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
        return
    if item.role == CONF_SCHEDULE:
        hass.config_entries.async_update_entry(
            entry, options={**entry.options, CONF_SCHEDULE: entity_id}
        )
        return
    if item.fixture is None:
        hass.config_entries.async_update_entry(entry, data={**entry.data, item.role: entity_id})
        return
    subentry = entry.subentries[item.fixture]
    hass.config_entries.async_update_subentry(
        entry, subentry, data={**subentry.data, item.role: entity_id}
    )
